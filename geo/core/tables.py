"""Read the small CSV data tables of the repository with clear errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from geo.core.errors import InputFileError
from geo.core.safepath import read_input_bytes


def read_table(path: str | Path, required: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV file as dicts; a missing file or column raises InputFileError.

    Each row gets ``_line``: its line number in the file, for messages.
    """
    p = Path(path)
    if not p.exists():
        raise InputFileError("file not found", path=str(p))
    try:
        text = read_input_bytes(p).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"not UTF-8 (byte {exc.start})", path=str(p)) from None
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise InputFileError("file is empty", path=str(p))
    missing = [c for c in required if c not in reader.fieldnames]
    if missing:
        raise InputFileError(f"missing column(s): {', '.join(missing)}", path=str(p))
    rows = []
    for row in reader:
        if not any((v or "").strip() for k, v in row.items() if k is not None):
            continue
        if None in row:  # an unquoted comma: the rest of the row would be dropped silently
            raise InputFileError(
                f"line {reader.line_num}: {len(reader.fieldnames) + len(row[None])} fields for "
                f"{len(reader.fieldnames)} columns (quote a field that contains a comma)",
                path=str(p),
            )
        clean = {k: (v or "").strip() for k, v in row.items()}
        clean["_line"] = str(reader.line_num)
        rows.append(clean)
    return rows


def write_table(rows: list[dict[str, object]], columns: list[str]) -> str:
    """CSV text with the given columns, LF line ends (deterministic)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: ("" if row.get(c) is None else row.get(c)) for c in columns})
    return buf.getvalue()

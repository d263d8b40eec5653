"""Geocode a user's own project list (CSV or XLSX) into GeoJSON, reporting bad rows by number."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from geo.core.errors import AtlasError, GeocodeError, InputFileError
from geo.core.io import atomic_writer, dumps, feature_collection
from geo.core.safepath import check_input, check_output, read_input_bytes
from geo.layers.projects import location_properties
from geo.places.boards import BoardAssigner, load_rules
from geo.places.geocoder import Geocoder

MAX_ROWS = 200_000
CHUNK_ROWS = 5_000  # rows parsed and geocoded at a time by geocode_file


@dataclass
class Report:
    total: int = 0
    ok: int = 0
    problems: list[str] = field(default_factory=list)


def read_table_file(path: Path, sheet: str | None = None) -> pd.DataFrame:
    """A CSV (UTF-8, UTF-8 with BOM or GBK) or XLSX file as text columns; unreadable files raise InputFileError."""
    check_input(path)  # missing, a directory, a FIFO, a device or oversize: InputFileError before reading
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            try:
                frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, engine="openpyxl")
            except ValueError as exc:
                raise InputFileError(f"cannot read sheet: {exc}", path=str(path)) from None
        elif suffix == ".csv":
            text = _decode_csv(read_input_bytes(path), path)
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        else:
            raise InputFileError(f"unsupported file type {suffix or '(none)'}: use .csv or .xlsx", path=str(path))
    except AtlasError:
        raise
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputFileError(f"not a readable CSV: {str(exc).splitlines()[0]}", path=str(path)) from None
    except Exception as exc:  # openpyxl/zipfile raise many types for a corrupt workbook
        raise InputFileError(f"not a readable spreadsheet ({type(exc).__name__})", path=str(path)) from None
    if len(frame) > MAX_ROWS:
        raise InputFileError(f"{len(frame)} rows: over the limit of {MAX_ROWS}", path=str(path))
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.fillna("")


def _decode_csv(raw: bytes, path: Path) -> str:
    if not raw.strip():
        raise InputFileError("file is empty", path=str(path))
    if b"\x00" in raw[:65536]:
        raise InputFileError("binary data (NUL bytes): not a CSV text file", path=str(path))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError("not UTF-8 or GBK text", path=str(path))  # pragma: no cover - gb18030 decodes any bytes


def iter_table_chunks(path: Path, sheet: str | None = None, rows: int | None = None) -> Iterator[pd.DataFrame]:
    """The file as text-column frames of at most ``rows`` rows each (a CSV is parsed chunk by chunk, so memory is
    the input text plus one chunk, not a frame of every row); same checks and named errors as ``read_table_file``."""
    rows = rows or CHUNK_ROWS
    check_input(path)
    if path.suffix.lower() != ".csv":  # XLSX cannot be parsed in pieces by pandas: read once, hand out in chunks
        frame = read_table_file(path, sheet)
        for start in range(0, max(len(frame), 1), rows):
            yield frame.iloc[start : start + rows]
        return
    text = _decode_csv(read_input_bytes(path), path)  # bounded by the input size limit (ATLAS_MAX_INPUT_MB)
    seen = 0
    try:
        reader = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, chunksize=rows)
        del text  # the reader holds its own buffer
        for chunk in reader:
            seen += len(chunk)
            if seen > MAX_ROWS:
                raise InputFileError(f"more than {MAX_ROWS} rows: over the limit", path=str(path))
            chunk.columns = [str(c).strip() for c in chunk.columns]
            yield chunk.fillna("")
    except AtlasError:
        raise
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputFileError(f"not a readable CSV: {str(exc).splitlines()[0]}", path=str(path)) from None


def geocode_rows(
    frame: pd.DataFrame, name_col: str, desc_col: str | None, *, source: str, geocoder: Geocoder | None = None
) -> tuple[list[dict[str, Any]], Report]:
    """Features for every row that could be geocoded, and a report naming every row that could not."""
    report = Report()
    features = list(_row_features(frame, name_col, desc_col, source, _Geocoding(geocoder), report))
    return features, report


class _Geocoding:
    """The geocoder and board assigner, built once for all chunks of a file."""

    def __init__(self, geocoder: Geocoder | None) -> None:
        self.geocoder = geocoder or Geocoder.default()
        self.assigner = BoardAssigner(self.geocoder.gaz, load_rules(self.geocoder.gaz))


def _row_features(
    frame: pd.DataFrame,
    name_col: str,
    desc_col: str | None,
    source: str,
    tools: _Geocoding,
    report: Report,
    first_row: int = 0,
) -> Iterator[dict[str, Any]]:
    """One feature per row that geocodes; ``report`` counts rows and names each that does not.

    ``first_row``: the 0-based data row of the frame's first row (the file's row number is that + 2: header is 1).
    """
    for col in [name_col] + ([desc_col] if desc_col else []):
        if col not in frame.columns:
            raise InputFileError(f"no column {col!r}; columns are: {', '.join(frame.columns) or '(none)'}", path=source)
    names = frame[name_col].tolist()
    descs = frame[desc_col].tolist() if desc_col else [""] * len(names)
    for offset, (raw_name, raw_desc) in enumerate(zip(names, descs, strict=True)):
        report.total += 1
        line = first_row + offset + 2  # header is row 1 in a spreadsheet
        name = str(raw_name).strip()
        desc = str(raw_desc).strip()
        try:
            result = tools.geocoder.geocode(name, desc)
        except GeocodeError as exc:
            report.problems.append(f"{source}: row {line}: {exc}")
            continue
        props: dict[str, Any] = {
            "id": f"U{line}",
            "row": line,
            "box": None,
            "name": name[:500],
            "name_en": None,
            "summary_en": None,
            "description": desc[:20000],
            "entry_type": "user",
            "plan_lines": None,
            "plan_quote": None,
            "sector": None,
            "cluster": False,
            "curated": False,
            "curation": None,
        }
        props.update(location_properties(result, tools.assigner))
        report.ok += 1
        yield {"id": f"U{line}", "properties": props, "geometry": result.geometry()}


def geocode_file(
    path: Path,
    output: Path,
    *,
    name_col: str,
    desc_col: str | None = None,
    sheet: str | None = None,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    geocoder: Geocoder | None = None,
) -> Report:
    """Geocode a list and write GeoJSON atomically; the report lists rows that failed.

    The output is checked before any work: it must be writable and must not be the input (unless ``force``).
    Rows are read and geocoded in chunks and each feature is written as it is made (through the same temporary file,
    fsync and rename as every output), so memory stays bounded for large lists; the file is byte for byte what
    ``dumps(feature_collection(...))`` of all features would give. ``progress(rows done)`` is called after each chunk.
    """
    check_output(output, inputs=[path], force=force)
    report = Report()
    tools = _Geocoding(geocoder)
    members = {"name": Path(path).stem, "source": f"geocoded from {path.name}", "type": "FeatureCollection"}
    with atomic_writer(output) as handle:
        handle.write(b'{\n "features": [')
        written = 0
        for chunk in iter_table_chunks(path, sheet):
            for feature in _row_features(chunk, name_col, desc_col, str(path), tools, report, report.total):
                text = dumps(feature_collection([feature])["features"][0]).rstrip("\n")
                handle.write(((",\n" if written else "\n") + _indent(text, 2)).encode("utf-8"))
                written += 1
            if progress is not None:
                progress(report.total)
        if report.total == 0:  # the temporary file is removed: nothing is written
            raise GeocodeError("no data rows (only a header): nothing to geocode", path=str(path))
        handle.write(b"\n ]" if written else b"]")
        for key, value in members.items():  # sorted keys after "features", as dumps writes them
            handle.write(f",\n {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}".encode())
        handle.write(b"\n}\n")
    return report


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in text.split("\n"))

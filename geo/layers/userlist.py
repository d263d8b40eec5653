"""Geocode a user's own project list (CSV or XLSX) into GeoJSON, reporting bad rows by number."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from geo.core.errors import AtlasError, GeocodeError, InputFileError
from geo.core.io import atomic_write_text, dumps, feature_collection
from geo.core.safepath import check_input, check_output, read_input_bytes
from geo.layers.projects import location_properties
from geo.places.boards import BoardAssigner, load_rules
from geo.places.geocoder import Geocoder

MAX_ROWS = 200_000


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
            raw = read_input_bytes(path)
            if not raw.strip():
                raise InputFileError("file is empty", path=str(path))
            if b"\x00" in raw[:65536]:
                raise InputFileError("binary data (NUL bytes): not a CSV text file", path=str(path))
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    text = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:  # pragma: no cover - gb18030 decodes any byte string
                raise InputFileError("not UTF-8 or GBK text", path=str(path))

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


def geocode_rows(
    frame: pd.DataFrame, name_col: str, desc_col: str | None, *, source: str, geocoder: Geocoder | None = None
) -> tuple[list[dict[str, Any]], Report]:
    """Features for every row that could be geocoded, and a report naming every row that could not."""
    for col in [name_col] + ([desc_col] if desc_col else []):
        if col not in frame.columns:
            raise InputFileError(f"no column {col!r}; columns are: {', '.join(frame.columns) or '(none)'}", path=source)
    geocoder = geocoder or Geocoder.default()
    assigner = BoardAssigner(geocoder.gaz, load_rules(geocoder.gaz))
    report = Report(total=len(frame))
    features = []
    for index, row in frame.iterrows():
        line = int(index) + 2  # header is row 1 in a spreadsheet
        name = str(row[name_col]).strip()
        desc = str(row[desc_col]).strip() if desc_col else ""
        try:
            result = geocoder.geocode(name, desc)
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
        props.update(location_properties(result, assigner))
        features.append({"id": f"U{line}", "properties": props, "geometry": result.geometry()})
        report.ok += 1
    return features, report


def geocode_file(
    path: Path,
    output: Path,
    *,
    name_col: str,
    desc_col: str | None = None,
    sheet: str | None = None,
    force: bool = False,
) -> Report:
    """Geocode a list and write GeoJSON atomically; the report lists rows that failed.

    The output is checked before any work: it must be writable and must not be the input (unless ``force``).
    """
    check_output(output, inputs=[path], force=force)
    frame = read_table_file(path, sheet)
    if frame.empty:
        raise GeocodeError("no data rows (only a header): nothing to geocode", path=str(path))
    features, report = geocode_rows(frame, name_col, desc_col, source=str(path))
    atomic_write_text(
        output, dumps(feature_collection(features, name=Path(path).stem, source=f"geocoded from {path.name}"))
    )
    return report

"""Row checks of a corrections file before import: known project and county, finite in-city numbers, precision 1–5."""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from geo.core.config import paths
from geo.core.crs import CITY_BBOX
from geo.core.errors import ValidationError
from geo.core.io import read_json

PRECISIONS = (1, 2, 3, 4, 5)
POINT_PRECISIONS = (1, 2)  # a site or a town needs a point


@lru_cache(maxsize=4)
def _ids(path: str, key: str) -> frozenset[str]:
    data = read_json(path)
    out = set()
    for feature in data.get("features", []) if isinstance(data, dict) else []:
        props = feature.get("properties") or {}
        value = feature.get("id") if key == "id" else props.get(key)
        if value is None:
            value = props.get(key)
        if value is not None:
            out.add(str(value))
    return frozenset(out)


def known_projects() -> frozenset[str]:
    return _ids(str(paths.PROJECTS), "id")


def known_adcodes() -> frozenset[str]:
    return _ids(str(paths.COUNTIES), "adcode")


def _number(text: str) -> float | str | None:
    """None for empty, the float for a finite number, else the reason as text."""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return f"{text[:20]!r} is not a number"
    return value if math.isfinite(value) else f"{text[:20]!r} is not a finite number"


def row_problems(
    rows: Iterable[dict[str, Any]],
    where: str,
    *,
    projects: Iterable[str] | None = None,
    adcodes: Iterable[str] | None = None,
    extent: tuple[float, float, float, float] = CITY_BBOX,
) -> list[str]:
    """One line per bad value: ``where: row N: field: what is wrong`` (row numbers as in the file, header = 1)."""
    projects = set(known_projects() if projects is None else projects)
    adcodes = set(known_adcodes() if adcodes is None else adcodes)
    problems: list[str] = []
    seen: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        line = row.get("_line") or str(number)
        at = f"{where}: row {line}"
        pid = str(row.get("project_id") or "")
        if pid not in projects:
            problems.append(f"{at}: project_id: {pid[:40]!r} is not a project of the atlas")
        elif pid in seen:
            problems.append(f"{at}: project_id: a second correction for {pid} (also row {seen[pid]})")
        seen.setdefault(pid, line)
        lon, lat = _number(str(row.get("lon") or "")), _number(str(row.get("lat") or ""))
        for field, value in (("lon", lon), ("lat", lat)):
            if isinstance(value, str):
                problems.append(f"{at}: {field}: {value}")
        raw_precision = str(row.get("precision") or "")
        try:
            precision: int | None = int(raw_precision)
        except ValueError:
            precision = None
            problems.append(f"{at}: precision: {raw_precision[:20]!r} is not a whole number 1–5")
        if precision is not None and precision not in PRECISIONS:
            problems.append(f"{at}: precision: {precision} is not one of 1–5")
        if isinstance(lon, float) and isinstance(lat, float):
            if not (extent[0] <= lon <= extent[2] and extent[1] <= lat <= extent[3]):
                problems.append(f"{at}: lon/lat: ({lon}, {lat}) is outside the city extent {extent}")
        elif (lon is None) != (lat is None) and not isinstance(lon, str) and not isinstance(lat, str):
            problems.append(f"{at}: lon/lat: give both or neither")
        elif lon is None and lat is None and precision in POINT_PRECISIONS:
            problems.append(f"{at}: lon/lat: a precision-{precision} location needs a point")
        adcode = str(row.get("adcode") or "")
        if adcode not in adcodes:
            problems.append(f"{at}: adcode: {adcode[:12]!r} is not one of the county codes")
        if not str(row.get("source") or "").strip():
            problems.append(f"{at}: source: required (where the location comes from)")
    return problems


def check_rows(rows: list[dict[str, Any]], where: str, **known: Any) -> None:
    """Raise ValidationError naming every bad row; nothing is imported when any row is bad."""
    problems = row_problems(rows, where, **known)
    if problems:
        bad = len({p.split(": row ", 1)[1].split(":", 1)[0] for p in problems})
        raise ValidationError(f"{bad} bad row(s) of {len(rows)}: nothing imported", path=where, problems=problems)

"""Validate any input file: GeoJSON by shape, place tables by meaning, anything else as a user's list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.core.validate import TABLE_SUFFIXES, check_file, validate_geojson_file
from geo.layers.userlist import read_table_file
from geo.places.checks import check_place_table


def validate_file(path: str | Path, kind: str | None = None) -> Any:
    """Read, parse and validate a file of any supported type; returns the parsed data. Named errors only."""
    p = Path(path)
    if check_file(p) in TABLE_SUFFIXES:
        kind = kind or ("gazetteer" if p.parent.name == "gazetteer" else "list")
        checked = check_place_table(p, kind)
        return checked if checked is not None else read_table_file(p)
    return validate_geojson_file(path, kind)

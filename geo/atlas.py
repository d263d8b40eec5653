"""Load everything the app shows, validated with the same code as the build; named errors name the file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.analysis.stats import projects_frame
from geo.core import validated
from geo.core.config import for_root
from geo.core.crs import WGS84
from geo.core.errors import InputFileError
from geo.core.io import read_json
from geo.core.tables import read_table
from geo.core.validate import check_file, validate_data, validate_geojson_file


@dataclass
class Atlas:
    """The bundled data, loaded once."""

    projects: gpd.GeoDataFrame
    projects_raw: dict[str, Any]
    counties: gpd.GeoDataFrame
    city: gpd.GeoDataFrame
    boards: dict[str, Any]
    layout: dict[str, Any]
    towns: dict[str, Any]
    transport: dict[str, Any]
    county_layer: dict[str, Any]
    water: dict[str, Any] | None
    boxes: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    layout_info: dict[str, Any]
    sectors: list[dict[str, str]]
    board_info: list[dict[str, str]]
    indicator_years: tuple[int, int] = (2020, 2025)  # (base, target) years of the indicators table
    context: dict[str, Any] | None = None  # the offline basemap's surroundings (data/boundaries/context.geojson)

    @cached_property
    def transport_frame(self) -> gpd.GeoDataFrame:
        """The transport features with a geometry as a frame (computed once; callers must not modify it)."""
        frame = projects_frame(self.transport)
        return frame[frame.geometry.notna()].reset_index(drop=True)


#: The files ``load_atlas`` reads (attribute names of the configuration).
ATLAS_FILES = (
    "PROJECTS",
    "COUNTIES",
    "CITY",
    "WATER",
    "BOXES",
    "INDICATORS",
    "LAYOUT",
    "BOARDS",
    "LAYOUT_LAYER",
    "FEATURED_TOWNS",
    "TRANSPORT",
    "COUNTY_LAYER",
    "SECTORS",
    "BOARD_TABLE",
    "CONTEXT",
)


def atlas_fingerprint(root: Path | None = None) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime in ns, size) of every file ``load_atlas`` reads, (path, -1, -1) if missing: one ``stat`` each.

    A cache keyed by this reloads the atlas when a file is replaced (or removed) while the app runs.
    """
    p = for_root(root)
    out = []
    for name in ATLAS_FILES:
        path = Path(getattr(p, name))
        try:
            info = path.stat()
            out.append((str(path), info.st_mtime_ns, info.st_size))
        except OSError:
            out.append((str(path), -1, -1))
    return tuple(out)


def _geojson(path: Path, kind: str) -> dict[str, Any]:
    """The file's data, validated unless exactly these bytes passed the same checks before (geo/core/validated.py)."""
    name = validated.key(path, kind) if path.is_file() else None
    if validated.seen(name):
        check_file(path)
        return read_json(path)
    data = validate_geojson_file(path, kind=kind)
    validated.remember(name)
    return data


def load_atlas(root: Path | None = None) -> Atlas:
    """Read and validate every file; a missing or corrupt file raises a named error naming it."""
    p = for_root(root)
    projects_raw = _geojson(p.PROJECTS, "projects")
    counties_fc = _geojson(p.COUNTIES, "counties")
    counties = gpd.GeoDataFrame.from_features(counties_fc["features"], crs=WGS84)
    counties["adcode"] = counties["adcode"].astype(str)
    city_fc = _geojson(p.CITY, "city")
    water = _geojson(p.WATER, "water") if p.WATER.exists() else None
    context = _geojson(p.CONTEXT, "context") if p.CONTEXT.exists() else None
    boxes = read_json(p.BOXES)
    indicators = read_json(p.INDICATORS)
    layout_info = read_json(p.LAYOUT)
    for path, data, key in ((p.BOXES, boxes, "boxes"), (p.INDICATORS, indicators, "indicators")):
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            raise InputFileError(f"expected an object with a {key!r} list", path=str(path))
    validate_data(layout_info, "json", str(p.LAYOUT))
    return Atlas(
        projects=projects_frame(projects_raw),
        projects_raw=projects_raw,
        counties=counties,
        city=gpd.GeoDataFrame.from_features(city_fc["features"], crs=WGS84),
        boards=_geojson(p.BOARDS, "boards"),
        layout=_geojson(p.LAYOUT_LAYER, "layout"),
        towns=_geojson(p.FEATURED_TOWNS, "featured_towns"),
        transport=_geojson(p.TRANSPORT, "transport"),
        county_layer=_geojson(p.COUNTY_LAYER, "counties"),
        water=water,
        boxes=boxes["boxes"],
        indicators=indicators["indicators"],
        indicator_years=(int(indicators.get("base_year") or 2020), int(indicators.get("target_year") or 2025)),
        layout_info=layout_info,
        sectors=read_table(p.SECTORS, ("sector", "kind", "zh", "en")),
        board_info=read_table(p.BOARD_TABLE, ("board", "zh", "en", "short_zh", "short_en")),
        context=context,
    )

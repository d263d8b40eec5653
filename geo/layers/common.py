"""Helpers shared by the layer builders: resolving table names to places, metric lengths, counties touched."""

from __future__ import annotations

from typing import Any

import geopandas as gpd

from geo.core.crs import METRIC, WGS84
from geo.core.errors import GazetteerError
from geo.places.gazetteer import Gazetteer, Place

SOURCE_NOTE = "Built by `python -m geo build`; schematic where marked."


def resolve(gaz: Gazetteer, token: str, where: str) -> Place:
    """A gazetteer id or an unambiguous name; unknown names fail the build naming the file and line."""
    if token in gaz.places:
        return gaz.places[token]
    found = [p for p in gaz.lookup(token) if p.kind != "city"] or gaz.lookup(token)
    if not found:
        raise GazetteerError(f"unknown place {token!r} (not in the gazetteer)", path=where)
    if len(found) > 1:
        raise GazetteerError(f"place {token!r} is ambiguous: {[p.id for p in found]}", path=where)
    return found[0]


def length_km(geom: Any) -> float:
    return float(gpd.GeoSeries([geom], crs=WGS84).to_crs(METRIC).length.iloc[0] / 1000)


def counties_touched(geom: Any, counties: gpd.GeoDataFrame) -> list[str]:
    hits = counties[counties.intersects(geom)]
    return sorted(hits["adcode"])

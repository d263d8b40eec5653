"""The transport layer: every project of 专栏32–36 drawn through the waypoints of data/transport.csv."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from shapely.geometry import LineString, Point, mapping

from geo.core.config import paths
from geo.core.domain import PRECISION_LABELS, Precision
from geo.core.errors import ValidationError
from geo.core.io import feature_collection
from geo.core.tables import read_table
from geo.layers.common import SOURCE_NOTE, counties_touched, length_km, resolve
from geo.places.boards import BoardAssigner
from geo.places.gazetteer import Gazetteer
from geo.places.geocoder import Geocoder

LINE_MODES = ("rail", "highway", "national_road", "provincial_road", "waterway", "metro", "brt", "tram")
POINT_MODES = ("airport",)


def transport_layer(
    features: list[dict[str, Any]],
    gaz: Gazetteer,
    geocoder: Geocoder,
    assigner: BoardAssigner,
    counties: gpd.GeoDataFrame,
    city: gpd.GeoDataFrame,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Every project of 专栏32–36 from data/transport.csv; the projects get the same geometry (precision 5/1)."""
    table_path = paths.DATA / "transport.csv"
    rows = read_table(table_path, ("project", "mode", "status", "stated_km", "stated_scope", "waypoints", "note"))
    by_id = {f["id"]: f for f in features}
    transport_ids = {
        f["id"] for f in features if 32 <= f["properties"]["box"] <= 36 and f["properties"]["entry_type"] != "group"
    }
    listed = {r["project"] for r in rows}
    missing = sorted(transport_ids - listed)
    extra = sorted(listed - transport_ids)
    if missing or extra:
        raise ValidationError(
            f"data/transport.csv must list exactly the projects of 专栏32–36 (missing {missing}, not projects {extra})",
            path=str(table_path),
        )
    city_geom = city.geometry.iloc[0]
    out = []
    for row in rows:
        where = f"{table_path}:{row['_line']}"
        feature = by_id[row["project"]]
        p = feature["properties"]
        waypoints, points = [], []
        for token in [t for t in row["waypoints"].split("|") if t]:
            place = resolve(gaz, token, where)
            if place.kind == "city":
                place = gaz.places["ext:jilin-city"]
            lon, lat, source, fallback = geocoder.waypoint_point(place)
            waypoints.append(
                {
                    "name": token,
                    "gazetteer_id": place.id,
                    "lon": lon,
                    "lat": lat,
                    "point_from": source,
                    "fallback": fallback,
                }
            )
            if lon is not None and (not points or points[-1] != (lon, lat)):
                points.append((lon, lat))
        stated = float(row["stated_km"]) if row["stated_km"] else None
        geom, drawn_km, in_city_km = None, None, None
        notes = [row["note"]] if row["note"] else []
        if row["mode"] in POINT_MODES and points:
            geom = Point(points[0])
            precision = (
                Precision.SITE
                if gaz.places[waypoints[0]["gazetteer_id"]].coord_precision == Precision.SITE
                else Precision.TOWN
            )
        elif row["mode"] in LINE_MODES and len(points) >= 2:
            geom = LineString(points)
            drawn_km = round(length_km(geom), 1)
            in_city_km = round(length_km(geom.intersection(city_geom)), 1)
            precision = Precision.LINE
        else:
            precision = p["precision"] if p["precision"] != Precision.LINE else Precision.COUNTY
            if row["waypoints"] and len(points) < 2 and row["mode"] in LINE_MODES:
                notes.append("fewer than two waypoints with a sourced point: no route drawn")
        for wp in waypoints:
            if wp["fallback"]:
                notes.append(wp["fallback"])
            elif wp["point_from"] and wp["point_from"] != wp["gazetteer_id"]:
                notes.append(
                    f"{wp['name']} has no sourced point of its own: drawn at {gaz.places[wp['point_from']].name}"
                )
            elif wp["lon"] is None:
                notes.append(f"{wp['name']} has no sourced point and no county seat to fall back to: skipped")
        compare = in_city_km if row["stated_scope"] == "in_city" else drawn_km
        ratio = round(compare / stated, 2) if (compare is not None and stated) else None
        props = {
            "id": row["project"],
            "name": p["name"],
            "name_en": p["name_en"],
            "box": p["box"],
            "mode": row["mode"],
            "status": row["status"],
            "stated_km": stated,
            "stated_scope": row["stated_scope"] or None,
            "drawn_km": drawn_km,
            "drawn_km_in_city": in_city_km,
            "length_ratio": ratio,
            "waypoints": waypoints,
            "drawn": geom is not None,
            "schematic": geom is not None and precision == Precision.LINE,
            "precision": precision,
            "precision_label": PRECISION_LABELS[precision],
            "notes": notes,
            "plan_quote": p["plan_quote"],
            "plan_lines": p["plan_lines"],
        }
        out.append({"id": row["project"], "properties": props, "geometry": mapping(geom) if geom is not None else None})
        if geom is not None:
            touched = counties_touched(geom, counties)
            feature["geometry"] = mapping(geom)
            board_places = [gaz.places[c] for c in touched]
            b, primary, rules = assigner.assign(board_places)
            p.update(
                precision=precision,
                precision_label=PRECISION_LABELS[precision],
                location_basis="transport table (data/transport.csv): "
                + ("schematic line through named waypoints" if precision == Precision.LINE else "facility point"),
                adcodes=touched,
                counties=[gaz.county_name(c) for c in touched],
                county=gaz.county_name(touched[0]) if len(touched) == 1 else None,
                adcode=touched[0] if len(touched) == 1 else None,
                location_notes=notes,
                boards=b,
                primary_board=primary,
                board_rules=rules,
            )
        else:
            feature["geometry"] = None
            if p["precision"] in (Precision.SITE, Precision.TOWN, Precision.LINE):
                p.update(precision=Precision.COUNTY if p["adcodes"] else Precision.CITY)
                p["precision_label"] = PRECISION_LABELS[p["precision"]]
            p["location_notes"] = list(dict.fromkeys(p["location_notes"] + notes))
    return feature_collection(out, name="transport", source=SOURCE_NOTE), features

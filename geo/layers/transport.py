"""The transport layer: every project of 专栏32–36 drawn through the waypoints of data/transport.csv."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from shapely.geometry import LineString, Point, mapping

from geo.core.config import paths
from geo.core.crs import METRIC, WGS84
from geo.core.domain import PRECISION_LABELS, Precision
from geo.core.errors import ValidationError
from geo.core.io import feature_collection
from geo.core.tables import read_table
from geo.layers.common import SOURCE_NOTE, counties_touched, length_km, resolve
from geo.places.boards import BoardAssigner
from geo.places.gazetteer import Gazetteer
from geo.places.geocoder import Geocoder

LINE_MODES = ("rail", "highway", "national_road", "provincial_road", "waterway", "metro", "brt", "tram", "pipeline")
POINT_MODES = ("airport",)
#: Modes of cross-city lines outside 专栏32–36 (the gas pipelines of 专栏37): listed in data/transport.csv and drawn
#: the same way, written to the project features only (they are not part of the transport layer).
OTHER_BOX_MODES = ("pipeline",)
#: Properties a drawn line carries in data/projects.geojson too (the same values as in the transport layer).
LINE_PROPS = (
    "mode",
    "stated_km",
    "drawn_km",
    "stated_scope",
    "length_in_city_km",
    "cross_city",
    "end_to_end_km",
    "in_city_ends",
    "in_length_stats",
    "length_ratio",
)
UNCERTAIN = "uncertain"  # `extent` of a line whose drawn ends cannot be the stated extent (docs/SCHEMA.md)


def transport_layer(
    features: list[dict[str, Any]],
    gaz: Gazetteer,
    geocoder: Geocoder,
    assigner: BoardAssigner,
    counties: gpd.GeoDataFrame,
    city: gpd.GeoDataFrame,
    ref_ids: dict[str, str] | None = None,
    warnings: list[str] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Every project of the transport boxes, drawn from data/transport.csv (precision 5/1).

    ``ref_ids`` maps the ids the table was written with to this plan's ids (stable keys, geo.plan.keys); a
    transport project the table lacks is listed undrawn, with a warning in ``warnings`` (else a ValidationError).
    """
    by_id = {f["id"]: f for f in features}
    rows, transport_ids = transport_rows(features, ref_ids, warnings)
    city_geom = city.geometry.iloc[0]
    city_metric = city.to_crs(METRIC).geometry.iloc[0]
    out = []
    for row in rows:
        where = f"data/transport.csv:{row['_line']}"
        feature = by_id[row["project"]]
        p = feature["properties"]
        waypoints = _left_out_duplicates([_waypoint(t, gaz, geocoder, where) for t in row["waypoints"].split("|") if t])
        points: list[tuple[float, float]] = []
        for wp in waypoints:
            if wp["used"] and (not points or points[-1] != (wp["lon"], wp["lat"])):
                points.append((wp["lon"], wp["lat"]))
        stated = float(row["stated_km"]) if row["stated_km"] else None
        scope = row["stated_scope"] or None
        geom, drawn_km, in_city_km, extent, ends, straight = None, None, None, None, None, None
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
            in_city_km = round(length_in_city_km(geom, city_metric), 1)
            precision = Precision.LINE
            ends = _in_city_ends(geom, city_geom) if scope == "in_city" else [points[0], points[-1]]
            straight = round(straight_km(*ends), 1) if ends else None
            extent = _extent(waypoints, stated, straight)
            if extent == UNCERTAIN:
                notes.append(
                    f"the drawn ends are {straight:g} km apart in a straight line, more than the stated {stated:g} km, "
                    "so the real termini are not where the line ends (town or seat points stand in for them): the "
                    "line shows the corridor, not the extent (extent uncertain; left out of the length statistics)"
                )
        else:
            # not drawn: the location its evidence supports is the project's county (or the city), in every layer
            precision = p["precision"]
            if precision in (Precision.SITE, Precision.TOWN, Precision.LINE):
                precision = Precision.COUNTY if p["adcodes"] else Precision.CITY
            if row["waypoints"] and len(points) < 2 and row["mode"] in LINE_MODES:
                notes.append("fewer than two waypoints with a sourced point: no route drawn")
            elif row["waypoints"] and row["mode"] not in LINE_MODES + POINT_MODES:
                notes.append(
                    f"mode {row['mode']} is not a facility of its own: not pinned at its waypoint, located at "
                    "that waypoint's county"
                )
        notes += _waypoint_notes(waypoints)
        compare = in_city_km if scope == "in_city" else drawn_km
        in_stats = compare is not None and bool(stated) and extent != UNCERTAIN
        ratio = round(compare / stated, 2) if in_stats else None
        touched = counties_touched(geom, counties) if geom is not None else list(p["adcodes"])
        props = {
            "id": row["project"],
            "name": p["name"],
            "name_en": p["name_en"],
            "box": p["box"],
            "mode": row["mode"],
            "status": row["status"],
            "stated_km": stated,
            "stated_scope": scope,
            "drawn_km": drawn_km,
            "drawn_km_in_city": in_city_km,
            "length_in_city_km": in_city_km,
            "cross_city": geom is not None and precision == Precision.LINE and not city_geom.covers(geom),
            "length_ratio": ratio,
            "end_to_end_km": straight,
            "in_city_ends": [list(e) for e in ends] if scope == "in_city" and ends else None,
            "extent": extent,
            "uncertainty_m": waypoints[0]["uncertainty_m"] if isinstance(geom, Point) else None,
            "in_length_stats": in_stats,
            "waypoints": waypoints,
            "drawn": geom is not None,
            "schematic": geom is not None and precision == Precision.LINE,
            "precision": precision,
            "precision_label": PRECISION_LABELS[precision],
            "counties": [gaz.county_name(c) for c in touched],
            "adcodes": touched,
            "notes": notes,
            "plan_quote": p["plan_quote"],
            "plan_lines": p["plan_lines"],
        }
        if row["project"] in transport_ids:
            out.append(
                {"id": row["project"], "properties": props, "geometry": mapping(geom) if geom is not None else None}
            )
        if geom is not None:
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
            if extent is not None:
                p["extent"] = extent
            if precision == Precision.LINE:
                p.update({k: props[k] for k in LINE_PROPS})
            p["uncertainty_m"] = props["uncertainty_m"]
        else:
            feature["geometry"] = None
            p.update(precision=precision, precision_label=PRECISION_LABELS[precision], uncertainty_m=None)
            p["location_notes"] = list(dict.fromkeys(p["location_notes"] + notes))
    return feature_collection(out, name="transport", source=SOURCE_NOTE), features


def transport_rows(
    features: list[dict[str, Any]], ref_ids: dict[str, str] | None, warnings: list[str] | None
) -> tuple[list[dict[str, str]], set[str]]:
    """The table's rows with ``project`` as this plan's id (a transport project without a row gets an empty one),
    and the ids of the transport projects (the cross-city lines of other boxes are not in the transport layer)."""
    table_path = paths.DATA / "transport.csv"
    columns = ("project", "mode", "status", "stated_km", "stated_scope", "waypoints", "note")
    rows = read_table(table_path, columns) if table_path.exists() else []
    transport_ids = [
        f["id"]
        for f in features
        if f["properties"]["sector"] == "transport" and f["properties"]["entry_type"] != "group"
    ]
    others = {f["id"] for f in features if f["properties"]["entry_type"] != "group"} - set(transport_ids)
    ids = ref_ids if ref_ids is not None else {f["id"]: f["id"] for f in features}
    problems, out = [], []
    for row in rows:
        current = ids.get(row["project"])
        if current not in transport_ids and not (current in others and row["mode"] in OTHER_BOX_MODES):
            problems.append(
                f"{table_path}:{row['_line']}: {row['project']} is neither a transport project of this plan nor a "
                f"cross-city line of mode {'/'.join(OTHER_BOX_MODES)}"
            )
            continue
        out.append(dict(row, project=current))
    listed = {r["project"] for r in out}
    for missing in (i for i in transport_ids if i not in listed):
        problems.append(f"{missing}: not in {table_path.name}: listed, no route drawn")
        name = next(f["properties"]["name"] for f in features if f["id"] == missing)
        mode = transport_mode(name)
        out.append(
            {
                "project": missing,
                "mode": mode,
                "status": "",
                "stated_km": "",
                "stated_scope": "",
                "waypoints": "",
                "note": "no row in the transport table: not drawn",
                "_line": "-",
            }
        )
    if problems and warnings is None:
        raise ValidationError(
            f"{table_path.name} must list exactly the transport projects ({len(problems)} problem(s))",
            path=str(table_path),
            problems=problems,
        )
    (warnings if warnings is not None else []).extend(problems)
    return out, set(transport_ids)


#: A transport project's mode from the words of its name, first match wins (a table row's mode wins over this).
MODE_WORDS = (
    ("机场", "airport"),
    ("航空", "airport"),
    ("高铁", "rail"),
    ("铁路", "rail"),
    ("城际", "rail"),
    ("轨道交通", "metro"),
    ("地铁", "metro"),
    ("快速公交", "brt"),
    ("有轨电车", "tram"),
    ("航道", "waterway"),
    ("码头", "waterway"),
    ("高速", "highway"),
    ("国道", "national_road"),
    ("省道", "provincial_road"),
    ("公路", "highway"),
    ("管道", "pipeline"),
)


def transport_mode(name: str) -> str:
    return next((mode for word, mode in MODE_WORDS if word in name), "other")


def _waypoint(token: str, gaz: Gazetteer, geocoder: Geocoder, where: str) -> dict[str, Any]:
    """One named waypoint: ``?name`` is a place the plan names that the gazetteer does not have (left out, said)."""
    if token.startswith("?"):
        name = token[1:]
        return {
            "name": name,
            "gazetteer_id": None,
            "lon": None,
            "lat": None,
            "point_from": None,
            "fallback": f"{name} is named by the plan but has no sourced place in the gazetteer: left out of the line",
            "uncertainty_m": None,
            "stand_in": False,
            "drawn_at": None,
            "used": False,
        }
    place = resolve(gaz, token, where)
    if place.kind == "city":
        place = gaz.places["ext:jilin-city"]
    lon, lat, source, fallback = geocoder.waypoint_point(place)
    stand_in = source is not None and source != place.id
    return {
        "name": token,
        "gazetteer_id": place.id,
        "lon": lon,
        "lat": lat,
        "point_from": source,
        "fallback": fallback,
        "uncertainty_m": gaz.places[source].coord_uncertainty_m if source else None,
        "stand_in": stand_in,  # drawn at a place that is not the named one (a parent town, a county seat…)
        "drawn_at": gaz.places[source].name if stand_in else None,
        "used": lon is not None,
    }


def _waypoint_notes(waypoints: list[dict[str, Any]]) -> list[str]:
    notes = []
    for wp in waypoints:
        if wp["fallback"]:
            notes.append(wp["fallback"])
        elif wp["stand_in"]:
            notes.append(f"{wp['name']} has no sourced point of its own: drawn at {wp['drawn_at']}")
        elif wp["lon"] is None:
            notes.append(f"{wp['name']} has no sourced point and no county seat to fall back to: skipped")
    return notes


def _left_out_duplicates(waypoints: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A stand-in point equal to a neighbouring waypoint's would make a section vanish: leave it out, say so."""
    for i, wp in enumerate(waypoints):
        if not (wp["stand_in"] and wp["used"]):
            continue
        for j in (i - 1, i + 1):
            other = waypoints[j] if 0 <= j < len(waypoints) else None
            if other and other["used"] and (other["lon"], other["lat"]) == (wp["lon"], wp["lat"]):
                wp["used"] = False
                wp["fallback"] = (
                    f"{wp['name']} has no sourced point; its stand-in ({wp['drawn_at']}) is the point of the "
                    f"neighbouring waypoint {other['name']}: left out, so the line does not reach {wp['name']}"
                )
                break
    return waypoints


def _extent(waypoints: list[dict[str, Any]], stated: float | None, straight: float | None) -> str:
    """``uncertain``: the drawn ends are further apart than the stated length; ``partial``: the first or last named
    waypoint could not be drawn; else ``named``: the line runs between the named ends (schematically)."""
    if stated and straight is not None and straight > stated:
        return UNCERTAIN
    if not (waypoints[0]["used"] and waypoints[-1]["used"]):
        return "partial"
    return "named"


def _in_city_ends(line: LineString, city_geom: Any) -> list[tuple[float, float]] | None:
    """The first and last point of the line's part inside the city (along the line)."""
    part = line.intersection(city_geom)
    if part.is_empty:
        return None
    coords = [c for g in getattr(part, "geoms", [part]) for c in g.coords]
    coords.sort(key=lambda c: line.project(Point(c)))
    return [tuple(round(v, 6) for v in coords[0]), tuple(round(v, 6) for v in coords[-1])]


def length_in_city_km(line: Any, city_metric: Any) -> float:
    """Length in km of the part of ``line`` (WGS84) inside the city, clipped in the metric CRS (EPSG:32652), where
    ``city_metric`` is the city polygon already projected there."""
    projected = gpd.GeoSeries([line], crs=WGS84).to_crs(METRIC).iloc[0]
    return float(projected.intersection(city_metric).length / 1000)


def straight_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Straight distance in km, in the metric CRS."""
    s = gpd.GeoSeries([Point(a), Point(b)], crs=WGS84).to_crs(METRIC)
    return float(s.iloc[0].distance(s.iloc[1]) / 1000)

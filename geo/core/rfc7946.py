"""RFC 7946 checks of raw GeoJSON geometry (types, positions, rings, bbox, crs, depth) before any library sees it."""

from __future__ import annotations

import math
from typing import Any

#: Nesting depth of ``coordinates`` for each geometry type (0 = one position).
DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
TYPES = (*DEPTH, "GeometryCollection")
#: GeometryCollections inside GeometryCollections deeper than this are refused (RFC 7946 §3.1.8: SHOULD NOT nest).
MAX_COLLECTION_DEPTH = 4
#: crs names that mean WGS84 longitude/latitude (the only CRS RFC 7946 allows).
WGS84_NAMES = ("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _position_problem(value: Any) -> str | None:
    if not isinstance(value, (list, tuple)):
        return f"a position must be an array of numbers, not {type(value).__name__}"
    if not 2 <= len(value) <= 3:
        return f"a position has {len(value)} element(s); RFC 7946 §3.1.1 needs 2 or 3 (lon, lat[, height])"
    if not all(_is_number(c) for c in value):
        return "coordinates are not finite numbers (NaN/inf, text or nested arrays)"
    return None


def _ring_area2(ring: list[list[float]]) -> float:
    """Twice the signed area (shoelace): positive for counter-clockwise."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))


class _Walk:
    """One geometry's problems, advice and positions, checked iteratively (no recursion, no depth surprise)."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.advice: list[str] = []
        self.positions: list[Any] = []

    def arrays(self, value: Any, depth: int, where: str, gtype: str) -> list[Any] | None:
        """The position arrays at ``depth`` (1 = lists of positions); None after reporting a structure problem."""
        level = [value]
        for _ in range(depth):
            nxt = []
            for item in level:
                if not isinstance(item, (list, tuple)):
                    self.problems.append(f"{where}: not a valid {gtype}: coordinates nested at the wrong depth")
                    return None
                nxt.extend(item)
            level = nxt
        return level

    def positions_of(self, items: list[Any], where: str, gtype: str) -> bool:
        for item in items:
            problem = _position_problem(item)
            if problem:
                prefix = "" if "finite" in problem else f"not a valid {gtype}: "
                self.problems.append(f"{where}: {prefix}{problem}")
                return False
        self.positions.extend(items)
        return True

    def geometry(self, geom: Any, where: str, collection_depth: int = 0) -> None:
        if not isinstance(geom, dict):
            self.problems.append(f"{where}: a geometry must be a JSON object, not {type(geom).__name__}")
            return
        gtype = geom.get("type")
        if gtype not in TYPES:
            shown = gtype if isinstance(gtype, str) else type(gtype).__name__
            self.problems.append(
                f"{where}: unknown geometry type {shown[:40]!r} (RFC 7946 §1.4 allows {', '.join(TYPES)})"
            )
            return
        before = len(self.positions)
        if gtype == "GeometryCollection":
            parts = geom.get("geometries")
            if not isinstance(parts, list):
                self.problems.append(f"{where}: a GeometryCollection needs a list of geometry objects")
                return
            if collection_depth >= MAX_COLLECTION_DEPTH:
                self.problems.append(f"{where}: GeometryCollections nested more than {MAX_COLLECTION_DEPTH} deep")
                return
            for k, part in enumerate(parts):
                self.geometry(part, f"{where}[{k}]", collection_depth + 1)
        else:
            self.coordinates(geom.get("coordinates"), gtype, where)
        self.bbox(geom, where, self.positions[before:])

    def coordinates(self, raw: Any, gtype: str, where: str) -> None:  # noqa: C901 - one branch per RFC 7946 rule
        if raw is None or raw == []:
            self.problems.append(f"{where}: geometry has no coordinates")
            return
        if not isinstance(raw, (list, tuple)):
            self.problems.append(f"{where}: not a valid {gtype}: coordinates must be an array")
            return
        depth = DEPTH[gtype]
        if gtype == "Point":
            self.positions_of([raw], where, gtype)
            return
        if gtype == "MultiPoint":
            self.positions_of(list(raw), where, gtype)
            return
        lines = self.arrays(raw, depth - 1, where, gtype)  # lists of positions: lines or rings
        if lines is None:
            return
        for line in lines:
            if not isinstance(line, (list, tuple)):
                self.problems.append(f"{where}: not a valid {gtype}: coordinates nested at the wrong depth")
                return
            if not self.positions_of(list(line), where, gtype):
                return
        if gtype in ("LineString", "MultiLineString"):
            short = [len(line) for line in lines if len(line) < 2]
            if short:
                self.problems.append(
                    f"{where}: not a valid {gtype}: a line has {short[0]} position(s); RFC 7946 §3.1.4 needs 2 or more"
                )
            return
        polygons = [raw] if gtype == "Polygon" else list(raw)
        for p, rings in enumerate(polygons):
            label = "" if gtype == "Polygon" else f"polygon {p} "
            if not rings:
                self.problems.append(f"{where}: not a valid {gtype}: {label}has no rings")
                continue
            for r, ring in enumerate(rings):
                ring = list(ring)
                name = f"{label}{'exterior ring' if r == 0 else f'hole {r}'}"
                if len(ring) < 4:
                    self.problems.append(
                        f"{where}: not a valid {gtype}: {name} has {len(ring)} position(s); "
                        "RFC 7946 §3.1.6 needs a closed ring of 4 or more"
                    )
                elif list(ring[0]) != list(ring[-1]):
                    self.problems.append(
                        f"{where}: not a valid {gtype}: {name} is not closed (first position {list(ring[0])} ≠ last "
                        f"{list(ring[-1])}; RFC 7946 §3.1.6)"
                    )
                else:
                    area = _ring_area2(ring)
                    if (r == 0 and area < 0) or (r > 0 and area > 0):
                        self.advice.append(
                            f"{where}: {name} is {'clockwise' if r == 0 else 'counter-clockwise'} "
                            "(RFC 7946 §3.1.6 advises exterior rings counter-clockwise, holes clockwise)"
                        )

    def bbox(self, obj: dict[str, Any], where: str, positions: list[Any]) -> None:
        problems = bbox_problems(obj.get("bbox", None), positions, where) if "bbox" in obj else []
        self.problems += problems


def bbox_problems(bbox: Any, positions: list[Any], where: str) -> list[str]:
    """A ``bbox`` must be 2×n finite numbers (n = 2 or 3), south ≤ north, and contain every position (§5)."""
    if not isinstance(bbox, list) or len(bbox) not in (4, 6) or not all(_is_number(v) for v in bbox):
        return [f"{where}: bbox must be an array of 4 or 6 finite numbers (RFC 7946 §5)"]
    n = len(bbox) // 2
    west, south, east, north = bbox[0], bbox[1], bbox[n], bbox[n + 1]
    if south > north:
        return [f"{where}: bbox south {south} is north of its north {north} (RFC 7946 §5)"]
    for pos in positions:
        x, y = pos[0], pos[1]
        in_x = west <= x <= east if west <= east else (x >= west or x <= east)  # §5.2: across the antimeridian
        if not (in_x and south <= y <= north):
            return [f"{where}: bbox {bbox} does not contain position {list(pos)} (RFC 7946 §5)"]
    return []


def check_geometry(geom: Any, where: str) -> tuple[list[str], list[str]]:
    """(problems, advice) of one raw GeoJSON geometry; problems are spec violations, advice is not a failure."""
    walk = _Walk()
    walk.geometry(geom, where)
    return walk.problems, walk.advice


def geometry_problems(geom: Any, where: str) -> list[str]:
    """The spec violations of one geometry (advice left out)."""
    return check_geometry(geom, where)[0]


def positions(geom: Any) -> list[Any]:
    """Every position of a geometry that passes :func:`check_geometry` (empty otherwise)."""
    walk = _Walk()
    walk.geometry(geom, "")
    return [] if walk.problems else walk.positions


def crs_problems(obj: dict[str, Any], where: str) -> list[str]:
    """A ``crs`` member (GeoJSON 2008) is not RFC 7946: refused unless it names WGS84 lon/lat."""
    if "crs" not in obj:
        return []
    crs = obj["crs"]
    name = (
        crs.get("properties", {}).get("name")
        if isinstance(crs, dict) and isinstance(crs.get("properties"), dict)
        else None
    )
    if isinstance(name, str) and name.strip() in WGS84_NAMES:
        return []
    shown = name if isinstance(name, str) else repr(crs)[:80]
    return [
        f"{where}: crs member names {shown!r}: RFC 7946 removed `crs` (GeoJSON 2008) and allows only WGS84 "
        "lon/lat — reproject to EPSG:4326 and drop the crs member"
    ]


def collection_problems(data: dict[str, Any], path: str) -> list[str]:
    """Top-level members of a FeatureCollection: ``crs`` and a ``bbox`` that must contain every feature."""
    problems = crs_problems(data, path)
    if "bbox" in data:
        features = data.get("features") if isinstance(data.get("features"), list) else []
        pts = [p for f in features if isinstance(f, dict) for p in positions(f.get("geometry"))]
        problems += bbox_problems(data["bbox"], pts, f"{path}: bbox")
    return problems


def feature_problems(feature: dict[str, Any], where: str) -> list[str]:
    """A Feature's own ``bbox`` and ``crs`` (the geometry is checked by :func:`check_geometry`)."""
    problems = crs_problems(feature, where)
    if "bbox" in feature:
        problems += bbox_problems(feature["bbox"], positions(feature.get("geometry")), f"{where}: bbox")
    return problems


def collection_advice(data: Any, path: str) -> list[str]:
    """Advice lines (ring orientation, obsolete WGS84 crs) for a FeatureCollection that passed validation."""
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        return []
    advice = []
    if "crs" in data and not crs_problems(data, path):
        advice.append(f"{path}: the crs member is obsolete (RFC 7946 removed it); WGS84 is assumed")
    for index, feature in enumerate(data["features"]):
        if isinstance(feature, dict) and feature.get("geometry") is not None:
            advice += check_geometry(feature["geometry"], f"{path}: feature {index}: geometry")[1]
    return advice


def advice_line(data: Any, path: str) -> str | None:
    """One line summarising :func:`collection_advice` (None when there is none): advice, never a failure."""
    advice = collection_advice(data, path)
    if not advice:
        return None
    first = advice[0].removeprefix(f"{path}: ")
    more = f" (and {len(advice) - 1} more)" if len(advice) > 1 else ""
    return f"{path}: advice (not an error): {first}{more}"

"""File-shape validation: a GeoJSON/JSON file against its JSON schema plus geometry checks; one line per problem."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import shape

from geo.core import rfc7946
from geo.core.config import paths
from geo.core.coords import geometry_to_gcj
from geo.core.crs import METRIC, REGION_BBOX, WGS84
from geo.core.domain import Precision
from geo.core.errors import InputFileError, ValidationError
from geo.core.io import read_json
from geo.core.safepath import check_input
from geo.core.schema import validator as schema_validator

MAX_BYTES = 40 * 1024 * 1024  # a layer bigger than this is refused before parsing
MAX_PROBLEMS = 200

#: Allowed geometry types per precision code of a project.
PRECISION_GEOMETRY = {
    Precision.SITE: {"Point", "MultiPoint"},
    Precision.TOWN: {"Point", "MultiPoint"},
    Precision.COUNTY: {None},
    Precision.CITY: {None},
    Precision.OUTSIDE: {None},
    Precision.LINE: {"LineString", "MultiLineString"},
}
KIND_GEOMETRY = {
    "counties": {"Polygon", "MultiPolygon"},
    "boards": {"Polygon", "MultiPolygon", None},
    "layout": {"Point", "GeometryCollection", None},
    "featured_towns": {"Point", None},
    "transport": {"Point", "LineString", None},
    "water": {"LineString", "MultiLineString", "Polygon", "MultiPolygon"},
    "city": {"Polygon", "MultiPolygon"},
    "context": {"Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"},
    "layer": {
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
        None,
    },
}
SCHEMA_OF = {"projects": "projects", "counties": "county", "city": "county"}


def guess_kind(path: str | Path) -> str:
    """Schema name from the file name (projects, counties, boards, layout, featured_towns, transport, …)."""
    name = Path(path).name.lower()
    if name.endswith(".json") and not name.endswith(".geojson"):
        return "json"
    stem = name.removesuffix(".geojson")
    for kind in ("projects", "counties", "boards", "layout", "featured_towns", "transport", "water", "city", "context"):
        if re.search(rf"(^|[_.-]){kind}($|[_.-])", stem):
            return kind
    return "layer"


def _where(path: str, index: int | None, fid: Any, field: str | None) -> str:
    parts = [path]
    if index is not None:
        parts.append(f"feature {index}" + (f" ({fid})" if fid not in (None, "") else ""))
    if field:
        parts.append(field)
    return ": ".join(parts)


def _coords(value: Any):
    """Every position (innermost list) of a coordinates array, whatever its element types."""
    if isinstance(value, (list, tuple)) and value and not isinstance(value[0], (list, tuple)):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _coords(v)


def _geometry_problems(geom: dict[str, Any], where: str, extent: tuple[float, float, float, float]) -> list[str]:
    problems = rfc7946.geometry_problems(geom, where)  # RFC 7946 before shapely sees the geometry
    if problems:
        return problems
    gtype = geom.get("type")
    if gtype == "GeometryCollection":
        parts = geom.get("geometries")
        if not isinstance(parts, list) or not all(isinstance(part, dict) for part in parts):
            return [f"{where}: a GeometryCollection needs a list of geometry objects"]
        for k, part in enumerate(parts):
            problems += _geometry_problems(part, f"{where}[{k}]", extent)
        return problems
    raw = geom.get("coordinates")
    pts = list(_coords(raw)) if raw is not None else []
    if not pts:
        return [f"{where}: geometry has no coordinates"]
    bad = [
        p
        for p in pts
        if len(p) < 2
        or not all(isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c) for c in p[:2])
    ]
    if bad:
        return [f"{where}: coordinates are not finite numbers (NaN/inf or text)"]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    if any(abs(x) > 180 for x in xs) or any(abs(y) > 90 for y in ys):
        if all(abs(x) <= 90 for x in xs) and all(abs(y) <= 180 for y in ys):
            return [f"{where}: lon/lat out of range — latitude and longitude look swapped"]
        return [f"{where}: coordinates out of WGS84 range (projected coordinates? convert to EPSG:4326)"]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    if extent[1] <= mx <= extent[3] and extent[0] <= my <= extent[2]:
        return [f"{where}: latitude and longitude are swapped (x={mx:.3f}, y={my:.3f})"]
    if not (extent[0] <= mx <= extent[2] and extent[1] <= my <= extent[3]):
        problems.append(f"{where}: outside the expected extent {extent} (centre {mx:.3f}, {my:.3f})")
    try:
        g = shape(geom)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, shapely.errors.ShapelyError) as exc:
        return [f"{where}: not a valid {gtype}: {exc}"]
    if not g.is_valid:
        reason = shapely.is_valid_reason(g)
        problems.append(f"{where}: invalid geometry ({reason})")
    if g.is_empty:
        problems.append(f"{where}: empty geometry")
    return problems


def _gcj_shift_problem(data: dict[str, Any], path: str) -> list[str]:
    """A county layer that matches the reference better after a WGS84→GCJ-02 shift is a GCJ-02 copy."""

    ref_path = paths.COUNTIES
    if Path(path).resolve() == ref_path.resolve() or not ref_path.exists():
        return []
    ref = gpd.read_file(ref_path, engine="pyogrio")
    reference = {str(r["adcode"]): r.geometry for _, r in ref.iterrows()}
    shifted_better = 0
    compared = 0
    for feature in data.get("features", []):
        props = feature.get("properties") or {}
        code = str(props.get("adcode", ""))
        if code not in reference or not feature.get("geometry"):
            continue
        try:
            g = shape(feature["geometry"])
        except (ValueError, TypeError, AttributeError, KeyError):
            continue
        ref_g = reference[code]
        gcj = geometry_to_gcj(ref_g)
        frame = gpd.GeoSeries([g, ref_g, gcj], crs=WGS84).to_crs(METRIC)
        iou_plain = frame[0].intersection(frame[1]).area / max(frame[0].union(frame[1]).area, 1)
        iou_gcj = frame[0].intersection(frame[2]).area / max(frame[0].union(frame[2]).area, 1)
        compared += 1
        if iou_gcj > iou_plain + 0.005:
            shifted_better += 1
    if compared and shifted_better > compared / 2:
        return [
            f"{path}: coordinates appear to be GCJ-02 (Amap/Gaode), about 550 m off WGS84 — "
            f"{shifted_better} of {compared} counties fit the reference better when shifted; convert with gcj_to_wgs"
        ]
    return []


def validate_data(data: Any, kind: str | None = None, path: str | Path = "<data>") -> None:  # noqa: C901 - schema, id, geometry-type and extent checks in one pass over the features
    """Raise ValidationError listing every problem (file, feature index/id, field, what is wrong)."""
    beside = Path(path).parent / "counties.csv"  # data/projects.geojson → data/counties.csv of the same atlas
    path = str(paths.rel(Path(path))) if isinstance(path, Path) else str(path)
    kind = kind or guess_kind(path)
    problems: list[str] = []
    if kind == "json":
        if not isinstance(data, (dict, list)):
            problems.append(f"{path}: expected a JSON object or array")
        if problems:
            raise ValidationError(f"{len(problems)} problem(s)", path=path, problems=problems)
        return
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        message = f"{path}: not a GeoJSON FeatureCollection (type is {found!r})"
        raise ValidationError("not a GeoJSON FeatureCollection", path=path, problems=[message])
    problems += rfc7946.collection_problems(data, path)
    validator = schema_validator(SCHEMA_OF.get(kind, "layer"))
    first = itertools.islice(validator.iter_errors(data), MAX_PROBLEMS)  # stop early: 20k bad features ≠ 1.5 GB
    for error in sorted(first, key=lambda e: list(e.absolute_path)):
        loc = list(error.absolute_path)
        index = loc[1] if len(loc) >= 2 and loc[0] == "features" and isinstance(loc[1], int) else None
        fid = None
        if index is not None:
            feature = data["features"][index]
            fid = feature.get("id") if isinstance(feature, dict) else None
            if fid is None and isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
                fid = feature["properties"].get("id")
        field = ".".join(str(x) for x in loc[2:]) or None
        problems.append(f"{_where(path, index, fid, field)}: {error.message}")
        if len(problems) >= MAX_PROBLEMS:
            break
    features = data.get("features") if isinstance(data.get("features"), list) else []
    allowed = KIND_GEOMETRY.get(kind, KIND_GEOMETRY["layer"])
    extent = REGION_BBOX
    if kind == "context":  # the neighbouring prefectures reach beyond the region
        extent = (extent[0] - 3, extent[1] - 3, extent[2] + 3, extent[3] + 3)
    seen: dict[Any, int] = {}
    counties = (
        _known_counties(beside if beside.is_file() else paths.DATA / "counties.csv") if kind == "projects" else None
    )
    for index, feature in enumerate(features):
        if len(problems) >= MAX_PROBLEMS:
            problems.append(f"{path}: more problems not shown")
            break
        if not isinstance(feature, dict):
            continue
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        fid = feature.get("id", props.get("id"))
        if not isinstance(fid, str | int) or isinstance(fid, bool):
            fid = None  # a wrong-typed id is reported by the schema check above
        if fid is not None:
            if fid in seen:
                problems.append(f"{_where(path, index, fid, 'id')}: duplicate id (also feature {seen[fid]})")
            else:
                seen[fid] = index
        geom = feature.get("geometry")
        gtype = geom.get("type") if isinstance(geom, dict) else None
        gtype = gtype if isinstance(gtype, str) else None  # wrong types are the schema check's to report
        if kind == "projects":
            listed = props.get("adcodes")
            codes = [props.get("adcode"), *(listed if isinstance(listed, list) else [])]  # wrong types: the schema's
            foreign = sorted({c for c in codes if isinstance(c, str) and counties and c not in counties})
            if foreign:
                problems.append(
                    f"{_where(path, index, fid, 'adcodes')}: {', '.join(foreign)} not a county of this atlas "
                    "(data/counties.csv)"
                )
            precision = props.get("precision")
            if (
                isinstance(precision, int)
                and precision in PRECISION_GEOMETRY
                and gtype not in PRECISION_GEOMETRY[precision]
            ):
                problems.append(
                    f"{_where(path, index, fid, 'geometry')}: a precision-{precision} project cannot have "
                    f"{gtype or 'no'} geometry (expected {sorted(map(str, PRECISION_GEOMETRY[precision]))})"
                )
        elif gtype not in allowed:
            problems.append(
                f"{_where(path, index, fid, 'geometry')}: {gtype or 'null'} geometry not allowed in a {kind} layer"
            )
        problems += rfc7946.feature_problems(feature, _where(path, index, fid, None))
        if isinstance(geom, dict):
            problems += _geometry_problems(geom, _where(path, index, fid, "geometry"), extent)
    if kind in ("counties",) and not problems:
        problems += _gcj_shift_problem(data, path)
    if problems:
        raise ValidationError(f"{len(problems)} problem(s)", path=path, problems=problems)


def _known_counties(path: Path) -> frozenset[str]:
    """Adcodes of an atlas's counties (its data/counties.csv); empty if there is none."""
    if not path.exists():
        return frozenset()
    return frozenset(line.split(",", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()[1:] if line)


TABLE_SUFFIXES = (".csv", ".xlsx", ".xls", ".xlsm")


def check_file(path: Path) -> str:
    """Refuse a missing, special, too big or unsupported file before reading it; returns its lower-case suffix."""
    check_input(path, max_bytes=MAX_BYTES)  # missing, directory, FIFO, device (/dev/zero) or oversize
    suffix = path.suffix.lower()
    if suffix not in (*TABLE_SUFFIXES, ".geojson", ".json"):
        raise InputFileError(
            f"unsupported file type {suffix or '(none)'}: expected .geojson, .json, .csv or .xlsx", path=str(path)
        )
    return suffix


def validate_geojson_file(path: str | Path, kind: str | None = None) -> Any:
    """Read, parse and validate a GeoJSON/JSON file; returns the parsed data. Named errors only."""
    p = Path(path)
    if check_file(p) in TABLE_SUFFIXES:
        raise InputFileError("a table, not a GeoJSON/JSON file: check it with geo.layers.checks", path=str(p))
    data = read_json(p)
    validate_data(data, kind, str(path))
    return data

"""RFC 7946 to the letter: every spec violation is a named problem through every validator entry point."""

from __future__ import annotations

import json
import math
import shutil

import pytest
from conftest import ROOT, no_traceback, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.cli import main
from geo.core import rfc7946
from geo.core.errors import InputFileError, ValidationError
from geo.core.validate import validate_data
from geo.layers.checks import validate_file

FAST = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
LON, LAT = 126.55, 43.84  # Jilin city: inside the validator's expected extent

# --- valid geometries (counter-clockwise exterior rings) and mutations that each break one rule of the spec ---


def ring(d: float = 0.01) -> list[list[float]]:
    return [[LON, LAT], [LON + d, LAT], [LON + d, LAT + d], [LON, LAT + d], [LON, LAT]]


VALID = {
    "Point": {"type": "Point", "coordinates": [LON, LAT]},
    "MultiPoint": {"type": "MultiPoint", "coordinates": [[LON, LAT], [LON + 0.01, LAT]]},
    "LineString": {"type": "LineString", "coordinates": [[LON, LAT], [LON + 0.01, LAT + 0.01]]},
    "MultiLineString": {"type": "MultiLineString", "coordinates": [[[LON, LAT], [LON + 0.01, LAT + 0.01]]]},
    "Polygon": {"type": "Polygon", "coordinates": [ring()]},
    "MultiPolygon": {"type": "MultiPolygon", "coordinates": [[ring()]]},
}


def fc(geometry, **members) -> dict:
    return {
        "type": "FeatureCollection",
        **members,
        "features": [{"type": "Feature", "properties": {}, "geometry": geometry}],
    }


def nest(value, depth: int):
    for _ in range(depth):
        value = [value]
    return value


def unclosed(g):
    g = json.loads(json.dumps(g))
    rings = g["coordinates"] if g["type"] == "Polygon" else g["coordinates"][0]
    rings[0] = [*rings[0][:-1], [LON + 0.001, LAT + 0.002]]  # last ≠ first, still 5 positions
    return g


def short_ring(g):
    g = json.loads(json.dumps(g))
    r = [[LON, LAT], [LON + 0.01, LAT], [LON, LAT]]
    if g["type"] == "Polygon":
        g["coordinates"] = [r]
    else:
        g["coordinates"] = [[r]]
    return g


POLYGONAL = st.sampled_from(["Polygon", "MultiPolygon"]).map(lambda t: VALID[t])
ANY_VALID = st.sampled_from(sorted(VALID)).map(lambda t: VALID[t])
BAD_NUMBER = st.one_of(
    st.just(math.nan), st.just(math.inf), st.just(-math.inf), st.text(max_size=5), st.none(), st.booleans()
)
BAD_POSITION = st.one_of(
    st.lists(st.floats(120, 130), max_size=1),  # 0 or 1 element
    st.lists(st.floats(40, 45), min_size=4, max_size=6),  # 4+ elements
    BAD_NUMBER.map(lambda v: [LON, v]),
    BAD_NUMBER.map(lambda v: [v, LAT]),
    st.integers(1, 200).map(lambda d: nest([LON, LAT], d)),  # nested arrays where a number belongs (deeper: below)
    st.text(max_size=4),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def with_point(position):
    return {"type": "Point", "coordinates": position}


MALFORMED = st.one_of(
    st.text(min_size=1, max_size=12)
    .filter(lambda t: t not in rfc7946.TYPES)
    .map(lambda t: {"type": t, "coordinates": [LON, LAT]}),
    st.sampled_from(["Circle", "Curve", "Box", "Rectangle", "point", "POLYGON"]).map(
        lambda t: {"type": t, "coordinates": [LON, LAT], "radius": 100}
    ),
    BAD_POSITION.map(with_point),
    BAD_POSITION.map(lambda p: {"type": "LineString", "coordinates": [[LON, LAT], p]}),
    BAD_POSITION.map(lambda p: {"type": "Polygon", "coordinates": [[[LON, LAT], p, [LON, LAT + 0.1], [LON, LAT]]]}),
    st.just({"type": "LineString", "coordinates": [[LON, LAT]]}),
    st.just({"type": "MultiLineString", "coordinates": [[[LON, LAT], [LON, LAT + 0.1]], [[LON, LAT]]]}),
    POLYGONAL.map(unclosed),
    POLYGONAL.map(short_ring),
    st.sampled_from(sorted(VALID)).map(lambda t: {"type": t, "coordinates": []}),
    st.sampled_from(sorted(VALID)).map(lambda t: {"type": t}),
    st.sampled_from(sorted(VALID)).map(lambda t: {"type": t, "coordinates": "126.5,43.8"}),
    # the wrong depth: a Polygon's coordinates given as a LineString's, a Point's as a MultiPoint's, …
    st.just({"type": "Polygon", "coordinates": [[LON, LAT], [LON + 1, LAT], [LON, LAT + 1], [LON, LAT]]}),
    st.just({"type": "Point", "coordinates": [[LON, LAT]]}),
    st.just({"type": "MultiPolygon", "coordinates": [ring()]}),
    # collections: an unknown or malformed member next to a known one, too deep, not a list
    st.tuples(ANY_VALID, st.sampled_from(["Circle", "Ellipse", ""])).map(
        lambda pair: {"type": "GeometryCollection", "geometries": [pair[0], {"type": pair[1], "coordinates": [1, 2]}]}
    ),
    st.tuples(ANY_VALID, POLYGONAL.map(unclosed)).map(
        lambda pair: {"type": "GeometryCollection", "geometries": list(pair)}
    ),
    st.integers(5, 40).map(lambda d: nest_collection(VALID["Point"], d)),
    st.just({"type": "GeometryCollection", "geometries": {"type": "Point"}}),
    # bbox: wrong length, non-finite, south > north, or not containing the geometry
    ANY_VALID.map(lambda g: {**g, "bbox": [LON, LAT]}),
    ANY_VALID.map(lambda g: {**g, "bbox": [0, 0, 1, 1]}),
    ANY_VALID.map(lambda g: {**g, "bbox": [LON - 1, LAT + 1, LON + 1, LAT - 1]}),
    ANY_VALID.map(lambda g: {**g, "bbox": "126,43,127,44"}),
)


def nest_collection(geom, depth: int):
    for _ in range(depth):
        geom = {"type": "GeometryCollection", "geometries": [geom]}
    return geom


KINDS = st.sampled_from([None, "layer", "boards", "water", "transport", "layout", "projects", "counties"])


@FAST
@given(MALFORMED, KINDS)
def test_validate_data_names_every_malformed_geometry(geometry, kind):
    with pytest.raises(ValidationError) as info:
        validate_data(fc(geometry), kind=kind, path="hostile_layer.geojson")
    assert info.value.problems and all("hostile_layer.geojson" in p for p in info.value.problems)


@FAST
@given(MALFORMED)
def test_validate_file_names_every_malformed_geometry(tmp_path, geometry):
    path = tmp_path / "hostile_layer.geojson"
    path.write_text(json.dumps(fc(geometry)), encoding="utf-8")  # NaN/Infinity become JSON the reader refuses
    with pytest.raises((ValidationError, InputFileError)) as info:
        validate_file(path)
    error = info.value
    assert "hostile_layer.geojson" in " ".join([error.one_line(), *getattr(error, "problems", [])])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(MALFORMED)
def test_cli_validate_exits_with_a_named_code(tmp_path, capsys, geometry):
    path = tmp_path / "hostile_layer.geojson"
    path.write_text(json.dumps(fc(geometry)), encoding="utf-8")
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    # 3: GeoJSON spec violation; 2: not even JSON (NaN/Infinity are not JSON numbers, RFC 8259 §6)
    assert code == (2 if "is not a number" in err else 3), err
    assert "hostile_layer.geojson" in err and "Traceback" not in err


@pytest.fixture(scope="module")
def atlas_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("atlas")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "layers", root / "layers")
    return root


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(MALFORMED)
def test_app_loader_refuses_a_malformed_layer_by_name(atlas_copy, geometry):
    from geo.atlas import load_atlas

    boards = atlas_copy / "layers" / "boards.geojson"
    original = boards.read_bytes()
    data = json.loads(original)
    data["features"][0]["geometry"] = geometry
    boards.write_text(json.dumps(data), encoding="utf-8")
    try:
        with pytest.raises((ValidationError, InputFileError)) as info:
            load_atlas(atlas_copy)
        assert "boards.geojson" in " ".join([info.value.one_line(), *getattr(info.value, "problems", [])])
    finally:
        boards.write_bytes(original)


@pytest.mark.parametrize("name", sorted(VALID))
def test_every_valid_geometry_type_passes(name):
    validate_data(fc(VALID[name]), kind="layer", path="ok.geojson")
    assert rfc7946.check_geometry(VALID[name], "g") == ([], [])


def test_unknown_type_is_named_not_a_shapely_error():
    with pytest.raises(ValidationError) as info:
        validate_data(fc({"type": "Circle", "coordinates": [LON, LAT], "radius": 5}), path="c.geojson")
    assert any("unknown geometry type 'Circle'" in p for p in info.value.problems)


def test_unclosed_ring_is_refused_even_though_shapely_would_close_it():
    with pytest.raises(ValidationError) as info:
        validate_data(fc(unclosed(VALID["Polygon"])), path="u.geojson")
    assert any("is not closed" in p and "3.1.6" in p for p in info.value.problems)


def test_clockwise_exterior_ring_is_advice_not_failure():
    clockwise = {"type": "Polygon", "coordinates": [ring()[::-1]]}
    validate_data(fc(clockwise), kind="layer", path="cw.geojson")  # does not raise
    problems, advice = rfc7946.check_geometry(clockwise, "cw")
    assert problems == [] and len(advice) == 1 and "clockwise" in advice[0]
    assert rfc7946.check_geometry(VALID["Polygon"], "ccw")[1] == []


def test_clockwise_advice_is_printed_but_exit_is_zero(tmp_path, capsys):
    path = tmp_path / "cw_layer.geojson"
    path.write_text(json.dumps(fc({"type": "Polygon", "coordinates": [ring()[::-1]]})), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert "valid as layer" in captured.out and "advice (not an error)" in captured.err


def test_coordinates_nested_thousands_deep_are_a_named_problem_not_recursion():
    deep = {"type": "Point", "coordinates": nest([LON, LAT], 50_000)}  # deeper than any JSON parser allows
    with pytest.raises(ValidationError) as info:
        validate_data(fc(deep), path="deep.geojson")
    assert any("position has 1 element" in p for p in info.value.problems)


def test_crs_member_is_recognised():
    projected = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32652"}}
    with pytest.raises(ValidationError) as info:
        validate_data(fc(VALID["Point"], crs=projected), path="crs.geojson")
    assert any("crs member" in p and "EPSG::32652" in p for p in info.value.problems)
    wgs84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    data = fc(VALID["Point"], crs=wgs84)
    validate_data(data, kind="layer", path="crs84.geojson")  # accepted …
    assert "obsolete" in rfc7946.advice_line(data, "crs84.geojson")  # … with advice


def test_collection_and_feature_bbox_must_contain_the_features():
    validate_data(fc(VALID["Point"], bbox=[LON - 1, LAT - 1, LON + 1, LAT + 1]), kind="layer", path="b.geojson")
    with pytest.raises(ValidationError, match="problem"):
        validate_data(fc(VALID["Point"], bbox=[0, 0, 1, 1]), path="b.geojson")
    data = fc(VALID["Point"])
    data["features"][0]["bbox"] = [0, 0, 1, 1]
    with pytest.raises(ValidationError) as info:
        validate_data(data, path="fb.geojson")
    assert any("bbox" in p and "feature 0" in p for p in info.value.problems)


def test_bbox_across_the_antimeridian_is_allowed():
    assert rfc7946.bbox_problems([170, -10, -170, 10], [[179.5, 0], [-179.5, 1]], "x") == []
    assert rfc7946.bbox_problems([170, -10, -170, 10], [[0, 0]], "x")


def test_cli_subprocess_exit_3_without_traceback(tmp_path):
    path = tmp_path / "circle_layer.geojson"
    collection = {"type": "GeometryCollection", "geometries": [VALID["Point"], {"type": "Circle", "coordinates": [1]}]}
    path.write_text(json.dumps(fc(collection)), encoding="utf-8")
    deep = tmp_path / "deep_layer.geojson"
    deep.write_text(json.dumps(fc({"type": "Point", "coordinates": nest([LON, LAT], 900)})), encoding="utf-8")
    proc = run_cli("validate", str(path), str(deep))
    assert proc.returncode == 3 and no_traceback(proc)
    assert "unknown geometry type 'Circle'" in proc.stderr and "deep_layer.geojson" in proc.stderr

"""Property-based tests (Hypothesis): parser, geocoder, validator and list geocoding never crash with anything but
the named errors, and never lose a record."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.core.errors import AtlasError, GeocodeError, PlanParseError, ValidationError
from geo.core.validate import validate_data
from geo.layers.userlist import geocode_rows
from geo.plan.boxes import parse_plan

FAST = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
NAME = st.text(CJK, min_size=2, max_size=14).map(lambda s: s + "项目")
DESC = st.text(st.one_of(CJK, st.sampled_from("，、（）0123456789.万吨 ")), min_size=1, max_size=120)


def wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


@FAST
@given(st.lists(st.tuples(NAME, DESC), min_size=1, max_size=8), st.integers(min_value=20, max_value=44), st.data())
def test_parser_finds_every_entry_of_a_box(entries, width, data):
    """A box of k wrapped entries (with page numbers and blank lines) parses into exactly those k entries."""
    lines = ["专栏 3：测试重大项目", ""]
    for name, desc in entries:
        body = f"{name}：{desc}。"
        for piece in wrap(body, width):
            lines += [piece, ""]
            if data.draw(st.booleans()) and data.draw(st.integers(0, 9)) == 0:
                lines += [f"- {data.draw(st.integers(1, 99))} -", ""]
    lines += ["第二节 结束"]
    _, parsed = parse_plan(lines)
    assert [e.name for e in parsed] == [n for n, _ in entries]
    for e, (_, desc) in zip(parsed, entries, strict=True):
        assert e.description.replace(" ", "") == (desc + "。").replace(" ", "")


@FAST
@given(st.lists(st.text(max_size=80), max_size=40))
def test_parser_on_random_lines_raises_only_named_errors(lines):
    try:
        boxes = parse_plan(lines)
    except PlanParseError:
        return
    # a text without a box header must be refused by name, never parsed into something
    assert boxes and any("专栏" in line for line in lines)


@pytest.fixture(scope="module")
def names(gazetteer):
    return sorted(gazetteer.names)


@FAST
@given(st.text(max_size=120))
def test_geocoder_on_random_text(geocoder, text):
    try:
        s = geocoder.geocode(text).summary()
    except GeocodeError:
        return
    assert s["precision"] in (1, 2, 3, 4, 5)
    if s["precision"] in (3, 4):
        assert s["lon"] is None and s["lat"] is None  # no pin without town/site evidence


@FAST
@given(st.data())
def test_geocoder_on_gazetteer_names_mixed_with_filler(geocoder, gazetteer, data):
    places = [
        p
        for p in gazetteer.places.values()
        if p.kind in ("town", "township") and p.id.isdigit() and len(gazetteer.lookup(p.name)) == 1
    ]
    place = data.draw(st.sampled_from(places))
    filler = data.draw(st.text(st.sampled_from("建设推进现代农业园区中心基地物流项目工程"), max_size=10))
    s = geocoder.geocode(filler + place.name + filler).summary()
    assert s["adcode"] == place.counties[0]


def valid_collection(projects) -> dict:
    return {"type": "FeatureCollection", "features": copy.deepcopy(projects["features"][:6])}


MUTATIONS = st.sampled_from(
    ["drop_key", "null_value", "wrong_type", "bad_coords", "swap", "nan", "string_coord", "huge"]
)


@FAST
@given(st.lists(st.tuples(MUTATIONS, st.integers(0, 5), st.integers(0, 40)), min_size=1, max_size=4))
def test_validator_on_mutated_collections(projects, mutations):
    data = valid_collection(projects)
    for kind, index, which in mutations:
        feature = data["features"][index]
        keys = sorted(feature["properties"])
        key = keys[which % len(keys)]
        if kind == "drop_key":
            feature["properties"].pop(key, None)
        elif kind == "null_value":
            feature["properties"][key] = None
        elif kind == "wrong_type":
            feature["properties"][key] = {"nested": [1, 2]}
        elif kind == "bad_coords":
            feature["geometry"] = {"type": "Point", "coordinates": [999, -999]}
        elif kind == "swap" and feature["geometry"] and feature["geometry"]["type"] == "Point":
            x, y = feature["geometry"]["coordinates"]
            feature["geometry"]["coordinates"] = [y, x]
        elif kind == "nan":
            feature["geometry"] = {"type": "Point", "coordinates": [float("nan"), 43.0]}
        elif kind == "string_coord":
            feature["geometry"] = {"type": "LineString", "coordinates": [["a", "b"], [1]]}
        elif kind == "huge":
            feature["properties"]["name"] = "长" * 5000
    try:
        validate_data(data, "projects", "fuzz.geojson")
    except ValidationError as exc:
        assert exc.problems and all(p.startswith("fuzz.geojson") for p in exc.problems)


@pytest.mark.parametrize("junk", [{"nested": [1, 2]}, [1, 2], True, 3.5])
def test_every_property_of_a_wrong_type_is_a_named_error(projects, junk):
    """Each property (and the geometry type, and a feature id) replaced by an unhashable or odd value: one report.

    Found by the fuzz test above in CI: a dict as ``precision`` once raised a bare TypeError."""
    keys = sorted(projects["features"][0]["properties"])
    for key in keys:
        data = valid_collection(projects)
        data["features"][0]["properties"][key] = junk
        try:
            validate_data(data, "projects", "fuzz.geojson")
        except ValidationError as exc:
            assert all(p.startswith("fuzz.geojson") for p in exc.problems)
    for where in ("id", "type", "geometries"):
        data = valid_collection(projects)
        if where == "id":
            data["features"][0]["id"] = junk
        else:
            data["features"][0]["geometry"] = {"type": junk if where == "type" else "GeometryCollection", where: junk}
        with pytest.raises(ValidationError):
            validate_data(data, "projects", "fuzz.geojson")


@FAST
@given(
    st.lists(
        st.one_of(st.text(max_size=30), st.sampled_from(["岔路河镇物流园", "磐石市医院", "", "   ", "hello"])),
        min_size=1,
        max_size=25,
    )
)
def test_no_row_of_a_user_list_is_lost(geocoder, rows):
    frame = pd.DataFrame({"项目": rows})
    features, report = geocode_rows(frame, "项目", None, source="list.csv", geocoder=geocoder)
    assert len(features) + len(report.problems) == len(rows)
    reported = {int(p.split("row ")[1].split(":")[0]) for p in report.problems}
    kept = {f["properties"]["row"] for f in features}
    assert reported.isdisjoint(kept) and reported | kept == set(range(2, len(rows) + 2))
    json.dumps(features, ensure_ascii=False)  # serialisable


def test_named_errors_share_a_base():
    assert issubclass(GeocodeError, AtlasError) and issubclass(PlanParseError, AtlasError)

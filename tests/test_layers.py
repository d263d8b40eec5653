"""Planning layers: boards, 两区两带五园十镇, 特色小镇, transport; board rules on small examples; bad rule tables."""

from __future__ import annotations

import json
import shutil

import pytest
import shapely
from shapely.geometry import shape

from geo.build import build_all
from geo.core.config import paths
from geo.core.crs import CITY_BBOX, REGION_BBOX
from geo.core.errors import GazetteerError
from geo.layers import transport
from geo.places.boards import BoardAssigner, load_rules


def _layer(name):
    return json.loads((paths.LAYERS / name).read_text(encoding="utf-8"))


def test_layer_feature_counts(projects):
    assert len(_layer("boards.geojson")["features"]) == 4
    assert len(_layer("layout.geojson")["features"]) == 19
    assert len(_layer("featured_towns.geojson")["features"]) == 18
    transport_ids = {f["id"] for f in _layer("transport.geojson")["features"]}
    plan_ids = {f["id"] for f in projects["features"] if 32 <= f["properties"]["box"] <= 36}
    assert transport_ids == plan_ids and len(plan_ids) == 31


def test_every_layer_geometry_is_valid_and_in_the_region():
    for name in ("boards.geojson", "layout.geojson", "featured_towns.geojson", "transport.geojson", "counties.geojson"):
        for f in _layer(name)["features"]:
            if f["geometry"] is None:
                continue
            g = shape(f["geometry"])
            assert g.is_valid, (name, f["id"], shapely.is_valid_reason(g))
            x0, y0, x1, y1 = g.bounds
            box = CITY_BBOX if name != "transport.geojson" else REGION_BBOX
            assert box[0] <= x0 and x1 <= box[2] and box[1] <= y0 and y1 <= box[3], (name, f["id"], g.bounds)


def test_lines_that_leave_the_city_say_so():
    city = shape(json.loads(paths.CITY.read_text(encoding="utf-8"))["features"][0]["geometry"])
    for f in _layer("transport.geojson")["features"]:
        if f["geometry"] and f["geometry"]["type"] == "LineString":
            p = f["properties"]
            line = shape(f["geometry"])
            assert p["precision"] == 5 and p["schematic"]
            if not city.contains(line):
                assert p["drawn_km"] > p["drawn_km_in_city"] or not line.within(city)


def test_transport_lengths_are_metric_and_ratios_computed():
    t = {f["id"]: f["properties"] for f in _layer("transport.geojson")["features"]}
    # 延长高速烟筒山至长春段: 92 km in all, 6.7 km in the city — the drawn line leaves the city
    assert t["B33-02"]["drawn_km"] == pytest.approx(86, abs=5)
    assert t["B33-02"]["length_ratio"] == pytest.approx(t["B33-02"]["drawn_km_in_city"] / 6.7, abs=0.01)
    assert t["B33-05"]["drawn"] is False and any("no waypoints" in n for n in t["B33-05"]["notes"])
    assert t["B34-01"]["precision"] == 1 and t["B34-01"]["mode"] == "airport"


def test_boards_have_members_quotes_and_overlap():
    boards = {f["id"]: f["properties"] for f in _layer("boards.geojson")["features"]}
    assert set(boards) == {"north", "west", "central", "south"}
    assert boards["north"]["unbounded_members"] == ["高新北区", "经开区"]
    for p in boards.values():
        assert p["schematic"] and p["scope_quote"] and all(m["position"] and m["industries"] for m in p["members"])
    west = shape(_layer("boards.geojson")["features"][1]["geometry"])
    south = shape(_layer("boards.geojson")["features"][3]["geometry"])
    assert west.intersection(south).area > 0  # 丰满区 and 永吉县 are in both


@pytest.fixture(scope="module")
def assigner(gazetteer):
    return BoardAssigner(gazetteer, load_rules(gazetteer))


@pytest.mark.parametrize(
    ("text", "boards", "primary"),
    [
        ("北大湖滑雪场提升项目", ["south"], "south"),
        ("乌拉街满族镇文化旅游项目", ["north"], "north"),
        ("中新食品区冷链物流园", ["west"], "west"),
        ("中心城区某医院改扩建项目", ["central"], "central"),
        ("孤店子镇现代农业园", ["west"], "west"),
        ("船营区某商业综合体", ["west", "central"], "central"),
        ("永吉县城市防洪", ["west", "south"], "south"),
        ("磐石市医院", [], None),
    ],
)
def test_board_rules_on_small_examples(geocoder, assigner, text, boards, primary):
    result = geocoder.geocode(text)
    got, got_primary, rules = assigner.assign([s.place for s in result.sites])
    assert (got, got_primary) == (boards, primary), (text, rules)


def test_real_projects_follow_the_rules(project_by_id):
    assert project_by_id["B04-02"]["properties"]["boards"] == ["south"]  # 北大湖四季度假区
    assert project_by_id["B13-06"]["properties"]["boards"] == ["west"]  # 中新食品区
    assert project_by_id["B09-05"]["properties"]["boards"] == ["north"]  # 龙潭区绿色建筑材料产业园


def test_unknown_place_in_a_rule_fails_naming_file_and_line(tmp_path, gazetteer):
    rules = tmp_path / "board_rules.csv"
    shutil.copy(paths.BOARD_RULES, rules)
    with rules.open("a", encoding="utf-8") as handle:
        handle.write("R99,place,zone:atlantis,,south,south,some quote,1,\n")
    with pytest.raises(GazetteerError) as info:
        load_rules(gazetteer, rules)
    assert "zone:atlantis" in str(info.value) and info.value.path.endswith("board_rules.csv:21")


def test_unknown_waypoint_fails_the_build(tmp_path, monkeypatch):
    table = tmp_path / "transport.csv"
    text = (
        (paths.DATA / "transport.csv")
        .read_text(encoding="utf-8")
        .replace("西阳镇|口前镇|马相屯", "西阳镇|亚特兰蒂斯|马相屯")
    )
    table.write_text(text, encoding="utf-8")
    original = transport.read_table

    def patched(path, required=()):
        return original(table if str(path).endswith("transport.csv") else path, required)

    monkeypatch.setattr(transport, "read_table", patched)
    with pytest.raises(GazetteerError) as info:
        build_all()
    assert "亚特兰蒂斯" in str(info.value) and "transport.csv:3" in info.value.path


def test_a_row_with_more_fields_than_columns_is_refused(tmp_path):
    """An unquoted comma used to drop the rest of the row silently (three transport notes, one source URL)."""
    from geo.core.errors import InputFileError
    from geo.core.tables import read_table

    table = tmp_path / "t.csv"
    table.write_text("a,b\n1,2\n3,four, and more\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="line 3: 3 fields for 2 columns"):
        read_table(table, ("a", "b"))
    table.write_text('a,b\n1,2\n3,"four, and more"\n', encoding="utf-8")
    assert read_table(table, ("a", "b"))[1]["b"] == "four, and more"


def test_one_answer_per_project_across_layers(projects):
    """B34-04 (an airline 依托二台子机场) was precision 1 in the transport layer and 3 in projects.geojson."""
    p = {f["id"]: f for f in projects["features"]}
    for f in _layer("transport.geojson")["features"]:
        q = p[f["id"]]
        assert f["properties"]["precision"] == q["properties"]["precision"], f["id"]
        assert f["properties"]["counties"] == q["properties"]["counties"], f["id"]
        assert (f["geometry"] or {}).get("type") == (q["geometry"] or {}).get("type"), f["id"]
    b = p["B34-04"]["properties"]
    assert b["precision"] == 3 and b["counties"] == ["昌邑区"] and p["B34-04"]["geometry"] is None


def test_lines_fit_their_stated_length_or_are_marked_uncertain():
    t = {f["id"]: f for f in _layer("transport.geojson")["features"]}
    for fid in ("B33-06", "B33-09"):  # 82.7 km seat to seat against 60; 56.9 km 呼兰—二道甸子 against 32
        p = t[fid]["properties"]
        assert p["extent"] == "uncertain" and p["length_ratio"] is None and p["in_length_stats"] is False
        assert p["end_to_end_km"] > p["stated_km"] and any("extent uncertain" in n for n in p["notes"])
    for f in t.values():
        p = f["properties"]
        if f["geometry"] and f["geometry"]["type"] == "LineString" and p["extent"] != "uncertain":
            assert p["stated_km"] is None or p["end_to_end_km"] <= p["stated_km"], f["id"]


def test_fallbacks_never_duplicate_a_neighbour_and_named_waypoints_are_used_in_order():
    t = {f["id"]: f["properties"] for f in _layer("transport.geojson")["features"]}
    wp = {w["name"]: w for w in t["B32-02"]["waypoints"]}  # 西阳's stand-in was the 永吉 seat = 口前's point
    assert wp["西阳镇"]["used"] is False and "neighbouring waypoint 口前镇" in wp["西阳镇"]["fallback"]
    assert t["B32-02"]["extent"] == "partial"
    names = [w["name"] for w in t["B36-01"]["waypoints"]]
    assert names == ["长春龙嘉国际机场", "吉林市", "马相屯", "松花湖", "北大湖"]
    assert all(w["used"] for w in t["B36-01"]["waypoints"])
    lingang = next(w for w in t["B36-03"]["waypoints"] if w["name"] == "临港")  # the plan names it; no sourced place
    assert lingang["gazetteer_id"] is None and lingang["used"] is False and "left out" in lingang["fallback"]
    dapu = t["B33-01"]["waypoints"][0]  # 大蒲柴河 is drawn at 敦化: recorded as a stand-in
    assert dapu["stand_in"] is True and dapu["drawn_at"] == "敦化"


def test_every_point_carries_its_uncertainty_radius(projects, gazetteer):
    for f in projects["features"]:
        p = f["properties"]
        if f["geometry"] and f["geometry"]["type"] in ("Point", "MultiPoint"):
            radii = [s["uncertainty_m"] for s in p["sites"] if s["lon"] is not None]
            assert p["uncertainty_m"] == max(radii) > 0, f["id"]
            for s in p["sites"]:
                if s["lon"] is not None:
                    assert s["uncertainty_m"] == gazetteer.places[s["point_from"]].coord_uncertainty_m
        else:
            assert p["uncertainty_m"] is None, f["id"]
    for name in ("featured_towns.geojson", "layout.geojson", "transport.geojson"):
        for f in _layer(name)["features"]:
            if f["geometry"] and f["geometry"]["type"] == "Point":
                assert f["properties"]["uncertainty_m"] > 0, (name, f["id"])
    airport = {f["id"]: f for f in _layer("transport.geojson")["features"]}["B34-01"]["properties"]
    assert airport["uncertainty_m"] == gazetteer.places["facility:ertaizi-airport"].coord_uncertainty_m  # the default

"""Any plan through the same pipeline: variants of the Jilin plan, a plan of another city, and bad input."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, no_traceback, run_cli

from geo.build import build_into, build_plan, write_into
from geo.core.config import paths, using_root
from geo.core.domain import Precision
from geo.core.errors import ValidationError
from geo.plan.boxes import box_number, find_boxes
from geo.plan.detect import detect_part
from geo.plan.keys import computed_key
from geo.plan.profile import infer_profile, load_profile

BOX_LINE = re.compile(r"^(\s*)专栏 (\d+)：(.*)$", re.M)
CHINESE = "零一二三四五六七八九"
RENAMED_FROM, RENAMED_TO = "吉林化纤 20万吨碳纤维全产业链项目", "吉林化纤集团 20万吨碳纤维全产业链建设项目"


def chinese_numeral(n: int) -> str:
    tens, units = divmod(n, 10)
    return ("" if tens == 0 else ("" if tens == 1 else CHINESE[tens]) + "十") + (CHINESE[units] if units else "")


def plan_text() -> str:
    return paths.PLAN.read_text(encoding="utf-8")


def committed() -> dict[str, dict]:
    data = json.loads(paths.PROJECTS.read_text(encoding="utf-8"))
    return {f["id"]: f for f in data["features"]}


def without_box_1(text: str) -> str:
    """The plan with box 1 (header and content, up to box 2's header) removed and the rest renumbered."""
    start, end = text.index("专栏 1：重大科创平台"), text.index("专栏 2：")
    text = text[:start] + text[end:]
    return BOX_LINE.sub(lambda m: f"{m[1]}专栏 {int(m[2]) - 1}：{m[3]}", text)


def build(text: str, tmp_path: Path, name: str = "plan.txt", **kw):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build_plan(path, **kw)


def output(result, name: str) -> dict:
    """One output of a build, by its path under the root it was built in (data/projects.geojson…)."""
    return json.loads(next(text for path, text in result.outputs.items() if path.as_posix().endswith(name)))


def features_of(result) -> dict[str, dict]:
    fc = output(result, "data/projects.geojson")
    return {f["id"]: f for f in fc["features"]}


SAME = ("key", "name", "name_en", "sector", "precision", "adcodes", "town", "zone", "boards", "box_title")


# --------------------------------------------------------------------------- detection units


@pytest.mark.parametrize(
    ("token", "number"),
    [("1", 1), ("４０", 40), ("十", 10), ("十二", 12), ("二十三", 23), ("四〇", 40), ("一百零五", 105)],
)
def test_box_numbers_in_every_form(token, number):
    assert box_number(token) == number


@pytest.mark.parametrize(
    "header",
    [
        "专栏 1：重大科创平台",
        "专栏1:重大科创平台",
        "专栏1 重大科创平台",
        "专栏一：重大科创平台",
        "专栏１．重大科创平台",
    ],
)
def test_box_header_forms(header):
    boxes = find_boxes([header, "项目甲：内容。", "第二节 完"])
    assert [(b.number, b.title) for b in boxes] == [(1, "重大科创平台")]


def test_prose_mentioning_a_box_is_not_a_header():
    with pytest.raises(Exception, match="no boxes"):
        find_boxes(["详见专栏5所列项目。", "专栏所列项目按年度推进。"])


def test_box_parts_are_detected_from_their_lines():
    assert detect_part(["甲项目：建设内容。", "乙项目：建设内容。"]) == "project"
    assert detect_part(["高新北区", "发展定位：…", "主导产业：化工"]) == "board"
    assert detect_part(["各县（市） 永吉县 舒兰市", "2018年实际排名 17名 21名", "2025年目标排名 前 15名 前 15名"]) == (
        "county_targets"
    )
    assert detect_part(["两区：甲区、乙区", "五园：甲园、乙园、丙园、丁园、戊园"]) == "urban_rural"
    assert detect_part(["成长类（2个）：甲小镇、乙小镇", "培育类（1个）：丙小镇"]) == "featured_towns"
    assert detect_part(["这是一段说明文字，没有项目。"]) == "other"


def test_the_jilin_profile_is_what_the_text_says_of_itself():
    lines = paths.PLAN.read_text(encoding="utf-8").split("\n")
    inferred = infer_profile(lines, "jilin-14", (2020, 2025), "220200")
    profile = load_profile(paths.PROFILE)
    assert (inferred.city_name, inferred.start, inferred.end, inferred.base_year) == (
        profile.city_name,
        profile.start,
        profile.end,
        profile.base_year,
    )
    assert profile.parts == {} and profile.sectors == {}  # the detector needs no override for this plan


def test_keys_ignore_spacing_and_punctuation_but_not_words():
    assert computed_key("专栏题", "吉林化纤 20万吨项目") == computed_key("专栏题", "吉林化纤20万吨项目")
    assert computed_key("专栏题", "甲项目") != computed_key("专栏题", "乙项目")
    assert computed_key("甲专栏", "甲项目") != computed_key("乙专栏", "甲项目")


# --------------------------------------------------------------------------- variants of the Jilin plan


@pytest.mark.parametrize(
    "form",
    [
        lambda m: f"{m[1]}专栏{m[2]} {m[3]}",  # no colon
        lambda m: f"{m[1]}专栏{chinese_numeral(int(m[2]))}：{m[3]}",  # Chinese numerals
        lambda m: f"{m[1]}专栏{str(int(m[2])).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}:{m[3]}",
    ],
    ids=["no-colon", "chinese-numerals", "full-width-digits"],
)
def test_other_header_forms_build_the_same_projects(tmp_path, form):
    result = build(BOX_LINE.sub(form, plan_text()), tmp_path, profile=load_profile(paths.PROFILE), strict=True)
    built, before = features_of(result), committed()
    assert built.keys() == before.keys()
    for pid, feature in before.items():
        assert feature["properties"] == built[pid]["properties"], pid
        assert feature["geometry"] == built[pid]["geometry"], pid


def test_renumbered_boxes_keep_every_project_by_key(tmp_path):
    result = build(without_box_1(plan_text()), tmp_path)
    built, before = features_of(result), committed()
    box1 = [f for f in before.values() if f["properties"]["box"] == 1]
    assert len(built) == len(before) - len(box1)
    by_key = {f["properties"]["key"]: f["properties"] for f in built.values()}
    for feature in before.values():
        old = feature["properties"]
        if old["box"] == 1:
            assert old["key"] not in by_key
            continue
        new = by_key[old["key"]]
        assert new["box"] == old["box"] - 1
        assert {k: new[k] for k in SAME} == {k: old[k] for k in SAME}, old["id"]
    # the transport table (written with the 14th plan's ids) still draws every line, under the new ids
    transport = output(result, "layers/transport.geojson")
    drawn = {f["properties"]["name"]: f["properties"]["drawn_km"] for f in transport["features"]}
    committed_transport = json.loads(paths.TRANSPORT.read_text(encoding="utf-8"))
    assert drawn == {f["properties"]["name"]: f["properties"]["drawn_km"] for f in committed_transport["features"]}
    assert result.warnings == [
        w for w in result.warnings if "matches no entry" in w
    ]  # only box 1's translations are unused
    assert len(result.warnings) == len(box1)


def test_a_renamed_entry_keeps_its_translation_and_correction(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "data", inputs / "data")
    (inputs / "data" / "corrections.csv").write_text(
        "project_id,lon,lat,precision,adcode,editor,source,date,edit_id,comment\n"
        "B07-01,,,3,220204,planner,site visit,2026-12-03,1,county confirmed\n",
        encoding="utf-8",
    )
    text = without_box_1(plan_text()).replace(RENAMED_FROM, RENAMED_TO, 1)
    with using_root(inputs):
        result = build(text, tmp_path)
    built, before = features_of(result), committed()
    old = before["B07-01"]["properties"]
    new = next(f["properties"] for f in built.values() if "化纤集团" in f["properties"]["name"])
    assert new["id"] == "B06-01"  # renumbered …
    assert new["key"] == old["key"]  # … and renamed, the key holds
    assert new["name_en"] == old["name_en"] and new["name_en_source"] == "reviewed, name changed"
    assert new["curated"] is True and new["adcodes"] == ["220204"] and new["precision"] == Precision.COUNTY
    assert any("renamed from" in w and "B06-01" in w for w in result.warnings)
    # the strict build of the repository's data refuses the same change until the translation is reviewed
    with using_root(inputs), pytest.raises(ValidationError):
        build(text, tmp_path, name="strict.txt", strict=True)


def test_an_added_box_builds_with_flagged_pinyin_names(tmp_path):
    extra = (
        "\n专栏 41：新能源汽车产业重大项目\n"
        "舒兰市新能源汽车零部件产业园项目：在舒兰市建设电机电控零部件生产基地。\n"
        "蛟河市氢燃料电池项目：建设氢燃料电池电堆生产线。\n\n第九章 保障措施\n"
    )
    text = plan_text()
    anchor = text.index("专栏 40：")
    anchor = text.index("第", text.index("\n\n", anchor + 400))  # after box 40's content
    result = build(text[:anchor] + extra + text[anchor:], tmp_path)
    built = features_of(result)
    added = [f["properties"] for f in built.values() if f["properties"]["box"] == 41]
    assert [p["id"] for p in added] == ["B41-01", "B41-02"]
    assert {p["sector"] for p in added} == {"equipment"}  # 汽车 in the title
    assert [p["adcodes"] for p in added] == [["220283"], ["220281"]]
    assert all(p["name_en_source"] == "pinyin" and p["name_en"] for p in added)
    assert len(built) == len(committed()) + 2
    assert sum("no English name" in w for w in result.warnings) == 2


def test_build_out_writes_a_full_atlas_and_its_inferred_profile(tmp_path):
    plan = tmp_path / "variant.txt"
    plan.write_text(without_box_1(plan_text()), encoding="utf-8")
    out = tmp_path / "atlas"
    before = {p: p.read_bytes() for p in (paths.PROJECTS, paths.TRANSPORT, paths.BOXES)}
    proc = run_cli("build", "--plan", str(plan), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert no_traceback(proc)
    for name in (
        "data/projects.geojson",
        "layers/transport.geojson",
        "layers/boards.geojson",
        "data/boundaries/counties.geojson",
        "data/sectors.csv",
        "profile.toml",
    ):
        assert (out / name).exists(), name
    assert {p: p.read_bytes() for p in before} == before  # the repository's data is untouched
    profile = load_profile(out / "profile.toml")
    assert (profile.city, profile.start, profile.end, profile.base_year) == ("220200", 2021, 2025, 2020)
    # rerun with the reviewed profile: the same outputs
    again = tmp_path / "again"
    proc = run_cli("build", "--plan", str(plan), "--profile", str(out / "profile.toml"), "--out", str(again))
    assert proc.returncode == 0, proc.stderr
    assert (again / "data/projects.geojson").read_bytes() == (out / "data/projects.geojson").read_bytes()


def test_a_text_without_boxes_is_a_one_line_error(tmp_path):
    plan = tmp_path / "notes.txt"
    plan.write_text("第一章 总则\n\n这是一份没有专栏的文字。\n", encoding="utf-8")
    proc = run_cli("build", "--plan", str(plan), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert no_traceback(proc)
    assert len(proc.stderr.strip().splitlines()) == 1 and "notes.txt" in proc.stderr and "专栏" in proc.stderr


def test_projects_naming_only_other_cities_are_outside():
    from geo.places.geocoder import Geocoder

    geocoder = Geocoder.default()
    for name, place in (("中车松原新能源装备产业基地项目", "松原市"), ("延吉机场迁建项目", "延吉")):
        result = geocoder.geocode(name)
        assert result.precision == Precision.OUTSIDE and result.outside == [place], name
        assert result.counties == [] and result.point is None
    # a line from the city to another city, or a section up to the city's boundary, is not outside
    assert geocoder.geocode("吉林—延吉天然气管道项目").precision != Precision.OUTSIDE
    assert geocoder.geocode("国道龙东线（G334）杏树南屯至吉林长春界段").precision != Precision.OUTSIDE


# --------------------------------------------------------------------------- another city

LIAOYUAN_PLAN = """辽源市国民经济和社会发展第十五个五年（2026-2030 年）
规划纲要

第一章 发展基础

“十五五”时期，全市经济社会发展取得新成效。

专栏一：先进装备制造重大项目
东丰县智能农机装备产业园项目：在东丰镇建设智能农机整机及零部件生产基地。
辽河源镇新能源装备项目：建设风电塔筒和光伏支架生产线。
中车松原新能源装备产业基地项目：与松原市合作建设新能源装备配套基地。

专栏二：现代农业重大项目
那丹伯镇梅花鹿养殖基地项目：建设梅花鹿标准化养殖小区。
白泉镇高标准农田项目：建设高标准农田 5万亩。
全市农村人居环境整治项目：在各县（市）区实施农村人居环境整治。

专栏 3 铁路网重大项目
长春至辽源城际铁路项目：规划建设长春至辽源城际铁路。

第二章 保障措施

加强组织领导。
"""


@pytest.fixture(scope="module")
def liaoyuan(tmp_path_factory) -> Path:
    """A data root for 辽源市 (220400) derived from the national sources, with the plan above built into it."""
    root = tmp_path_factory.mktemp("liaoyuan")
    proc = run_cli("gazetteer", "--city", "220400", "--out", str(root))
    assert proc.returncode == 0, proc.stderr
    plan = root / "plan.txt"
    plan.write_text(LIAOYUAN_PLAN, encoding="utf-8")
    _result, files = build_into(plan, root, inputs=root)
    write_into(files)
    return root


def test_another_city_geocodes_its_towns_to_its_counties(liaoyuan):
    counties = {
        r.split(",")[0]: r.split(",")[1] for r in (liaoyuan / "data/counties.csv").read_text().split("\n")[1:] if r
    }
    assert counties == {"220402": "龙山区", "220403": "西安区", "220421": "东丰县", "220422": "东辽县"}
    towns = {}
    for row in (liaoyuan / "data/gazetteer/townships.csv").read_text(encoding="utf-8").split("\n")[1:]:
        if row:
            cells = row.split(",")
            towns[cells[1]] = cells[4]
    fc = json.loads((liaoyuan / "data/projects.geojson").read_text(encoding="utf-8"))
    by_name = {f["properties"]["name"]: f for f in fc["features"]}
    for name, town in (
        ("辽河源镇新能源装备项目", "辽河源镇"),
        ("那丹伯镇梅花鹿养殖基地项目", "那丹伯镇"),
        ("白泉镇高标准农田项目", "白泉镇"),
        ("东丰县智能农机装备产业园项目", "东丰镇"),
    ):
        p = by_name[name]["properties"]
        assert p["town"] == town and p["adcodes"] == [towns[town]], name
        assert p["precision"] == Precision.TOWN and by_name[name]["geometry"]["type"] == "Point"
    outside = by_name["中车松原新能源装备产业基地项目"]["properties"]
    assert outside["precision"] == Precision.OUTSIDE and outside["outside"] == ["松原市"] and not outside["adcodes"]
    assert by_name["全市农村人居环境整治项目"]["properties"]["precision"] == Precision.CITY
    assert Counter(f["properties"]["sector"] for f in fc["features"]) == {
        "equipment": 3,
        "agriculture": 3,
        "transport": 1,
    }
    for layer in ("boards", "layout", "featured_towns"):  # the plan has no layout boxes: empty layers, no error
        assert json.loads((liaoyuan / f"layers/{layer}.geojson").read_text(encoding="utf-8"))["features"] == []
    profile = load_profile(liaoyuan / "profile.toml")
    assert (profile.city, profile.city_name, profile.start, profile.end) == ("220400", "辽源市", 2026, 2030)


def test_another_city_opens_in_the_app(liaoyuan, monkeypatch):
    from apptest_helpers import start

    monkeypatch.setenv("ATLAS_DATA_ROOT", str(liaoyuan))
    at = start()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["所选项目"] == "7 / 7"
    assert metrics["地图上的点"] == "4"
    assert any("1 个项目位于本市以外" in c.value for c in at.caption)
    # presenting: a plan without reviewed steps gets one step per sector with projects
    shown = start({"mode": "present"}, ATLAS_DATA_ROOT=str(liaoyuan))
    assert not shown.exception, [e.value for e in shown.exception]
    text = " ".join(m.value for m in shown.markdown)
    assert "1/2 · 装备制造" in text and "本部分共 3 个项目" in text


def test_the_app_picks_between_built_plans(liaoyuan, tmp_path, monkeypatch):
    from apptest_helpers import start, widget

    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "liaoyuan-15").symlink_to(liaoyuan, target_is_directory=True)
    monkeypatch.setenv("ATLAS_PLANS", str(plans))
    at = start()
    total = sum(f["properties"]["entry_type"] != "group" for f in committed().values())
    assert {m.label: m.value for m in at.metric}["所选项目"] == f"{total} / {total}"
    picker = widget(at, "plan")
    assert picker.options == ["吉林市 2021–2025", "辽源市 2026–2030"]
    picker.set_value("liaoyuan-15").run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["所选项目"] == "7 / 7"
    assert at.query_params["plan"] == "liaoyuan-15"
    assert at.title[0].value == "辽源市 2026–2030 规划项目地图"
    # a shared link opens the same plan
    shared = start({"plan": "liaoyuan-15"})
    assert {m.label: m.value for m in shared.metric}["所选项目"] == "7 / 7"
    widget(at, "plan").set_value("").run()
    assert {m.label: m.value for m in at.metric}["所选项目"] == f"{total} / {total}"


def test_the_province_table_is_reproducible_from_its_package():
    from geo.places.province import derive_province, in_city_names

    names = in_city_names(paths.GAZETTEER, paths.DATA / "counties.csv")
    assert derive_province("220200", names) == (paths.GAZETTEER / "province.csv").read_text(encoding="utf-8")
    rows = (paths.GAZETTEER / "province.csv").read_text(encoding="utf-8").splitlines()[1:]
    shorts = {r.split(",")[2] for r in rows}
    assert "松原" in shorts and "白山" not in shorts  # 白山 is part of 小白山, an in-city name


def test_another_city_opens_framed_on_its_own_counties(liaoyuan):
    from geo.render.map import home_view
    from geo.render.options import MapOptions

    options = MapOptions()
    jilin = json.loads(paths.COUNTIES.read_text(encoding="utf-8"))
    assert home_view(jilin, options) == (options.center, options.zoom)  # the bundled city keeps its view
    counties = json.loads((liaoyuan / "data/boundaries/counties.geojson").read_text(encoding="utf-8"))
    (lat, lon), zoom = home_view(counties, options)
    assert 42.3 < lat < 43.3 and 124.7 < lon < 125.9 and zoom > options.zoom  # 辽源, closer in than Jilin


def test_a_plan_of_another_period_keeps_its_indicator_years(tmp_path, monkeypatch):
    from apptest_helpers import start

    text = plan_text()
    head = text.index("“十四五”时期经济社会发展主要指标")
    header = text[head : text.index("属性", head)]
    later = header.replace("2025年", "2030年").replace("2020年", "2025年")
    plan = tmp_path / "plan.txt"
    plan.write_text(text.replace(header, later, 1), encoding="utf-8")
    _result, files = build_into(plan, tmp_path / "atlas")
    write_into(files)
    indicators = json.loads((tmp_path / "atlas/data/indicators.json").read_text(encoding="utf-8"))
    assert (indicators["base_year"], indicators["target_year"]) == (2025, 2030)
    first = indicators["indicators"][0]
    assert first["value_2025"] == first["base_value"] == "0.6" and "value_2020" not in first
    monkeypatch.setenv("ATLAS_DATA_ROOT", str(tmp_path / "atlas"))
    at = start({"tab": "indicators"})
    assert not at.exception, [e.value for e in at.exception]
    table = next(df for df in at.dataframe if "2030年目标" in df.value.columns)
    assert len(table.value) == len(indicators["indicators"])

"""The plan parser on small synthetic snippets and on the real plan."""

from __future__ import annotations

import pytest

from geo.core.errors import PlanParseError
from geo.plan.boxes import find_boxes, parse_plan
from geo.plan.indicators import parse_indicators
from geo.plan.layout import parse_layout

# Counted by hand from the plan text (entries per project box; box 2's three groups split into 18 members).
EXPECTED_PROJECTS = {
    1: 4,
    2: 18,
    3: 9,
    4: 8,
    5: 14,
    6: 10,
    7: 5,
    8: 8,
    9: 5,
    10: 7,
    11: 5,
    12: 3,
    13: 12,
    14: 8,
    15: 12,
    16: 9,
    17: 5,
    24: 13,
    26: 8,
    27: 15,
    28: 9,
    29: 8,
    30: 4,
    31: 9,
    32: 4,
    33: 15,
    34: 5,
    35: 4,
    36: 3,
    37: 16,
    38: 12,
    39: 16,
    40: 7,
}
FULL = "甲" * 40  # a full-width line (40 CJK characters = 80 cells)


def snippet(*lines: str) -> list[str]:
    return list(lines)


def test_wrapped_entry_across_page_number_is_joined():
    lines = snippet(
        "专栏 1：测试重大项目",
        "",
        "第一个项目：" + "乙" * 34,
        "",
        "- 21 -",
        "",
        " 丙丙丙。",
        "",
        "第二个项目：丁丁。",
        "",
        "第二节 下一节",
    )
    _, entries = parse_plan(lines)
    assert [e.name for e in entries] == ["第一个项目", "第二个项目"]
    assert entries[0].description == "乙" * 34 + "丙丙丙。"
    assert (entries[0].line_start, entries[0].line_end) == (3, 7)


def test_both_colon_kinds_and_parentheses_in_names():
    lines = snippet(
        "专栏 2：测试",
        "桥山北大湖雪上训练项目:建设雪道。",
        "国道嘉临线(G222）线舒兰至蛟河段：路线全长 60公里。",
        "吉林省特色中药材融合发展创新园（一期）项目：建设创新园区。",
        "第二节 完",
    )
    _, entries = parse_plan(lines)
    assert [e.name for e in entries] == [
        "桥山北大湖雪上训练项目",
        "国道嘉临线(G222）线舒兰至蛟河段",
        "吉林省特色中药材融合发展创新园（一期）项目",
    ]
    assert entries[1].description == "路线全长60公里。"  # the stray space of the PDF is removed


def test_grouped_entry_is_split_into_traceable_members():
    lines = snippet(
        "专栏 2：测试",
        "3大中心：甲大学中心、乙学院中心、" + "丙" * 26,
        "研究院中心",
        "第二节 完",
    )
    _, entries = parse_plan(lines)
    group, *members = entries
    assert group.entry_type == "group" and group.id == "B02-01"
    assert [m.name for m in members] == ["甲大学中心", "乙学院中心", "丙" * 26 + "研究院中心"]
    assert [m.id for m in members] == ["B02-01.1", "B02-01.2", "B02-01.3"]
    assert all(m.parent == "B02-01" for m in members)
    assert (members[2].line_start, members[2].line_end) == (2, 3)


def test_group_with_wrong_member_count_is_an_error():
    with pytest.raises(PlanParseError, match="says 4 members but lists 2"):
        parse_plan(snippet("专栏 2：测试", "4大中心：甲中心、乙中心", "第二节 完"))


def test_full_line_ending_a_sentence_starts_a_new_entry():
    lines = snippet("专栏 3：测试", "甲项目：" + "乙" * 35 + "。", "丙项目：丁。", "第二节 完")
    _, entries = parse_plan(lines)
    assert [e.name for e in entries] == ["甲项目", "丙项目"]


def test_programme_entries_are_typed():
    _, entries = parse_plan(snippet("专栏 24：测试", "各县（市）区高标准农田建设项目：建设 260万亩。", "第二节 完"))
    assert entries[0].entry_type == "programme"


def test_prose_paragraph_ends_a_box():
    lines = snippet("专栏 5：测试", "甲项目：乙。", "发展现代金融。持续深化金融改革创新，改善投融资环境，", "第二节 完")
    _, entries = parse_plan(lines)
    assert len(entries) == 1 and entries[0].line_end == 2


def test_no_boxes_is_a_named_error():
    with pytest.raises(PlanParseError, match="no boxes"):
        find_boxes(["只是一段文字。"])


def test_real_plan_has_40_boxes_and_every_project(plan_lines):
    boxes, entries = parse_plan(plan_lines)
    assert [b.number for b in boxes] == list(range(1, 41))
    counted: dict[int, int] = {}
    for e in entries:
        if e.entry_type != "group":
            counted[e.box] = counted.get(e.box, 0) + 1
    assert counted == EXPECTED_PROJECTS
    assert sum(1 for e in entries if e.parent is None) == 275  # entries as printed
    assert len({e.id for e in entries}) == len(entries)


def test_real_plan_names_are_exact(plan_lines):
    _, entries = parse_plan(plan_lines)
    by_id = {e.id: e for e in entries}
    assert by_id["B07-01"].name == "吉林化纤20万吨碳纤维全产业链项目"
    assert by_id["B14-07"].name == "中新食品区生物医药产业园项目"  # follows a line ending in an ASCII comma
    assert by_id["B13-12"].name == "桦甸黄松甸食用菌小镇建设项目"
    assert by_id["B02-03.3"].name == "5G与泛在电力物联网创新中心"  # wraps mid-name
    assert by_id["B05-13"].line_start == 948  # after the page number "- 21 -"


def test_layout_boxes_parse_into_structure(plan_lines):
    boxes, _ = parse_plan(plan_lines)
    layout = parse_layout(boxes, plan_lines)
    boards = layout["boards"]
    assert [b["box"] for b in boards] == [18, 19, 20, 21]
    assert [m["unit"] for m in boards[0]["members"]] == ["高新北区", "经开区", "龙潭区"]
    assert [m["member"] for m in boards[2]["members"]] == ["船营区（中心城区）", "昌邑区（中心城区）"]
    assert boards[3]["members"][-1]["member"] == "北大湖开发区"
    assert boards[1]["members"][0]["industries"] == ["农畜产品加工", "医药保健品", "健康食品加工"]
    assert boards[0]["members"][1]["position"] == "建设国家产业转型升级示范园区，争创国家自由贸易试验区吉林片区"
    targets = {c["county"]: (c["rank_2018"], c["target_2025_rank"]) for c in layout["county_targets"]["counties"]}
    assert targets == {
        "永吉县": (17, 15),
        "舒兰市": (21, 15),
        "磐石市": (11, 5),
        "蛟河市": (15, 15),
        "桦甸市": (18, 15),
    }
    groups = {g["group"]: g["members"] for g in layout["urban_rural"]["groups"]}
    assert [len(groups[k]) for k in ("两区", "两带", "五园", "十镇")] == [2, 2, 5, 10]
    assert sum(1 for t in groups["十镇"] if t["class"] == "省级示范镇") == 3
    towns = {c["class"]: c["towns"] for c in layout["featured_towns"]["classes"]}
    assert [len(towns[k]) for k in ("成长类", "培育类", "规划类")] == [3, 13, 2]
    assert [p["county"] for p in layout["growth_poles"]] == ["永吉县", "舒兰市", "磐石市", "蛟河市", "桦甸市"]


def test_indicator_table(plan_lines):
    rows = parse_indicators(plan_lines)
    assert [r["no"] for r in rows] == list(range(1, 33))
    by_no = {r["no"]: r for r in rows}
    assert by_no[1]["value_2020"] == "0.6" and by_no[1]["annual_or_cumulative"] == "7以上"
    assert by_no[19]["attribute"] == "约束性" and by_no[19]["target_2025"] == "11.1"
    assert by_no[26]["target_2025"] == "待省下达"  # a cell wrapped onto two lines
    assert [p["label"] for p in by_no[11]["parts"]] == ["一产", "二产", "三产"]
    assert by_no[17]["parts"][1] == {
        "label": "农村常住居民",
        "value_2020": "1.6",
        "target_2025": None,
        "annual_or_cumulative": "高于经济增长",
        "base_value": "1.6",
        "target_value": None,
    }
    assert [r["no"] for r in rows if r["attribute"] == "约束性"] == [19, 24, 25, 26, 27, 28, 29, 30, 32]
    assert {r["category"] for r in rows} == {"经济发展", "创新驱动", "民生福祉", "绿色生态", "安全保障"}

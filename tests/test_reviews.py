"""data/location_reviews.csv: reviewed counties (each with its source) and reasons a project stays where it is."""

from __future__ import annotations

import copy
import json
import re

import pytest

from geo.core.config import paths
from geo.core.errors import ValidationError
from geo.core.tables import read_table
from geo.layers.reviews import REVIEW_COLUMNS, REVIEWED_BASIS, apply_reviews
from geo.places.boards import BoardAssigner, load_rules

HEADER = ",".join(REVIEW_COLUMNS) + "\n"


@pytest.fixture(scope="module")
def assigner(gazetteer):
    return BoardAssigner(gazetteer, load_rules(gazetteer))


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_plan_quote_of_a_review_is_verbatim_in_its_lines(plan_lines):
    rows = read_table(paths.DATA / "location_reviews.csv", REVIEW_COLUMNS)
    assert rows
    for r in rows:
        if r["source"] == "the plan":
            first, *rest = (int(n) for n in r["lines"].split("-"))
            last = rest[0] if rest else first
            window = _norm("".join(plan_lines[first - 1 : last]))
            assert _norm(r["quote"]) in window, (r["_line"], r["quote"])


def _features(gazetteer):
    """Two tiny features: a county-level one (the geocoder said 磐石市) and a drawn one."""
    base = {"location_notes": ["geocoder note"], "precision": 3, "adcodes": ["220284"], "counties": ["磐石市"]}
    return [
        {"id": "X1", "geometry": None, "properties": copy.deepcopy(base)},
        {"id": "X2", "geometry": {"type": "Point", "coordinates": [126.5, 43.8]}, "properties": copy.deepcopy(base)},
    ]


def test_reviewed_counties_replace_the_geocoders_and_each_carries_its_source(tmp_path, geocoder, assigner):
    table = tmp_path / "r.csv"
    table.write_text(
        HEADER
        + "X1,220202,the plan,10,甲乙,reason one\nX1,220221,a page,,,reason two\nX1,,the plan,11,丙,only a note\n",
        encoding="utf-8",
    )
    f = apply_reviews(_features(geocoder.gaz), geocoder, assigner, table)[0]["properties"]
    assert f["adcodes"] == ["220202", "220221"] and f["counties"] == ["昌邑区", "永吉县"]  # 磐石市 is gone
    assert f["precision"] == 3 and f["location_basis"] == REVIEWED_BASIS and f["county"] is None
    assert f["location_notes"][0] == "geocoder note"
    assert "昌邑区 by the plan, line 10: “甲乙” — reason one" in f["location_notes"]
    assert "永吉县 by a page — reason two" in f["location_notes"]
    assert "reviewed: only a note (the plan, line 11: “丙”)" in f["location_notes"]
    assert f["boards"] == assigner.assign([geocoder.gaz.places["220202"], geocoder.gaz.places["220221"]])[0]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("X2,220202,the plan,1,q,a drawn project\n", "X2 is drawn"),
        ("X9,,the plan,1,q,unknown project\n", "needs a known project"),
        ("X1,229999,the plan,1,q,unknown county\n", "a known county adcode"),
        ("X1,220202,the plan,1,q,\n", "a source and a note"),
    ],
)
def test_bad_reviews_are_refused_by_file_and_line(tmp_path, geocoder, assigner, row, message):
    table = tmp_path / "r.csv"
    table.write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        apply_reviews(_features(geocoder.gaz), geocoder, assigner, table)
    assert any(message in p and "r.csv:2" in p for p in info.value.problems), info.value.problems


def test_g202_ring_road_has_the_counties_the_plan_states_in_both_layers(project_by_id):
    """It had 昌邑区 only, from one link road; 永吉县 comes from lines 2058–2060 (畅通G202国道绕越线 in the 永吉 paragraph)."""
    p = project_by_id["B33-05"]["properties"]
    assert p["counties"] == ["昌邑区", "永吉县"] and p["precision"] == 3 and project_by_id["B33-05"]["geometry"] is None
    notes = " ".join(p["location_notes"])
    assert "永吉县 by the plan, lines 2058-2060" in notes and "昌邑区 by the plan, lines 3891-3893" in notes
    transport = {f["id"]: f["properties"] for f in json.loads(paths.TRANSPORT.read_text("utf-8"))["features"]}
    assert transport["B33-05"]["counties"] == p["counties"]


def test_zhongxin_zhengda_stays_unlocated_and_says_why(project_by_id):
    p = project_by_id["B13-04"]["properties"]
    assert p["precision"] == 4 and p["counties"] == []
    assert any(n.startswith("reviewed: left unlocated on purpose") for n in p["location_notes"])

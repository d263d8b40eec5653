"""The geocoder: counties, towns, conflicts, no false pins, and the CLI on good and bad input."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest
from conftest import no_traceback, run_cli

from geo.core.errors import GeocodeError


def test_every_township_of_the_nine_units_geocodes_to_its_county(geocoder, gazetteer):
    # held-out style: names that are not in the plan at all
    townships = [p for p in gazetteer.places.values() if p.id.isdigit() and len(p.id) == 12]
    duplicated = {p.name for p in townships if len(gazetteer.lookup(p.name)) > 1}
    assert duplicated == {"民主街道", "河南街道"}
    for place in townships:
        summary = geocoder.geocode(place.name).summary()
        if place.name in duplicated:  # same name in two counties: reported, never guessed
            assert summary["county"] is None and any("ambiguous" in c for c in summary["conflicts"])
            county = geocoder.gaz.county_name(place.counties[0])
            assert geocoder.geocode(county + place.name).summary()["adcode"] == place.counties[0]
            continue
        assert summary["adcode"] == place.counties[0], (place.name, summary)
        assert summary["town"] == place.name
        assert summary["precision"] in (2, 3)
        if summary["precision"] == 3:
            assert summary["lon"] is None  # no sourced point: no pin


def test_town_in_a_sentence(geocoder):
    s = geocoder.geocode("在一拉溪镇新建冷链物流园").summary()
    assert s["county"] == "永吉县" and s["town"] == "一拉溪镇" and s["matched"] == ["一拉溪镇"]


def test_county_short_names(geocoder):
    for text, county in [
        ("磐石市医院", "磐石市"),
        ("磐石新材料", "磐石市"),
        ("蛟河肉牛基地", "蛟河市"),
        ("永吉城市防洪", "永吉县"),
    ]:
        s = geocoder.geocode(text).summary()
        assert s["county"] == county and s["precision"] == 3 and s["lon"] is None


def test_text_without_a_place_is_city_level_and_not_pinned(geocoder):
    s = geocoder.geocode("某某新型材料研发中心建设项目").summary()
    assert s["precision"] == 4 and s["county"] is None and s["lon"] is None and s["lat"] is None
    assert geocoder.geocode("各县（市）区高标准农田建设项目").summary()["basis"] == "city-wide"
    assert geocoder.geocode("全市智慧停车系统").summary()["precision"] == 4


def test_county_prefix_conflict_is_flagged_not_resolved(geocoder):
    s = geocoder.geocode("桦甸黄松甸食用菌小镇建设项目").summary()
    assert s["county"] is None  # not silently resolved
    assert set(s["counties"]) == {"桦甸市", "蛟河市"}
    assert any("黄松甸镇 is in 蛟河市" in c for c in s["conflicts"])


def test_multi_site_project(geocoder):
    s = geocoder.geocode(
        "各县（市）区乡村环境整治项目", "开展永吉县、舒兰市、磐石市、蛟河市、桦甸市乡村环境整治工程。"
    ).summary()
    assert s["multi_site"] and len(s["adcodes"]) == 5 and s["precision"] == 3


def test_sourced_town_point_is_pinned_at_town_precision(geocoder):
    s = geocoder.geocode("乌拉街满族镇文旅项目").summary()
    assert s["precision"] == 2 and s["lon"] == pytest.approx(126.46815) and s["county"] == "龙潭区"


def test_zone_inherits_the_point_of_its_town_and_says_so(geocoder, gazetteer):
    s = geocoder.geocode("中新食品区冷链物流园").summary()
    town = gazetteer.lookup("岔路河镇")[0]
    assert s["zone"] == "中新食品区" and s["town"] == "岔路河镇" and s["county"] == "永吉县"
    assert s["precision"] == 2 and (s["lon"], s["lat"]) == (town.lon, town.lat)
    assert any("shown at 岔路河镇" in n for n in s["notes"])


def test_zone_without_any_sourced_point_stays_at_county_level(geocoder):
    s = geocoder.geocode("经开区新材料产业园").summary()
    assert s["zone"] == "经开区" and s["precision"] == 3 and s["lon"] is None
    # its sources disagree (plan: 龙潭经开区; a zone page: the 九站 stations, 昌邑区): both counties, one conflict
    assert s["county"] is None and s["counties"] == ["昌邑区", "龙潭区"] and len(s["conflicts"]) == 1


def test_ambiguous_short_names_are_not_guessed(geocoder):
    # 河南街道 exists in both 蛟河市 and 磐石市: a full 街道 name without county context is ambiguous
    s = geocoder.geocode("河南街道社区服务中心").summary()
    assert s["county"] is None and any("ambiguous" in c for c in s["conflicts"])
    s = geocoder.geocode("磐石市河南街道社区服务中心").summary()
    assert s["county"] == "磐石市"


@pytest.mark.parametrize("text", ["", "   ", "hello world", "12345"])
def test_empty_or_non_chinese_text_is_an_error(geocoder, text):
    with pytest.raises(GeocodeError):
        geocoder.geocode(text)


def test_random_held_out_sentences(geocoder, gazetteer):
    rng = random.Random(7)
    towns = [p for p in gazetteer.places.values() if p.kind in ("town", "township") and p.id.isdigit()]
    for place in rng.sample(towns, 20):
        text = (
            f"{rng.choice(['建设', '新建', '推进'])}{place.name}{rng.choice(['农业园区', '物流中心', '康养基地'])}项目"
        )
        assert geocoder.geocode(text).summary()["adcode"] == place.counties[0], text


# ------------------------------------------------------------------ CLI


def test_cli_geocode_prints_one_json_object():
    proc = run_cli("geocode", "磐石明城新型金属材料小镇")
    assert proc.returncode == 0, proc.stderr
    obj = json.loads(proc.stdout)
    for key in ("county", "adcode", "town", "precision", "matched", "lon", "lat", "conflicts"):
        assert key in obj
    assert obj["county"] == "磐石市" and obj["adcode"] == "220284" and obj["town"] == "明城镇"


@pytest.mark.parametrize("text", ["", "hello world"])
def test_cli_geocode_bad_text(text):
    proc = run_cli("geocode", text)
    assert proc.returncode == 5 and no_traceback(proc)
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("error:")


def test_cli_geocode_file_reports_bad_rows_and_keeps_the_rest(tmp_path):
    src = tmp_path / "list.csv"
    pd.DataFrame({"项目名称": ["岔路河镇冷链物流", "", "hello", "舒兰上营冰雪小镇"], "说明": ["", "", "", ""]}).to_csv(
        src, index=False, encoding="utf-8-sig"
    )
    out = tmp_path / "out.geojson"
    proc = run_cli("geocode-file", str(src), "--name-col", "项目名称", "--desc-col", "说明", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "row 3" in proc.stderr and "row 4" in proc.stderr and no_traceback(proc)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [f["properties"]["row"] for f in data["features"]] == [2, 5]
    assert data["features"][1]["properties"]["town"] == "上营镇"


def test_cli_geocode_file_gbk_csv(tmp_path):
    src = tmp_path / "gbk.csv"
    src.write_bytes("名称\n磐石市医院\n".encode("gbk"))
    out = tmp_path / "o.geojson"
    proc = run_cli("geocode-file", str(src), "--name-col", "名称", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["features"][0]["properties"]["county"] == "磐石市"


def test_cli_geocode_file_missing_column_and_bad_xlsx(tmp_path):
    src = tmp_path / "list.csv"
    src.write_text("name\n磐石\n", encoding="utf-8")
    proc = run_cli("geocode-file", str(src), "--name-col", "项目", "-o", str(tmp_path / "o.geojson"))
    assert proc.returncode == 2 and no_traceback(proc)
    assert "no column '项目'; columns are: name" in proc.stderr
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    proc = run_cli("geocode-file", str(bad), "--name-col", "项目", "-o", str(tmp_path / "o.geojson"))
    assert proc.returncode == 2 and no_traceback(proc) and "not a readable spreadsheet" in proc.stderr
    assert not (tmp_path / "o.geojson").exists()


def test_cli_geocode_file_xlsx_round_trip(tmp_path):
    src = tmp_path / "list.xlsx"
    pd.DataFrame({"项目": ["蛟河天岗花岗岩小镇", "吉林市某医院"]}).to_excel(src, index=False)
    out = tmp_path / "o.geojson"
    proc = run_cli("geocode-file", str(src), "--name-col", "项目", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    feats = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["precision"] for f in feats] == [2, 4]  # 天岗镇 has a sourced point


def test_an_entity_the_plan_places_elsewhere_gets_that_county_with_the_quote(projects):
    """东北电力大学: line 681 reads 船营区东北电力大学科技产业园; entries naming the university get 船营区 and the quote."""
    p = {f["id"]: f["properties"] for f in projects["features"]}
    for fid in ("B02-01.2", "B02-03.2", "B28-01"):
        assert p[fid]["precision"] == 3 and p[fid]["counties"] == ["船营区"], fid
        assert any("line 681: “船营区东北电力大学科技产业园”" in n for n in p[fid]["location_notes"]), fid
    # a project that only cooperates with the university keeps its own stated county
    assert p["B28-02"]["counties"] == ["昌邑区"]


def test_a_group_is_the_union_of_its_members(projects):
    p = {f["id"]: f["properties"] for f in projects["features"]}
    members = [fid for fid, q in p.items() if q["parent"] == "B02-02"]
    union = sorted({a for m in members for a in p[m]["adcodes"]})
    assert p["B02-02"]["adcodes"] == union and len(union) == 5 and p["B02-02"]["precision"] == 3
    assert any("B02-02.2" in n for n in p["B02-02"]["location_notes"])  # the member without a county is named


def test_a_name_matching_two_places_keeps_both_with_a_conflict(projects, geocoder):
    """B05-06 吉林夫余王城: the name covers 龙潭山 (龙潭区) and 东团山 (丰满区); it used to keep only 龙潭山."""
    p = {f["id"]: f for f in projects["features"]}["B05-06"]
    assert p["properties"]["counties"] == ["龙潭区", "丰满区"] and p["properties"]["precision"] == 3
    assert p["properties"]["conflicts"] == [
        "“夫余王城” is ambiguous: 龙潭山（龙潭区）、东团山（丰满区）; all kept, at county level"
    ]
    s = geocoder.geocode("河南街道社区服务中心").summary()  # in 蛟河市 and 磐石市: both kept, never pinned
    assert s["adcodes"] == ["220281", "220284"] and s["precision"] == 3 and s["lon"] is None


def test_an_abbreviation_of_several_counties_uses_every_part_and_records_the_outside_one(projects, geocoder):
    """B38-05 永舒榆灌区: 永吉县 and 舒兰市 inside the city; 榆树 (长春) is recorded as outside, not counted."""
    p = {f["id"]: f["properties"] for f in projects["features"]}["B38-05"]
    assert p["precision"] == 3 and p["counties"] == ["永吉县", "舒兰市"]
    assert any("榆树 is outside Jilin City" in n for n in p["location_notes"])
    s = geocoder.geocode("永舒榆灌区").summary()
    assert s["adcodes"] == ["220221", "220283"] and not s["conflicts"]

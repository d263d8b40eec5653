"""Where a place's county comes from (data/gazetteer/county_sources.csv): disagreeing sources keep every county."""

from __future__ import annotations

import shutil

import pytest

from geo.core.config import paths
from geo.core.errors import ValidationError
from geo.places.gazetteer import load_gazetteer
from geo.places.geocoder import Geocoder

HEADER = "id,adcode,source,says,brief\n"


def _copy(tmp_path, sources: str, etdz_counties: str = "220203|220202"):
    root = tmp_path / "gazetteer"
    shutil.copytree(paths.GAZETTEER, root)
    places = (root / "places.csv").read_text(encoding="utf-8")
    places = places.replace("zone:etdz,经开区,zone,220203|220202,", f"zone:etdz,经开区,zone,{etdz_counties},")
    (root / "places.csv").write_text(places, encoding="utf-8")
    (root / "county_sources.csv").write_text(HEADER + sources, encoding="utf-8")
    return root


def test_sources_that_disagree_keep_both_counties_and_say_so(tmp_path):
    root = _copy(tmp_path, "zone:etdz,220203,plan line 1,says A,brief A\nzone:etdz,220202,a page,says B,brief B\n")
    place = load_gazetteer(root).places["zone:etdz"]
    assert set(place.counties) == {"220203", "220202"}
    assert "龙潭区 (brief A)" in place.county_conflict and "昌邑区 (brief B)" in place.county_conflict
    result = Geocoder(load_gazetteer(root)).geocode("经开区化工医药产业园项目")
    assert result.counties == ["220202", "220203"] and result.precision == 3
    assert result.conflicts == [place.county_conflict]
    assert not any("by the plan, line" in n for n in result.notes)  # no single-county plan note over a conflict


def test_sources_that_agree_make_no_conflict(tmp_path):
    root = _copy(
        tmp_path, "zone:etdz,220203,plan line 1,says A,brief A\nzone:etdz,220203,a page,says B,brief B\n", "220203"
    )
    place = load_gazetteer(root).places["zone:etdz"]
    assert place.counties == ("220203",) and place.county_conflict == ""
    assert Geocoder(load_gazetteer(root)).geocode("经开区化工医药产业园项目").conflicts == []


@pytest.mark.parametrize(
    ("sources", "counties", "message"),
    [
        ("zone:etdz,220203,plan,says,brief\n", "220203|220202", "its sources give ['220203']"),  # a county unsourced
        ("zone:etdz,220203,plan,says,\n", "220203", "a source, what it says and a brief"),
        ("zone:nowhere,220203,plan,says,brief\n", "220203|220202", "needs a known place id"),
        ("zone:etdz,229999,plan,says,brief\n", "220203|220202", "needs a known place id, a county adcode"),
    ],
)
def test_bad_county_sources_are_refused_by_file_and_line(tmp_path, sources, counties, message):
    root = _copy(tmp_path, sources, counties)
    with pytest.raises(ValidationError) as info:
        load_gazetteer(root)
    assert any(message in p and "county_sources.csv" in p for p in info.value.problems), info.value.problems


def test_every_etdz_project_keeps_both_counties_with_the_conflict(project_by_id, gazetteer):
    etdz = gazetteer.places["zone:etdz"]
    hits = [f for f in project_by_id.values() if "zone:etdz" in f["properties"]["gazetteer_ids"]]
    assert len(hits) >= 5
    for f in hits:
        p = f["properties"]
        assert {"龙潭区", "昌邑区"} <= set(p["counties"]), f["id"]
        assert etdz.county_conflict in p["conflicts"] and p["precision"] >= 3, f["id"]
    rows = (paths.GAZETTEER / "county_sources.csv").read_text("utf-8")
    assert "http://kimbb.com/jilin/info/326576.html" in rows and "九站" in rows  # the citation, with what it says

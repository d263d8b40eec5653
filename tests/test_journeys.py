"""What a planner, an investor and a presenter do in sequence, walked with AppTest; numbers equal geo/ results."""

from __future__ import annotations

import re

import pytest
from apptest_helpers import (
    map_script,
    marker_payload,
    open_tab,
    pick_row,
    selected_count,
    shown_text,
    start,
    switch_language,
    view,
    widget,
)

from geo.analysis.filters import apply_filters
from geo.analysis.proximity import proximity, query_features
from geo.analysis.stats import count_by_board
from geo.analysis.viewstate import DEFAULT_LAYERS, PARAMS, ViewState, to_query
from geo.atlas import load_atlas
from geo.core.domain import LAYER_NAMES
from geo.core.i18n import t


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("ATLAS_OFFLINE", "1")


@pytest.fixture(scope="module")
def data():
    return load_atlas()


def _empty_combination(data) -> tuple[str, str]:
    """A sector and a county whose combination selects nothing (found in the data, not copied from it)."""
    projects = data.projects
    for sector in sorted(projects["sector"].dropna().unique()):
        for adcode in sorted(data.counties["adcode"]):
            state = ViewState(sectors=(sector,), counties=(adcode,))
            if apply_filters(projects, state).empty:
                return sector, adcode
    raise AssertionError("every sector has a project in every county")


def test_language_switch_twice_keeps_layers_filters_and_the_map(data):
    at = start()
    widget(at, "layers").set_value(["counties", "towns", "projects"]).run()
    widget(at, "sectors").set_value(["tourism_culture"]).run()
    before_points = len(marker_payload(at)["lat"])
    assert before_points > 0
    for lang in ("en", "zh", "en"):
        switch_language(at, lang)
        assert not at.exception
        assert view(at).layers == ("counties", "towns", "projects")
        assert widget(at, "layers").value == ["counties", "towns", "projects"]  # codes, never stale labels
        assert widget(at, "sectors").value == ["tourism_culture"]
        assert len(marker_payload(at)["lat"]) == before_points
        labels = widget(at, "layers").options
        assert ("Featured towns" in labels) == (lang == "en") and ("特色小镇" in labels) == (lang == "zh")


@pytest.mark.parametrize("tab", ["stats", "table", "unmapped", "indicators", "export", "about"])
def test_an_empty_selection_renders_every_tab(data, tab):
    sector, adcode = _empty_combination(data)
    at = start({"sector": sector, "county": adcode, "tab": tab})
    assert not at.exception
    assert selected_count(at) == 0
    county = data.counties.set_index("adcode").loc[adcode, "name"]
    assert any(county in i.value for i in at.info), "the notice says where nothing was found"
    if tab == "stats":
        boards = {r.iloc[0]: r.iloc[1] for _, r in at.table[0].value.iterrows()}
        assert set(boards.values()) == {0} and len(boards) == 5  # four boards and 'no board', all 0
    switch_language(at, "en")
    assert not at.exception and "None located in" in " ".join(i.value for i in at.info)


def test_a_table_pick_opens_the_details_at_once_and_highlights_the_project(data):
    at = start({"sector": "bio"})
    open_tab(at, "table")
    table = at.dataframe(key="tbl_projects").value
    located = set(data.projects.loc[data.projects.geometry.notna(), "id"])
    row = next(i for i, pid in enumerate(table.iloc[:, 0]) if pid in located and i > 0)
    expected = table.iloc[row, 0]
    pick_row(at, row)
    assert not at.exception
    assert view(at).project == expected
    assert any(expected in m.value for m in at.markdown), "the details name the picked project"
    assert f"{expected} · {t('map.picked', 'zh')}" in map_script(at)  # the ring's tooltip: it is drawn
    assert at.query_params["p"] == [expected] or at.query_params["p"] == expected


def test_a_filter_after_a_table_pick_keeps_the_picked_project(data):
    """The browser re-sends the table's selection (a row number) after a filter has changed the rows: the pick stays
    the project picked, never the project now in that row (a long model run found B34-02 opened instead)."""
    at = start()
    open_tab(at, "table")
    table = at.dataframe(key="tbl_projects").value
    row = 3
    picked = table.iloc[row, 0]
    pick_row(at, row)
    assert view(at).project == picked
    widget(at, "sectors").set_value(["bio"]).run()  # the selection {rows: [3]} is still in the session
    rows = list(at.dataframe(key="tbl_projects").value.iloc[:, 0])
    assert len(rows) > row and rows[row] != picked  # another project sits in that row now
    assert view(at).project == picked
    assert at.query_params["p"] == [picked] or at.query_params["p"] == picked


def test_a_shared_url_reopens_the_same_view_in_a_fresh_session(data):
    at = start()
    widget(at, "sectors").set_value(["bio", "energy"]).run()
    widget(at, "boards").set_value(["south"]).run()
    widget(at, "layers").set_value(["counties", "layout"]).run()
    widget(at, "choropleth").set_value(True).run()
    open_tab(at, "stats")
    widget(at, "near").set_value("rail").run()
    widget(at, "near_km").set_value(25.0).run()
    widget(at, "counting").set_value("primary").run()
    open_tab(at, "unmapped")
    switch_language(at, "en")
    state = view(at)
    url = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert url == to_query(state)
    fresh = start({**url, "at": "43.9,126.6,10"})
    assert not fresh.exception and not fresh.warning
    assert view(fresh) == state.with_(extent=(43.9, 126.6, 10.0))
    assert selected_count(fresh) == selected_count(at)


def test_links_shared_before_keep_working(data):
    old = {"lang": "en", "sector": "transport", "box": "33", "board": "west", "county": "220221", "precision": "5"}
    at = start({**old, "q": "G", "basemap": "none", "choro": "1"})
    assert not at.exception and not at.warning
    state = view(at)
    assert state.sectors == ("transport",) and state.boxes == (33,) and state.counties == ("220221",)
    assert state.choropleth and state.lang == "en" and state.layers == DEFAULT_LAYERS
    assert set(PARAMS[:12]) == {"lang", "sector", "box", "board", "county", "precision", "q", "basemap", "p"} | {
        "mode",
        "step",
        "choro",
    }


def test_the_proximity_query_by_mode_excludes_its_own_features_and_feeds_map_table_and_export(data):
    at = start()
    widget(at, "near").set_value("rail").run()
    widget(at, "near_km").set_value(5.0).run()
    features = query_features(data.transport_frame, "rail")
    result = proximity(data.projects, features, 5.0)
    assert set(result.ids).isdisjoint(set(features["id"]))
    assert selected_count(at) == result.within
    assert t("map.within_km", "zh", km="5") in map_script(at)  # the buffer outline's tooltip: it is drawn
    open_tab(at, "table")
    assert set(at.dataframe(key="tbl_projects").value.iloc[:, 0]) == set(result.ids)
    open_tab(at, "export")
    assert any(str(result.within) in c.value for c in at.caption)


def test_stats_follow_curated_projects_and_equal_geo(data):
    at = start({"board": "north"})
    expected = count_by_board(apply_filters(data.projects, ViewState(boards=("north",)))).set_index("board")
    table = at.table[0].value
    shown = {r.iloc[0]: int(r.iloc[1]) for _, r in table.iterrows()}
    assert shown["北部板块"] == int(expected.loc["north", "overlapping"])


def test_hostile_text_in_the_search_box_and_url_gives_the_default_view_or_a_notice(data):
    at = start({"q": "<script>alert(1)</script>", "layers": "counties,<img>", "at": "999,1,2", "km": "nan"})
    assert not at.exception and at.warning
    assert view(at).extent is None and view(at).near_km == 10.0
    widget(at, "q").set_value("\u202e" + "碳" * 99 + "'\"<>&").run()
    assert not at.exception and selected_count(at) == 0
    widget(at, "q").set_value("").run()
    assert selected_count(at) == len(data.projects)


FIELD_NAMES = {"id", "name", "name_en", "sector", "precision", "location_basis", "adcode", "adcodes", "box_title"}
NULLS = {"None", "nan", "NaN", "null", "<NA>"}
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def _codes(data) -> set[str]:
    codes = {s["sector"] for s in data.sectors} | {"north", "west", "central", "south"} | set(LAYER_NAMES)
    codes |= set(data.transport_frame["mode"]) | set(data.projects["location_basis"].dropna())
    return codes - {"transport"}  # 'transport' is also an English word of the UI


def _walk_views(at, data):
    """Every tab, with a project picked and a proximity query set."""
    yield "default"
    for tab in ("stats", "table", "unmapped", "indicators", "export", "about"):
        open_tab(at, tab)
        yield tab
    open_tab(at, "stats")
    widget(at, "near").set_value("highway").run()
    yield "proximity"
    open_tab(at, "table")
    pick_row(at, 0)
    yield "picked"
    at.query_params.clear()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_raw_code_none_or_stray_chinese_on_screen(data, lang):
    at = start({"lang": lang, "p": "B05-05"})
    codes = _codes(data)
    chinese_names = set(data.projects["name"])
    problems = []
    for where in _walk_views(at, data):
        assert not at.exception, where
        for kind, text in shown_text(at):
            if kind == "column" and text in FIELD_NAMES:
                problems.append(f"{where}: field name as a header: {text}")
            if kind in ("cell", "option", "row label", "metric") and (text in codes or text in NULLS):
                problems.append(f"{where}: raw value {text!r} in a {kind}")
            if lang == "en" and CJK.search(text):
                allowed = (
                    kind == "text"  # the plan quote, shown as the original source text
                    or text in chinese_names
                    or text.startswith("Name in the plan: ")
                    or text in ("语言 · Language", "中文")
                )
                if not allowed:
                    problems.append(f"{where}: Chinese in the English UI ({kind}): {text[:60]!r}")
    if lang == "en":
        popups = " ".join(marker_payload(start({"lang": "en"}))["pop"])
        popups = re.sub(r'<div class="atlas-quote">.*?</div>', "", popups)  # the plan's own words stay Chinese
        assert popups and "专栏" not in popups and "、" not in popups  # box, counties and lists in English
    assert not problems, "\n".join(sorted(set(problems))[:40])


@pytest.mark.parametrize("fault", ["random bytes", "data dir is a file"])
def test_a_broken_curation_database_leaves_a_working_read_only_map(data, tmp_path, fault):
    if fault == "random bytes":
        (tmp_path / "curation.sqlite").write_bytes(bytes(range(256)) * 64)
        data_dir = tmp_path
    else:
        data_dir = tmp_path / "not-a-dir"
        data_dir.write_text("x", encoding="utf-8")
    at = start(ATLAS_DATA_DIR=str(data_dir))
    assert not at.exception
    assert selected_count(at) == len(data.projects)
    assert len(marker_payload(at)["lat"]) > 0, "the map still draws"
    if fault == "random bytes":
        assert any(t("ui.store_notice", "zh", reason="")[:10] in w.value for w in at.warning)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_county_badge_tooltip_names_its_county_in_both_languages(data, lang):
    from geo.render.options import _name
    from ui.map import _county_of_badge

    for feature in data.county_layer["features"]:
        props = feature["properties"]
        tooltip = t("map.county_level", lang, n=3, county=_name(props, lang))  # as the badge layer writes it
        assert _county_of_badge(tooltip, data, lang) == str(props["adcode"])
    assert _county_of_badge("B05-05 · 乌拉街雾凇满族小镇项目", data, lang) is None


def test_a_bar_of_the_board_chart_filters_to_that_board_and_opens_the_table(data):
    at = start()
    at.session_state["chart_boards"] = {"selection": {"pick": [{"code": "south"}]}}  # as the browser reports it
    at.run()
    assert not at.exception
    assert view(at).boards == ("south",) and view(at).tab == "table"
    assert widget(at, "boards").value == ["south"]  # the sidebar shows the filter the click set
    expected = apply_filters(data.projects, ViewState(boards=("south",)))
    assert selected_count(at) == len(expected)
    assert set(at.dataframe(key="tbl_projects").value.iloc[:, 0]) == set(expected["id"])


def test_a_picked_town_level_project_shows_its_real_uncertainty_radius(data):
    town = data.projects[(data.projects["precision"] == 2) & data.projects.geometry.notna()]
    town = town[town.geometry.geom_type == "Point"].iloc[0]
    at = start({"p": town["id"]})
    script = map_script(at)
    assert f'"radius": {float(town["uncertainty_m"])}' in script  # an L.circle in metres, not a fixed symbol
    km = f"{town['uncertainty_m'] / 1000:.1f}"
    assert t("map.uncertainty", "zh", km=km) in script

"""The map-first page load in AppTest: what the first run draws, and what each of the map frame's signals adds."""

from __future__ import annotations

import json

from apptest_helpers import map_script, map_signals, open_tab, start, switch_language, view, widget

from geo.core.i18n import t
from geo.render.signals import FILTERS_KEY, PANELS_KEY, PageSignals
from ui import progressive


def stats_tables(at) -> int:
    return len(at.table)


def sidebar_filters(at) -> list[str]:
    return [m.key for m in at.sidebar.multiselect]


def test_the_first_run_draws_the_map_the_numbers_and_the_language_switch_only():
    at = start(drawn=False)  # the browser's first run, before any signal
    assert not at.exception
    assert sidebar_filters(at) == [] and at.radio(key="w.lang").value == "zh"
    assert t("ui.filters_later", "zh") in [c.value for c in at.sidebar.caption]
    assert len(at.metric) == 5 and map_script(at)  # the numbers and the map are there
    assert "streamlit:setComponentValue" in map_script(at)  # the map frame will say when it has drawn
    assert stats_tables(at) == 0 and at.button(key="btn_panels").label == t("ui.panels_show", "zh")
    assert widget(at, "tab").value is None  # the tabs are there, none marked: their panel waits


def test_drawn_adds_the_filters_below_adds_the_panels_and_both_stay():
    at = start(drawn=False)
    map_signals(at, drawn=True)
    assert len(sidebar_filters(at)) >= 5 and at.sidebar.button(key="btn_present")
    assert stats_tables(at) == 0 and at.button(key="btn_panels")
    map_signals(at, drawn=True, below=True)
    assert stats_tables(at) == 2 and not [b for b in at.button if b.key == "btn_panels"]
    # a click on the map later replaces the component's value: what was shown stays
    map_signals(at)
    assert len(sidebar_filters(at)) >= 5 and stats_tables(at) == 2


def test_a_filter_before_scrolling_keeps_the_panels_waiting_and_a_tab_pick_draws_them():
    at = start(drawn=False)
    map_signals(at, drawn=True)
    widget(at, "boards").set_value(["north"]).run()
    assert view(at).boards == ("north",) and stats_tables(at) == 0
    open_tab(at, "table")
    assert at.dataframe(key="tbl_projects") is not None and view(at).tab == "table"


def test_picking_the_tab_the_view_already_names_draws_it():
    """Found by a long model run: a marked bar does not report a click on the marked tab, so picking 'statistics'
    (the view's tab) before scrolling drew nothing; with no tab marked until the panels are drawn, it does."""
    at = start(drawn=False, query={"tab": "export"})
    open_tab(at, "export")
    assert view(at).tab == "export" and not [b for b in at.button if b.key == "btn_panels"]
    assert widget(at, "tab").value == "export"  # now marked
    at = start(drawn=False)
    open_tab(at, "stats")
    assert stats_tables(at) == 2


def test_show_now_draws_the_panels():
    at = start(drawn=False)
    at.button(key="btn_panels").click().run()
    assert stats_tables(at) == 2 and len(sidebar_filters(at)) >= 5


def test_the_urls_notice_stays_while_the_page_loads_and_goes_with_the_next_change():
    at = start(drawn=False, query={"layers": "counties,<img>"})
    assert at.warning
    map_signals(at, drawn=True)
    assert at.warning  # the signal's rerun is not the person's: the notice is still there
    map_signals(at, drawn=True, below=True)
    assert at.warning
    widget(at, "boards").set_value(["north"]).run()
    assert not at.warning


def test_a_language_switch_draws_the_map_first_and_the_filters_when_the_new_frame_says_it_has_drawn():
    at = start()  # filters and panels shown
    widget(at, "sectors").set_value(["bio"]).run()
    chinese_map = map_script(at)
    switch_language(at, "en", drawn=False)
    assert not at.exception
    assert sidebar_filters(at) == []  # every filter would be a new widget: they wait, as in a page load
    assert t("ui.filters_later", "en") in [c.value for c in at.sidebar.caption]
    assert at.title[0].value == t("ui.title", "en") and map_script(at) != chinese_map
    assert stats_tables(at) == 2  # what was below the map stays
    at.run()  # a rerun without the new frame's signal (the old frame's was dropped): the filters still wait
    assert sidebar_filters(at) == []
    map_signals(at, drawn=True)  # the new map frame has drawn
    assert len(sidebar_filters(at)) >= 5 and widget(at, "sectors").value == ["bio"]
    assert widget(at, "sectors").label.startswith(t("ui.sector", "en"))
    switch_language(at, "en", drawn=False)  # the language it already has: nothing to wait for
    assert len(sidebar_filters(at)) >= 5


def test_after_a_language_switch_the_fallback_counts_from_the_switch():
    at = start()
    at.session_state[progressive.STARTED] = -1e9  # the page was opened long ago
    switch_language(at, "en", drawn=False)
    assert sidebar_filters(at) == []  # not the page load's fallback at once
    at.session_state[progressive.STARTED] = -1e9  # the switch long ago, the new map never said
    at.run()
    assert len(sidebar_filters(at)) >= 5


def test_without_a_signal_the_filters_come_after_the_fallback_time():
    at = start(drawn=False)
    at.session_state[progressive.STARTED] = -1e9  # the page was opened long ago, the map never said
    at.run()
    assert len(sidebar_filters(at)) >= 5


def test_presentation_mode_is_whole_and_leaving_it_shows_the_whole_atlas():
    at = start(drawn=False, query={"mode": "present"})
    assert not [c for c in at.sidebar.caption if c.value == t("ui.filters_later", "zh")]
    at.button(key="btn_exit").click().run()
    assert len(sidebar_filters(at)) >= 5 and stats_tables(at) == 2


def test_the_signals_script_names_the_placeholders_and_acts_once_per_frame():
    script = PageSignals()._template.module.script(PageSignals(), {})
    assert json.dumps(FILTERS_KEY) in script and json.dumps(PANELS_KEY) in script
    assert "window.__atlasSignals" in script and "IntersectionObserver" in script


def test_the_first_drawn_signal_lets_the_warm_up_go_on_with_the_english_view():
    from ui import warm

    warm._page_drawn.clear()
    at = start(drawn=False)
    assert not warm._page_drawn.is_set()  # the English default view waits: it would compete with this first map
    map_signals(at, drawn=True)
    assert warm._page_drawn.is_set()


def test_the_km_input_defaults_to_the_views_value_not_its_minimum():
    """A browser that reruns while the panels are still being drawn (a tab clicked as they appear after a scroll)
    sends a widget's default back; the km input's default was its minimum, 0.5, and the view took it (seen in a
    Chromium walk: language switches, a filter to nothing, clear, then the table tab → ``km=0.5`` in the URL)."""
    at = start({"km": "30"})
    km = at.number_input(key="w.near_km.zh")
    assert km.value == 30.0 and km.proto.default == 30.0

"""A page load draws the map first: the filters follow once it has drawn, the panels below it once they are in view.

The browser has one thread for the page and the map frame: every widget, chart and table drawn in a page load
delays the map. So a session's first run draws the title, the numbers, the map and the language switch; the map
frame then signals (``geo/render/signals.py``) that it has drawn — the rerun adds the sidebar's filters — and, when
the person scrolls the panels below the map into view, that they are seen — the rerun draws them. Once shown, the
filters and the panels stay for the session. A tab pick, a click on a county badge and the "show now" button show
the panels at once; if the map never signals (it failed to load), the filters come after ``FALLBACK_S``. Tests
that drive the app without a browser (AppTest) send the frame's signals themselves (``tests/apptest_helpers.py``).
A language switch draws the map first too: the filters, every one a new widget in the other language, wait for the
new map frame's signal.
"""

from __future__ import annotations

import time

import streamlit as st

from geo.core.i18n import t
from geo.render.signals import FILTERS_KEY, PANELS_KEY
from ui import state, warm

#: The session keys of what has been shown, and the map component whose value carries the frame's signals.
FILTERS = "_filters_shown"
PANELS = "_panels_shown"
STARTED = "_page_started"
MAP_KEY = "atlas_map"
FALLBACK_S = 20.0  # longer than a map takes on a loaded machine (10 sessions at once: up to ~19 s)


def absorb() -> bool:
    """Take the map frame's signals (its component value, which its on_change copied into the session); whether
    this run is part of the page load (the session's first run, or one a signal caused, not the person)."""
    first = STARTED not in st.session_state
    if first:
        st.session_state[STARTED] = time.monotonic()
    before = (filters_shown(), panels_shown())
    value = st.session_state.get(MAP_KEY)
    if isinstance(value, dict):
        if value.get("drawn") or value.get("below"):
            st.session_state[FILTERS] = True
            warm.page_drawn()
        if value.get("below"):
            st.session_state[PANELS] = True
    return first or (filters_shown(), panels_shown()) != before


def filters_shown() -> bool:
    return bool(st.session_state.get(FILTERS))


def panels_shown() -> bool:
    return bool(st.session_state.get(PANELS))


def show_panels() -> None:
    """The person asked for what is below the map (a tab, a badge, the button): draw it in this run."""
    st.session_state[PANELS] = True
    st.session_state[FILTERS] = True


def language_switched() -> None:
    """A language switch draws the map first too (called by the switch's callback, before its run): every filter
    is a new widget in the other language, which the browser lays out before it can draw the new map (~70 ms at
    plan scale). The new language's base map is a new map frame, which signals when it has drawn, as in a page load.
    """
    if not filters_shown():
        return
    st.session_state[FILTERS] = False
    st.session_state.pop(MAP_KEY, None)  # the old frame's signal: the new frame sends its own
    st.session_state[STARTED] = time.monotonic()  # the fallback counts from the switch
    st.session_state.pop(state.NOTICES, None)  # the URL's notices were the page load's; the person has acted since


def first_pick(lang: str) -> dict:
    """Keyword arguments of the tab bar while the panels wait: no tab marked, so a click on any tab — the one the
    view names too, which a marked bar would not report — picks it and draws the panels."""
    key = f"w.tab.first.{lang}"

    def picked() -> None:
        chosen = st.session_state.get(key)
        if chosen:
            state.update(tab=chosen)
            show_panels()

    return {"key": key, "default": None, "on_change": picked}


@st.fragment(run_every=FALLBACK_S)
def _fallback() -> None:
    """Reruns itself every FALLBACK_S while the placeholder is on the page: the filters, if the map never said."""
    started = st.session_state.get(STARTED, time.monotonic())
    if not filters_shown() and time.monotonic() - started >= FALLBACK_S * 0.9:
        st.session_state[FILTERS] = True
        st.rerun(scope="app")


def filters_placeholder(lang: str) -> None:
    """The sidebar's place for the filters until the map has drawn (the sidebar is there from the start)."""
    with st.sidebar.container(key=FILTERS_KEY):
        st.caption(t("ui.filters_later", lang))
        _fallback()


def panels_placeholder(lang: str) -> None:
    """The panels' place below the map until it comes into view; the button draws them at once."""
    with st.container(key=PANELS_KEY):
        st.caption(t("ui.panels_later", lang))
        st.button(t("ui.panels_show", lang), key="btn_panels", on_click=show_panels, type="tertiary")

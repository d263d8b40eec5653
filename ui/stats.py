"""The statistics tab: per board, per county, sector × board, and the proximity query; bars click to filter."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.analysis.proximity import ProximityResult
from geo.analysis.viewstate import COUNTINGS, NEAR_MODES, ViewState
from geo.atlas import Atlas
from geo.core.i18n import t
from geo.render.wording import Labels, number
from ui import state
from ui.selection import bar_spec, board_rows, county_rows, sector_board

NONE = "none"


def _bar_chart(frame: pd.DataFrame, label: str, value: str, key: str, on_pick, title: str) -> None:
    """A horizontal bar chart whose bars select (a click calls ``on_pick(code)``)."""
    spec = bar_spec(label, value, title)

    def code() -> str | None:
        event = st.session_state.get(key)
        points = ((event or {}).get("selection") or {}).get("pick") or []
        codes = [p.get("code") for p in points if p.get("code")]
        return codes[0] if codes else None

    def picked() -> None:
        if state.new_pick(key, code()):
            on_pick(code())

    st.vega_lite_chart(frame, spec, key=key, on_select=picked, selection_mode="pick", width="stretch")
    if state.new_pick(key, code()):  # a selection restored or written without the callback
        on_pick(code())
        st.rerun()


def _chart_beside_table(title: str, chart: tuple, table: pd.DataFrame, caption: str) -> None:
    """A titled clickable bar chart (``_bar_chart`` arguments) with its table and counting rule beside it."""
    c1, c2 = st.columns([3, 2])
    with c1:
        st.markdown(f"#### {title}")
        _bar_chart(*chart)
    with c2:
        st.table(table, hide_index=True)  # a real HTML table: readable by screen readers and searchable
        st.caption(caption)


def stats_panel(data: Atlas, selection: gpd.GeoDataFrame, labels: Labels, view: ViewState, key: str) -> None:
    """The statistics of the selection whose ``ui.selection.selection_key`` is ``key`` (tables cached by it)."""
    lang = labels.lang
    st.caption(t("stats.click_hint", lang))
    boards = board_rows(key, selection).copy()
    boards["code"] = boards["board"]
    boards["label"] = boards["board"].map(labels.board)
    _chart_beside_table(
        t("stats.per_board", lang),
        (
            boards,
            "label",
            "overlapping",
            "chart_boards",
            lambda code: state.update(boards=(code,), tab="table"),
            t("stats.overlapping", lang),
        ),
        pd.DataFrame(
            {
                t("ui.board", lang): boards["label"],
                t("stats.overlapping", lang): boards["overlapping"].astype(int),
                t("stats.primary", lang): boards["primary"].astype(int),
                t("stats.weighted", lang): boards["weighted"].map(lambda v: number(v, lang, 2)),
            }
        ),
        t("stats.overlap_rule", lang),
    )
    county = county_rows(key, selection, data.counties).copy()
    county["code"] = county["adcode"]
    county["label"] = county["adcode"].map(lambda a: labels.county(a) if a != NONE else t("ui.no_county_row", lang))
    _chart_beside_table(
        t("stats.per_county", lang),
        (
            county[county["adcode"] != NONE],
            "label",
            "projects",
            "chart_counties",
            lambda code: state.update(counties=(code,), tab="table"),
            t("stats.projects", lang),
        ),
        pd.DataFrame(
            {
                t("ui.county", lang): county["label"],
                t("stats.projects", lang): county["projects"].astype(int),
                t("stats.area", lang): county["area_km2"].map(lambda v: number(v, lang)),
                t("stats.density", lang): county["per_1000_km2"].map(lambda v: number(v, lang, 2)),
                t("stats.weighted", lang): county["weighted"].map(lambda v: number(v, lang, 2)),
            }
        ),
        t("stats.county_rule", lang),
    )
    st.markdown(f"#### {t('stats.crosstab', lang)}")
    st.radio(
        t("stats.counting", lang),
        list(COUNTINGS),
        horizontal=True,
        format_func=lambda c: t(f"stats.{c}", lang),
        **state.bind("counting", lang),
    )
    table = sector_board(key, view.counting, selection)
    shown = table.rename(index=labels.sector, columns=labels.board).rename_axis(
        index=t("ui.sector", lang), columns=None
    )
    st.dataframe(shown.reset_index(), hide_index=True, width="stretch", key="tbl_cross")


def proximity_panel(data: Atlas, result: ProximityResult | None, labels: Labels, view: ViewState) -> None:
    """The 'within X km of' query: choose a mode or one feature; the result filters the map, table and export."""
    lang = labels.lang
    st.markdown(f"#### {t('stats.proximity', lang)}")
    transport = data.transport_frame
    names = dict(zip(transport["id"], transport["name_en" if lang == "en" else "name"], strict=True))
    choices = ["", *NEAR_MODES, *transport["id"]]
    c1, c2 = st.columns([3, 1])
    c1.selectbox(
        t("stats.feature", lang),
        choices,
        format_func=lambda c: (
            t("stats.near_off", lang)
            if not c
            else t(f"stats.near_{c}", lang)
            if c in NEAR_MODES
            else f"{c} · {names.get(c, c)}"
        ),
        **state.bind("near", lang, lambda v: v or "", lambda v: v or None),
    )
    c2.number_input(
        t("stats.km", lang),
        min_value=0.5,
        max_value=200.0,
        step=0.5,
        # the view's value as the widget's default too: without it the default is min_value, and a browser that
        # reruns while the input is still being drawn (a tab clicked as the panels appear) sends that 0.5 back
        value=float(view.near_km),
        **state.bind("near_km", lang, float, lambda v: float(v or 10.0)),
    )
    if result is None:
        st.caption(t("stats.near_hint", lang))
        return
    m1, m2, m3 = st.columns(3)
    m1.metric(t("stats.within", lang, km=f"{result.km:g}"), result.within)
    m2.metric(t("stats.beyond", lang), result.beyond)
    m3.metric(t("stats.not_measurable", lang), result.not_measurable)
    st.caption(t("stats.near_applied", lang, n=result.within, features=len(result.features)))
    st.caption(t("stats.proximity_rule", lang))

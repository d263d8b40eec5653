"""Jilin Plan Atlas — the Streamlit app: page setup, data, the view state, and the panels of ui/ composed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import streamlit as st

from ui import warm

st.set_page_config(page_title="Jilin Plan Atlas · 吉林市“十四五”规划项目地图", page_icon="🗺️", layout="wide")
warm.wait()  # the server's warm-up (serve.py) imports what follows; never import a module at the same time

from geo.analysis.proximity import buffer_outline  # noqa: E402
from geo.analysis.viewstate import TABS, ViewState  # noqa: E402
from geo.atlas import Atlas  # noqa: E402 - set_page_config must come first
from geo.core.errors import AtlasError  # noqa: E402
from geo.core.i18n import t  # noqa: E402
from geo.plans import plan_choices  # noqa: E402
from geo.render.basemaps import default_basemap  # noqa: E402
from geo.render.wording import Labels  # noqa: E402
from ui import progressive, state  # noqa: E402
from ui.data import atlas, curated_projects, curation_store, project_row, store_notice  # noqa: E402
from ui.details import details_panel  # noqa: E402
from ui.edit import edit_panel  # noqa: E402
from ui.export import export_panel  # noqa: E402
from ui.indicators import indicators_panel  # noqa: E402
from ui.map import draw_map, map_options  # noqa: E402
from ui.present import presentation  # noqa: E402
from ui.selection import select  # noqa: E402
from ui.sidebar import language, sidebar  # noqa: E402
from ui.stats import proximity_panel, stats_panel  # noqa: E402
from ui.table import table_panel, unmapped_panel  # noqa: E402

if TYPE_CHECKING:
    import geopandas as gpd

PAGE_CSS = "<style>.block-container {padding-top: 1.6rem;}</style>"
MAP_FILL = "max(420px, calc(100vh - 285px))"  # the atlas map's height: the window less the title and metrics
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


def literal(text: str) -> str:
    """Text shown as written inside Markdown: no link, image, emphasis or HTML can come from it."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def metrics(selection: gpd.GeoDataFrame, total: int, lang: str) -> None:
    cols = st.columns(5)
    cols[0].metric(t("ui.m_selected", lang), f"{len(selection)} / {total}")
    cols[1].metric(t("ui.m_points", lang), int(selection["precision"].isin([1, 2]).sum()))
    cols[2].metric(t("ui.m_lines", lang), int((selection["precision"] == 5).sum()))
    cols[3].metric(t("ui.m_county", lang), int((selection["precision"] == 3).sum()))
    cols[4].metric(t("ui.m_city", lang), int((selection["precision"] == 4).sum()))
    outside = int((selection["precision"] == 6).sum())
    if outside:  # projects placed outside the city: listed apart, never counted as city-wide
        st.caption(t("ui.m_outside", lang, n=outside))


def empty_notice(view: ViewState, labels: Labels) -> None:
    """What an empty selection means, in words (never an error)."""
    if view.counties:
        where = (
            ", ".join(labels.county(a) for a in view.counties)
            if view.lang == "en"
            else "、".join(labels.county(a) for a in view.counties)
        )
        st.info(t("ui.empty_in", view.lang, where=where))
    else:
        st.info(t("ui.empty", view.lang))


def atlas_page(data: Atlas, labels: Labels) -> None:
    view = state.view()
    lang = view.lang
    selection, result, key = select(data, view)
    st.markdown(PAGE_CSS, unsafe_allow_html=True)
    plan = plan_choices().get(view.plan)
    if view.plan and plan:  # another built plan: its own city and period, not the bundled plan's title
        st.title(t("ui.title_plan", lang, plan=plan.label(lang)))
        st.caption(t("ui.subtitle_plan", lang))
    else:
        st.title(t("ui.title", lang))
        st.caption(t("ui.subtitle", lang))
    metrics(selection, len(data.projects), lang)
    if selection.empty:
        empty_notice(view, labels)
    picked = project_row(curated_projects(data), view.project)
    # the map takes the full width and most of the window's height; the details follow below it
    outline = (buffer_outline(result.features, result.km), result.km) if result else None
    options = map_options(view, view.layers)
    drawn = draw_map(
        data,
        selection,
        options,
        height=620,
        key=progressive.MAP_KEY,
        picked=picked,
        buffer=outline,
        fill=MAP_FILL,
        selection_key=key,
    )
    st.caption(t("ui.map_note", lang, unmapped=drawn.get("unmapped", 0)))
    if view.choropleth:
        counts = selection["adcodes"].explode().dropna().value_counts()
        st.caption(t("ui.choropleth_note", lang, top=int(counts.max()) if len(counts) else 0))
    details_panel(picked, labels)
    tabs = {"options": list(TABS), "format_func": lambda code: t(f"tab.{code}", lang), "label_visibility": "collapsed"}
    if not progressive.panels_shown():  # no tab is marked until one is drawn: a click on any of them draws it
        st.segmented_control(t("ui.view", lang), **tabs, **progressive.first_pick(lang))
        progressive.panels_placeholder(lang)
        return
    bound = state.bind("tab", lang, str, lambda v: v or "stats")
    tab = st.segmented_control(t("ui.view", lang), required=True, **tabs, **bound) or "stats"
    if tab == "stats":
        stats_panel(data, selection, labels, view, key)
        proximity_panel(data, result, labels, view)
    elif tab == "table":
        table_panel(selection, labels, result.listing["km"] if result else None)
    elif tab == "unmapped":
        unmapped_panel(selection, labels)
    elif tab == "indicators":
        indicators_panel(data, lang)
    elif tab == "export":
        export_panel(data, selection, lang)
    else:
        st.markdown(t("about.text", lang))


def main() -> None:
    try:
        data = atlas()
    except AtlasError as exc:
        st.error(t("error.data", "zh") + "\n\n" + literal(exc.one_line()))
        st.info(t("error.data", "en"))
        st.stop()
    notices = state.init_view(data)
    if progressive.absorb():  # the URL's notices stay while the page loads (the map's signals rerun it)
        notices = notices or st.session_state.get(state.NOTICES, [])
    if state.view().basemap is None:
        st.session_state[state.VIEW] = state.view().with_(basemap=default_basemap())
    lang = language()
    if notices:
        st.warning(t("ui.bad_query", lang, params=literal("; ".join(notices))))
    curation_store()  # opened (or found unusable) before any panel needs it
    if store_notice():
        st.warning(t("ui.store_notice", lang, reason=literal(store_notice())))
    labels = Labels(data, lang)
    if state.view().mode == "present":
        progressive.show_panels()  # the map-first page load is for the atlas; leaving presentation shows it whole
        state.push_url()
        presentation(data, state.view())
    else:
        if progressive.filters_shown():
            sidebar(data, labels)
            state.push_url()  # as soon as the filters are known, before the slower panels
            edit_panel(data, lang)
        else:  # a page load: the map first (ui/progressive.py)
            progressive.filters_placeholder(lang)
        atlas_page(data, labels)
    state.push_url()


main()

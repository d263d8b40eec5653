"""The sidebar: language, filters, basemap, layers and choropleth — every widget bound to the view by code."""

from __future__ import annotations

import streamlit as st

from geo.atlas import Atlas
from geo.core.domain import BOARD_CODES, LANGS, LAYER_NAMES, Precision
from geo.core.i18n import t
from geo.plans import plan_choices
from geo.render.basemaps import BASEMAPS, tianditu_key, tiles_unreachable
from geo.render.wording import Labels
from ui import progressive, state
from ui.data import secrets


def _lang_changed() -> None:
    state.drop_widgets()
    state.update(lang=st.session_state["w.lang"])
    progressive.language_switched()  # the map first, the filters after it


def language() -> str:
    """The language switch (its key does not depend on the language it sets)."""
    if "w.lang" not in st.session_state:
        st.session_state["w.lang"] = state.view().lang
    st.sidebar.radio(
        t("ui.language", "zh") + " · " + t("ui.language", "en"),
        list(LANGS),
        key="w.lang",
        horizontal=True,
        format_func=lambda code: "中文" if code == "zh" else "English",
        on_change=_lang_changed,
    )
    return state.view().lang


def sidebar(data: Atlas, labels: Labels) -> None:
    lang = labels.lang
    sb = st.sidebar
    sb.header(t("ui.filters", lang))
    plan_picker(lang)
    sectors = {s["sector"]: s for s in data.sectors}
    sb.multiselect(
        t("ui.sector", lang),
        list(sectors),
        format_func=lambda c: ("★ " if c in labels.cluster else "") + labels.sector(c),
        placeholder=t("ui.all", lang),
        **state.bind("sectors", lang, list, tuple),
    )
    titles = {int(b["box"]): b for b in data.boxes if b["kind"] == "project"}
    sb.multiselect(
        t("ui.box", lang),
        list(titles),
        placeholder=t("ui.all", lang),
        format_func=lambda n: f"{n} · {titles[n]['title_en'] if lang == 'en' else titles[n]['title']}",
        **state.bind("boxes", lang, list, tuple),
    )
    if data.board_info:  # a plan without the four boards has no board filter
        sb.multiselect(
            t("ui.board", lang),
            [*BOARD_CODES, "none"],
            placeholder=t("ui.all", lang),
            format_func=labels.board,
            **state.bind("boards", lang, list, tuple),
        )
    sb.multiselect(
        t("ui.county", lang),
        list(labels.counties),
        placeholder=t("ui.all", lang),
        format_func=labels.county,
        **state.bind("counties", lang, list, tuple),
    )
    sb.multiselect(
        t("ui.precision", lang),
        [int(p) for p in Precision],
        placeholder=t("ui.all", lang),
        format_func=lambda p: f"{p} · {t(f'precision.{p}', lang)}",
        **state.bind("precisions", lang, list, tuple),
    )
    sb.text_input(
        t("ui.search", lang),
        max_chars=100,
        placeholder=t("ui.search_hint", lang),
        **state.bind("q", lang, str, lambda v: " ".join(str(v or "").split())[:100]),
    )
    if state.view().filtered and sb.button(t("ui.clear_filters", lang), key="btn_clear", width="stretch"):
        state.update(sectors=(), boxes=(), boards=(), counties=(), precisions=(), q="", near=None)
        st.rerun()
    sb.header(t("ui.map", lang))
    view = state.view()
    sb.selectbox(
        t("ui.basemap", lang),
        list(BASEMAPS),
        format_func=lambda b: t(f"basemap.{b}", lang),
        **state.bind("basemap", lang, lambda v: v or "none", str),
    )
    if view.basemap == "tianditu" and not tianditu_key(secrets()):
        sb.info(t("ui.tianditu_no_key", lang))
    if view.basemap == "gaode":
        sb.caption(t("ui.gaode_note", lang))
    if view.basemap and tiles_unreachable(view.basemap):
        sb.warning(t("ui.tiles_unreachable", lang, name=t(f"basemap.{view.basemap}", lang)))
    sb.multiselect(
        t("ui.layers", lang),
        list(LAYER_NAMES),
        format_func=lambda name: t(f"layer.{name}", lang),
        placeholder=t("ui.no_layers", lang),
        **state.bind("layers", lang, list, tuple),
    )
    sb.toggle(t("ui.choropleth", lang), **state.bind("choropleth", lang, bool, bool))
    sb.divider()
    if sb.button(t("ui.present", lang), key="btn_present", width="stretch"):
        state.update(mode="present", step=0)
        st.rerun()


def plan_picker(lang: str) -> None:
    """With several built plans (ATLAS_PLANS), pick one; a switch starts a fresh view of that plan."""
    choices = plan_choices()
    if len(choices) < 2:
        return
    current_plan = state.view().plan if state.view().plan in choices else ""
    picked = st.sidebar.selectbox(
        t("ui.plan", lang),
        list(choices),
        index=list(choices).index(current_plan),
        format_func=lambda k: choices[k].label(lang),
        key=f"w.plan.{lang}",
    )
    if picked != current_plan:
        keep = state.view()
        st.session_state[state.VIEW] = type(keep)(lang=keep.lang, basemap=keep.basemap, plan=picked)
        state.drop_widgets()
        st.rerun()

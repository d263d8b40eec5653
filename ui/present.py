"""Presentation mode: large type, the guided steps with ◀/▶ (and arrow keys), a caption from the plan per step."""

from __future__ import annotations

import streamlit as st

from geo.analysis.viewstate import ViewState
from geo.atlas import Atlas
from geo.core.i18n import t
from geo.render.present import step_view, steps
from geo.render.style import esc
from ui import state
from ui.indicators import indicators_panel
from ui.map import draw_map, map_options

PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none;}
.block-container {padding-top: 1rem; max-width: 100%;}
html, body, [class*="css"], .stMarkdown p {font-size: 1.35rem;}
h1 {font-size: 2.6rem !important;} h2 {font-size: 2.1rem !important;}
.atlas-caption {font-size: 1.6rem; line-height: 1.5; border-left: 6px solid #1f6f8b; padding-left: 14px;}
.stButton button {font-size: 1.35rem; padding: 0.45rem 1.3rem; min-height: 3rem;}
*:focus-visible, [data-testid="stMain"]:focus {outline: none !important;}
</style>
"""
KEYS_JS = """
<script>
(() => {
const doc = window.parent.document;
if (!doc.__atlasKeys) {
  doc.__atlasKeys = true;
  doc.addEventListener('keydown', (e) => {
    if (['INPUT', 'TEXTAREA'].includes(e.target.tagName)) return;
    const key = {ArrowRight: 'next', PageDown: 'next', ' ': 'next', ArrowLeft: 'prev', PageUp: 'prev', Escape: 'exit'}[e.key];
    if (!key) return;
    const btn = doc.querySelector('.st-key-btn_' + key + ' button');
    if (btn && !btn.disabled) { e.preventDefault(); btn.click(); }
  });
}
})();
</script>
"""


def presentation(data: Atlas, view: ViewState) -> None:
    lang = view.lang
    st.markdown(PRESENT_CSS, unsafe_allow_html=True)
    st.html(KEYS_JS, unsafe_allow_javascript=True)
    all_steps = steps()
    index = min(max(view.step, 0), len(all_steps) - 1)
    step = all_steps[index]
    shown = step_view(step, data)
    c1, c2, c3, c4 = st.columns([1, 1, 6, 1])
    if c1.button("◀ " + t("present.prev", lang), key="btn_prev", disabled=index == 0):
        state.update(step=index - 1)
        st.rerun()
    if c2.button("▶ " + t("present.next", lang), key="btn_next", disabled=index == len(all_steps) - 1):
        state.update(step=index + 1)
        st.rerun()
    c3.markdown(f"### {index + 1}/{len(all_steps)} · {esc(step['title_en'] if lang == 'en' else step['title_zh'])}")
    if c4.button("✕ " + t("present.exit", lang), key="btn_exit"):
        state.update(mode="atlas", step=0)
        st.rerun()
    caption = step["caption_en"] if lang == "en" else step["caption_zh"]
    st.markdown(
        f'<div class="atlas-caption">{esc(caption)}<br><small>{esc(t("present.source", lang, lines=step["lines"]))}</small></div>',
        unsafe_allow_html=True,
    )
    options = map_options(view, shown["layers"], presentation=True)
    draw_map(
        data, shown["selection"], options, height=720, key="present_map", center=shown["center"], zoom=shown["zoom"]
    )
    with st.expander(t("present.indicators", lang), expanded=False):
        indicators_panel(data, lang, big=True)

"""Presentation mode: large type, the guided steps with ◀/▶ (and arrow keys), a caption from the plan per step."""

from __future__ import annotations

import streamlit as st

from geo.analysis.viewstate import ViewState
from geo.atlas import Atlas
from geo.core.i18n import t
from geo.render.present import default_steps, step_view, steps
from geo.render.style import esc
from ui import state
from ui.data import data_root
from ui.indicators import indicators_panel
from ui.map import draw_map, map_options

PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] {display: none;}
.stElementContainer:has(> .stMarkdown style), .stElementContainer:has(.stHtml script) {display: none;}
.block-container {padding: 0.6rem 1.2rem 1rem; max-width: 100%;}
html, body, [class*="css"], .stMarkdown p {font-size: 1.2rem;}
.atlas-step {font-size: 1.7rem; font-weight: 700; line-height: 1.2; margin: 0;}
.atlas-caption {font-size: 1.15rem; line-height: 1.35; border-left: 6px solid #1f6f8b; padding-left: 12px;}
.atlas-caption small {color: #555; white-space: nowrap;}
.stButton button {font-size: 1.2rem; padding: 0.3rem 1rem; min-height: 2.6rem; white-space: nowrap;}
*:focus-visible, [data-testid="stMain"]:focus {outline: none !important;}
</style>
"""
#: The map's height in presentation mode: the window less the step row and a two-line caption.
MAP_FILL = "max(420px, calc(100vh - 175px))"
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
    all_steps = steps(data_root()) or default_steps(data)
    if not all_steps:  # nothing to present (no sector has projects): back to the atlas
        state.update(mode="atlas", step=0)
        st.rerun()
    index = min(max(view.step, 0), len(all_steps) - 1)
    step = all_steps[index]
    shown = step_view(step, data)
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        if st.button("◀ " + t("present.prev", lang), key="btn_prev", disabled=index == 0):
            state.update(step=index - 1)
            st.rerun()
        if st.button("▶ " + t("present.next", lang), key="btn_next", disabled=index == len(all_steps) - 1):
            state.update(step=index + 1)
            st.rerun()
        title = step["title_en"] if lang == "en" else step["title_zh"]
        st.markdown(
            f'<p class="atlas-step">{index + 1}/{len(all_steps)} · {esc(title)}</p>',
            unsafe_allow_html=True,
            width="stretch",
        )
        if st.button("✕ " + t("present.exit", lang), key="btn_exit"):
            state.update(mode="atlas", step=0)
            st.rerun()
    caption = step["caption_en"] if lang == "en" else step["caption_zh"]
    st.markdown(
        f'<div class="atlas-caption">{esc(caption)} <small>{esc(t("present.source", lang, lines=step["lines"])) if step["lines"] else ""}</small></div>',
        unsafe_allow_html=True,
    )
    options = map_options(view, shown["layers"], presentation=True)
    options.center, options.zoom = shown["center"], shown["zoom"]
    draw_map(data, shown["selection"], options, height=620, key="present_map", fill=MAP_FILL, fit=shown["bounds"])
    with st.expander(t("present.indicators", lang), expanded=False):
        indicators_panel(data, lang, big=True)

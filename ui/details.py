"""The details of the picked project: box, sector, where, precision and basis, boards, plan quote and evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.core.i18n import t
from geo.render.style import esc
from geo.render.wording import Labels, basis_label, box_label, join, lines_text, precision_label
from ui import state


def details_panel(project: dict | None, labels: Labels) -> None:
    lang = labels.lang
    st.subheader(t("ui.details", lang))
    if not project:
        st.caption(t("ui.details_hint", lang))
        return
    title = labels.project_name(project)
    st.markdown(f"**{esc(project['id'])} · {esc(title)}**", unsafe_allow_html=True)
    if lang == "en":
        untranslated = project.get("name_en_source") == "pinyin"
        st.caption(
            t("ui.original_name", lang)
            + " "
            + str(project["name"])
            + (" " + t("ui.untranslated", lang) if untranslated else "")
        )
        if project.get("summary_en"):
            st.write(project["summary_en"])
    places = [labels.place(project.get(k)) for k in ("zone", "town")]
    facts = {
        t("popup.box", lang): box_label(
            project.get("box"), project.get("box_title"), project.get("box_title_en"), lang
        ),
        t("popup.sector", lang): labels.sector(project.get("sector")),
        t("popup.where", lang): labels.county_names(project.get("counties")),
        t("ui.town_zone", lang): " / ".join(p for p in places if p) or "—",
        t("popup.precision", lang): precision_label(project.get("precision"), lang),
        t("ui.basis", lang): basis_label(project.get("location_basis"), lang),
        t("ui.boards", lang): join([labels.board(b) for b in project.get("boards") or []], lang) or "—",
        t("popup.lines", lang): lines_text(project.get("plan_lines"), lang),
    }
    if project.get("outside"):
        facts[t("ui.outside", lang)] = join([labels.place(p) for p in project["outside"]], lang)
    if project.get("curated"):
        facts[t("ui.curated", lang)] = project.get("curation") or ""
    st.table(pd.DataFrame({t("ui.value", lang): [v or "—" for v in facts.values()]}, index=list(facts.keys())))
    st.markdown(t("ui.quote", lang))
    st.text(project.get("plan_quote") or "")
    if project.get("sites"):
        st.markdown(t("ui.evidence", lang))
        st.dataframe(_sites(project["sites"], labels), hide_index=True, width="stretch", key="tbl_sites")
    for label, key in (("ui.conflicts", "conflicts"), ("ui.notes", "location_notes")):
        if project.get(key):
            st.markdown(t(label, lang))
            for item in project[key]:
                st.text("· " + str(item))
    if st.button(t("ui.close_details", lang), key="btn_close_details"):
        state.update(project=None)
        st.rerun()


def _sites(sites: list[dict], labels: Labels) -> pd.DataFrame:
    """The evidence table: each matched place, its kind, county, precision and point, in the UI language."""
    lang = labels.lang
    rows = [
        {
            t("col.place", lang): labels.place(site.get("name")) or "—",
            t("col.kind", lang): t(f"kind.{site.get('kind')}", lang) if site.get("kind") else "—",
            t("col.county", lang): labels.county(site.get("adcode")),
            t("col.precision", lang): precision_label(site.get("precision"), lang),
            t("col.point", lang): f"{site['lon']:.4f}, {site['lat']:.4f}"
            if site.get("lon") is not None and site.get("lat") is not None
            else t("ui.no_point", lang),
        }
        for site in sites
    ]
    return pd.DataFrame(rows)

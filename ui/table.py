"""The project table and the city-wide list: translated headers and values; a picked row opens its details."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.core.i18n import t
from geo.render.export import export
from geo.render.wording import Labels, basis_label, box_label, precision_label
from ui import state


def project_frame(selection: gpd.GeoDataFrame, labels: Labels, km: pd.Series | None = None) -> pd.DataFrame:
    """The rows a person reads: id, name, sector, counties, precision, how it was located (no raw codes)."""
    lang = labels.lang
    frame = pd.DataFrame(
        {
            t("col.id", lang): selection["id"].to_numpy(),
            t("col.name", lang): [labels.project_name(r) for r in selection.to_dict("records")],
            t("col.sector", lang): selection["sector"].map(labels.sector).to_numpy(),
            t("col.county", lang): selection["counties"].map(labels.county_names).to_numpy(),
            t("col.precision", lang): selection["precision"].map(lambda p: precision_label(p, lang)).to_numpy(),
            t("col.basis", lang): selection["location_basis"].map(lambda b: basis_label(b, lang)).to_numpy(),
        }
    )
    if km is not None:
        frame[t("col.km", lang)] = km.reindex(selection.index).round(2).to_numpy()
    return frame


def _picked_id(key: str, ids_key: str) -> str | None:
    """The project of the row picked in table ``key``, read against the table the person picked it in.

    The browser re-sends a table's selection (a row number) with every later run, also after a filter has changed
    the rows: a selection is bound to the rows shown when it was first seen, so it never names another project.
    """
    event = st.session_state.get(key)
    rows = tuple(((event or {}).get("selection") or {}).get("rows") or [])
    bound = st.session_state.setdefault("_pick_rows", {})
    if key not in bound or bound[key][0] != rows:  # a new selection: the rows as they are shown now
        bound[key] = (rows, list(st.session_state.get(ids_key) or []))
    ids = bound[key][1]
    return ids[rows[0]] if rows and rows[0] < len(ids) else None


def _pick(key: str, ids_key: str) -> None:
    """Table row picked: open that project (a callback, so the details show in the same run)."""
    project = _picked_id(key, ids_key)
    if state.new_pick(key, project):
        state.update(project=project)


def _pick_written(key: str, ids_key: str) -> None:
    """A selection restored or written to the session without the widget's callback also opens its project."""
    project = _picked_id(key, ids_key)
    if state.new_pick(key, project) and state.view().project != project:
        state.update(project=project)
        st.rerun()


def table_panel(selection: gpd.GeoDataFrame, labels: Labels, km: pd.Series | None = None) -> None:
    lang = labels.lang
    view = state.view()
    if len(view.counties) == 1 and view.precisions == (3,):  # the list behind a county badge
        st.info(t("ui.badge_list", lang, county=labels.county(view.counties[0]), n=len(selection)))
    if selection.empty:
        st.info(t("ui.empty", lang))
    st.session_state["_table_ids"] = list(selection["id"])
    st.dataframe(
        project_frame(selection, labels, km),
        hide_index=True,
        width="stretch",
        on_select=lambda: _pick("tbl_projects", "_table_ids"),
        selection_mode="single-row",
        key="tbl_projects",
    )
    _pick_written("tbl_projects", "_table_ids")
    st.download_button(
        t("ui.download_csv", lang),
        data=export(selection, "csv"),
        file_name="jilin-plan-projects.csv",
        mime="text/csv",
        key="dl_csv_table",
    )


def unmapped_panel(selection: gpd.GeoDataFrame, labels: Labels) -> None:
    lang = labels.lang
    level4 = selection[selection["precision"] == 4]
    st.caption(t("ui.unmapped_hint", lang, n=len(level4)))
    frame = pd.DataFrame(
        {
            t("col.id", lang): level4["id"].to_numpy(),
            t("col.name", lang): [labels.project_name(r) for r in level4.to_dict("records")],
            t("col.basis", lang): level4["location_basis"].map(lambda b: basis_label(b, lang)).to_numpy(),
            t("col.box", lang): [
                box_label(r["box"], r.get("box_title"), r.get("box_title_en"), lang) for r in level4.to_dict("records")
            ],
        }
    )
    st.session_state["_unmapped_ids"] = list(level4["id"])
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        on_select=lambda: _pick("tbl_unmapped", "_unmapped_ids"),
        selection_mode="single-row",
        key="tbl_unmapped",
    )
    _pick_written("tbl_unmapped", "_unmapped_ids")

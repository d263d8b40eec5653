"""Edit mode for planners: unlock with the editor token, correct the picked project's location with a source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.atlas import Atlas
from geo.core.errors import AtlasError, AuthError, EditConflictError, ValidationError
from geo.core.i18n import t
from geo.curation.service import INPUT_CRS, prepare_location, save_correction
from geo.render.style import esc
from ui import state
from ui.data import curated_projects, curation_store, editor_gate, store_notice


def edit_panel(data: Atlas, lang: str) -> None:
    """Edit mode: only when an editor token is configured, never in presentation mode, never from the URL."""
    gate = editor_gate()
    if not gate.enabled or state.view().mode == "present":
        return
    box = st.sidebar.expander(t("edit.title", lang), expanded=bool(st.session_state.get("editor_ok")))
    if not st.session_state.get("editor_ok"):
        _unlock(box, gate, lang)
        return
    project_id = state.view().project
    projects = curated_projects(data)
    rows = projects[projects["id"] == project_id]
    if rows.empty:
        box.caption(t("edit.pick", lang))
        return
    project = rows.iloc[0].to_dict()
    store = curation_store(create=True)
    if store is None:
        box.warning(t("edit.store_unavailable", lang, reason=store_notice() or "?"))
        return
    versions = st.session_state.setdefault("edit_versions", {})
    if project_id not in versions:  # the version this editor started from (optimistic locking)
        versions[project_id] = store.version(project_id)
    box.markdown(f"**{esc(project_id)}** · {esc(project['name'])}")
    crs = box.radio(t("edit.crs", lang), list(INPUT_CRS), key="edit_crs", horizontal=True)
    clicked = st.session_state.get("_last_map_click")
    if clicked and box.button(t("edit.use_click", lang), key="btn_use_click"):
        st.session_state["edit_lon"], st.session_state["edit_lat"] = clicked[1], clicked[0]
        st.session_state["edit_crs"] = "GCJ-02" if state.view().basemap == "gaode" else "WGS84"
        st.rerun()
    lon = box.number_input(
        t("edit.lon", lang), min_value=-180.0, max_value=180.0, value=None, format="%.6f", key="edit_lon"
    )
    lat = box.number_input(
        t("edit.lat", lang), min_value=-90.0, max_value=90.0, value=None, format="%.6f", key="edit_lat"
    )
    precision = box.selectbox(
        t("edit.precision", lang),
        [1, 2, 3],
        key="edit_precision",
        format_func=lambda p: f"{p} · {t(f'precision.{p}', lang)}",
    )
    codes = list(data.counties["adcode"])
    names = dict(zip(data.counties["adcode"], data.counties["name_en" if lang == "en" else "name"], strict=True))
    default = codes.index(project["adcode"]) if project.get("adcode") in codes else 0
    adcode = box.selectbox(t("edit.county", lang), codes, index=default, key="edit_county", format_func=names.get)
    source = box.text_input(
        t("edit.source", lang), key="edit_source", max_chars=500, placeholder=t("edit.source_hint", lang)
    )
    editor = box.text_input(t("edit.editor", lang), key="edit_editor", max_chars=100)
    comment = box.text_area(t("edit.comment", lang), key="edit_comment", max_chars=500)
    if box.button(t("edit.save", lang), key="btn_save", type="primary"):
        try:
            location = prepare_location(
                lon=lon if precision != 3 else None,
                lat=lat if precision != 3 else None,
                input_crs=crs,
                precision=precision,
                adcode=adcode,
                counties=data.counties,
            )
            edit = save_correction(
                store, project, versions[project_id], location, editor=editor, source=source, comment=comment
            )
        except ValidationError as exc:
            box.error("\n".join(exc.problems or [exc.one_line()]))
        except (EditConflictError, AtlasError) as exc:
            box.error(exc.one_line())
            versions.pop(project_id, None)
        else:
            versions[project_id] = edit.version
            box.success(t("edit.saved", lang, id=edit.id))
    _history(box, store, project_id, versions, editor, comment, lang)


def _unlock(box, gate, lang: str) -> None:
    """The token field: a right token unlocks edit mode for this session."""
    token = box.text_input(t("edit.token", lang), type="password", key="edit_token")
    if box.button(t("edit.unlock", lang), key="btn_unlock"):
        try:
            ok = gate.check(token, client=st.runtime.scriptrunner.get_script_run_ctx().session_id)
        except AuthError as exc:
            box.error(exc.one_line())
            return
        if ok:
            st.session_state["editor_ok"] = True
            st.session_state.pop("edit_token", None)
            st.rerun()
        box.error(t("edit.wrong_token", lang))


def _history(box, store, project_id: str, versions: dict, editor: str, comment: str, lang: str) -> None:
    """The project's edits, newest first, and a revert of one of them."""
    history = store.history(project_id)
    if history:
        box.caption(t("edit.history", lang))
        box.dataframe(
            pd.DataFrame(
                [
                    {
                        t("col.edit", lang): e.id,
                        t("col.edit_kind", lang): t(f"edit.kind_{e.kind}", lang),
                        t("col.editor", lang): e.editor,
                        t("col.when", lang): e.created_at,
                        t("col.lon", lang): e.new_lon if e.new_lon is not None else "—",
                        t("col.lat", lang): e.new_lat if e.new_lat is not None else "—",
                        t("col.precision", lang): e.new_precision,
                        t("col.source", lang): e.source or "—",
                    }
                    for e in history
                ]
            ),
            hide_index=True,
            key="tbl_history",
        )
        target = box.selectbox(
            t("edit.revert_which", lang), [e.id for e in history if e.kind == "edit"], key="edit_revert"
        )
        if box.button(t("edit.revert", lang), key="btn_revert") and target:
            try:
                edit = store.revert(int(target), versions[project_id], editor=editor or "?", reason=comment or "revert")
            except (EditConflictError, AtlasError) as exc:
                box.error(exc.one_line())
                versions.pop(project_id, None)
            else:
                versions[project_id] = edit.version
                box.success(t("edit.reverted", lang, id=target))

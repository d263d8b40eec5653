"""Jilin Plan Atlas — the Streamlit app: a thin UI over the geo/ package (map, filters, stats, details, exports)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from geo.analysis.filters import apply_filters
from geo.analysis.stats import (
    count_by_board,
    count_by_county,
    crosstab,
    nearest_feature,
    proximity_summary,
    within_distance,
)
from geo.analysis.viewstate import ViewState, parse_query, to_query
from geo.atlas import Atlas, load_atlas
from geo.core.config import DB_ENV, paths
from geo.core.domain import BOARD_CODES
from geo.core.errors import AtlasError, AuthError, EditConflictError, ValidationError
from geo.core.i18n import t
from geo.core.tables import read_table
from geo.curation.auth import EditorGate, configured_token
from geo.curation.service import INPUT_CRS, overlay, prepare_location, save_correction
from geo.curation.store import CurationStore, default_sqlite_path, open_store
from geo.places.evidence import BASIS_KEYS
from geo.render.basemaps import BASEMAPS, default_basemap, tianditu_key
from geo.render.export import FORMATS, MIME, export
from geo.render.map import LAYERS, MapOptions, build_map, standalone
from geo.render.present import step_view, steps
from geo.render.style import esc

st.set_page_config(page_title="Jilin Plan Atlas · 吉林市“十四五”规划项目地图", page_icon="🗺️", layout="wide")

TOOLTIP_ID = re.compile(r"^\s*(B\d{2}-\d{2}(?:\.\d+)?|U\d+)\s·")


# --------------------------------------------------------------------------- data (cached)


@st.cache_resource(show_spinner=False)
def _atlas(root: str | None) -> Atlas:
    return load_atlas(Path(root) if root else None)


def atlas() -> Atlas:
    """The bundled data, loaded once (ATLAS_DATA_ROOT points the app at another copy of data/ and layers/)."""
    return _atlas(os.environ.get("ATLAS_DATA_ROOT"))


@st.cache_resource(show_spinner=False)
def _gate(token_hash: str) -> EditorGate:
    return EditorGate(configured_token(secrets()))


def editor_gate() -> EditorGate:
    """One gate (and one failure counter) per configured token, shared by every session of this server."""
    import hashlib

    return _gate(hashlib.sha256((configured_token(secrets()) or "").encode()).hexdigest())


def curation_store(create: bool = False) -> CurationStore | None:
    """The curation database: PostgreSQL if ATLAS_DB_URL/secrets say so, else the SQLite file (made on first edit)."""
    url = os.environ.get(DB_ENV) or (secrets() or {}).get("db_url")
    if not url and not create and not default_sqlite_path().exists():
        return None
    return _store(url or str(default_sqlite_path()))


@st.cache_resource(show_spinner=False)
def _store(url: str) -> CurationStore:
    return open_store(url)


def curated_projects(data: Atlas):
    """The projects with the database's current corrections applied (live, without a rebuild)."""
    store = curation_store()
    if store is None:
        return data.projects
    edits = store.current()
    if not edits:
        return data.projects
    names = dict(zip(data.counties["adcode"], data.counties["name"], strict=True))
    assigner = board_assigner()
    return overlay(data.projects, edits, names, lambda adcode: assigner.assign([assigner.gaz.places[adcode]]))


@st.cache_resource(show_spinner=False)
def board_assigner():
    """The board rule table, to re-assign the boards of a curated location."""
    from geo.places.boards import BoardAssigner, load_rules
    from geo.places.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    return BoardAssigner(gazetteer, load_rules(gazetteer))


@st.cache_data(show_spinner=False)
def board_table(ids: tuple[str, ...], root: str | None) -> pd.DataFrame:
    return count_by_board(_subset(ids))


@st.cache_data(show_spinner=False)
def county_table(ids: tuple[str, ...], root: str | None) -> pd.DataFrame:
    return count_by_county(_subset(ids), atlas().counties)


@st.cache_data(show_spinner=False)
def sector_board(ids: tuple[str, ...], counting: str, root: str | None) -> pd.DataFrame:
    return crosstab(_subset(ids), "sector", "board", counting=counting)


@st.cache_data(show_spinner=False)
def indicator_names() -> dict[int, dict[str, str]]:
    rows = read_table(paths.DATA / "translations" / "indicators_en.csv", ("no", "category_en", "name_en"))
    return {int(r["no"]): r for r in rows}


def _subset(ids: tuple[str, ...]) -> gpd.GeoDataFrame:
    frame = atlas().projects
    return frame[frame["id"].isin(ids)]


# --------------------------------------------------------------------------- state


def initial_state(data: Atlas) -> tuple[ViewState, list[str]]:
    """The view from the URL (first run of a session) or from the widgets (later runs)."""
    known = {
        "sectors": {s["sector"] for s in data.sectors},
        "boxes": {b["box"] for b in data.boxes},
        "counties": set(data.counties["adcode"]),
        "projects": set(data.projects["id"]),
    }
    return parse_query(st.query_params.to_dict(), **known)


def seed_widgets(state: ViewState) -> None:
    if st.session_state.get("_seeded"):
        return
    st.session_state.update(
        {
            "_seeded": True,
            "lang": state.lang,
            "f_sector": list(state.sectors),
            "f_box": list(state.boxes),
            "f_board": list(state.boards),
            "f_county": list(state.counties),
            "f_precision": list(state.precisions),
            "f_q": state.q,
            "f_basemap": state.basemap or default_basemap(),
            "f_choro": state.choropleth,
            "project": state.project,
            "mode": state.mode,
            "step": state.step,
        }
    )


def current_state() -> ViewState:
    ss = st.session_state
    return ViewState(
        lang=ss.get("lang", "zh"),
        sectors=list(ss.get("f_sector", [])),
        boxes=list(ss.get("f_box", [])),
        boards=list(ss.get("f_board", [])),
        counties=list(ss.get("f_county", [])),
        precisions=list(ss.get("f_precision", [])),
        q=ss.get("f_q", "").strip()[:100],
        basemap=ss.get("f_basemap"),
        project=ss.get("project"),
        mode=ss.get("mode", "atlas"),
        step=int(ss.get("step", 0)),
        choropleth=bool(ss.get("f_choro", False)),
    )


# --------------------------------------------------------------------------- sidebar


def sidebar(data: Atlas, lang: str) -> None:
    sb = st.sidebar
    sb.radio(
        t("ui.language", lang),
        ["zh", "en"],
        key="lang",
        horizontal=True,
        format_func=lambda code: "中文" if code == "zh" else "English",
    )
    lang = st.session_state["lang"]
    sb.header(t("ui.filters", lang))
    sectors = {s["sector"]: s for s in data.sectors}
    sb.multiselect(
        t("ui.sector", lang),
        list(sectors),
        key="f_sector",
        format_func=lambda c: (
            ("★ " if sectors[c]["kind"] == "cluster" else "") + sectors[c]["en" if lang == "en" else "zh"]
        ),
        placeholder=t("ui.all", lang),
    )
    titles = {b["box"]: b for b in data.boxes if b["kind"] == "project"}
    sb.multiselect(
        t("ui.box", lang),
        list(titles),
        key="f_box",
        placeholder=t("ui.all", lang),
        format_func=lambda n: f"{n} · {titles[n]['title_en'] if lang == 'en' else titles[n]['title']}",
    )
    boards = {b["board"]: b for b in data.board_info}
    sb.multiselect(
        t("ui.board", lang),
        [*BOARD_CODES, "none"],
        key="f_board",
        placeholder=t("ui.all", lang),
        format_func=lambda c: (
            t("ui.no_board", lang) if c == "none" else boards[c]["short_en" if lang == "en" else "short_zh"]
        ),
    )
    names = data.counties.set_index("adcode")
    sb.multiselect(
        t("ui.county", lang),
        list(names.index),
        key="f_county",
        placeholder=t("ui.all", lang),
        format_func=lambda a: names.loc[a, "name_en" if lang == "en" else "name"],
    )
    sb.multiselect(
        t("ui.precision", lang),
        [1, 2, 3, 4, 5],
        key="f_precision",
        placeholder=t("ui.all", lang),
        format_func=lambda p: f"{p} · {t(f'precision.{p}', lang)}",
    )
    sb.text_input(t("ui.search", lang), key="f_q", max_chars=100, placeholder=t("ui.search_hint", lang))
    sb.header(t("ui.map", lang))
    sb.selectbox(t("ui.basemap", lang), list(BASEMAPS), key="f_basemap", format_func=lambda b: t(f"basemap.{b}", lang))
    if st.session_state["f_basemap"] == "tianditu" and not tianditu_key(secrets()):
        sb.info(t("ui.tianditu_no_key", lang))
    if st.session_state["f_basemap"] == "gaode":
        sb.caption(t("ui.gaode_note", lang))
    sb.multiselect(
        t("ui.layers", lang),
        list(LAYERS),
        key="f_layers",
        default=["counties", "boards", "transport", "projects", "county_counts"],
        format_func=lambda name: t(f"layer.{name}", lang),
    )
    sb.toggle(t("ui.choropleth", lang), key="f_choro")
    edit_panel(data, lang)
    sb.divider()
    if sb.button(t("ui.present", lang), key="btn_present", width="stretch"):
        st.session_state["mode"] = "present"
        st.session_state["step"] = 0
        st.rerun()


def edit_panel(data: Atlas, lang: str) -> None:
    """Edit mode: only when an editor token is configured, never in presentation mode, never from the URL."""
    gate = editor_gate()
    if not gate.enabled or st.session_state.get("mode") == "present":
        return
    box = st.sidebar.expander(t("edit.title", lang), expanded=bool(st.session_state.get("editor_ok")))
    if not st.session_state.get("editor_ok"):
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
        return
    project_id = st.session_state.get("project")
    projects = curated_projects(data)
    rows = projects[projects["id"] == project_id]
    if rows.empty:
        box.caption(t("edit.pick", lang))
        return
    project = rows.iloc[0].to_dict()
    store = curation_store(create=True)
    versions = st.session_state.setdefault("edit_versions", {})
    if project_id not in versions:  # the version this editor started from (optimistic locking)
        versions[project_id] = store.version(project_id)
    box.markdown(f"**{esc(project_id)}** · {esc(project['name'])}")
    crs = box.radio(t("edit.crs", lang), list(INPUT_CRS), key="edit_crs", horizontal=True)
    clicked = st.session_state.get("_last_map_click")
    if clicked and box.button(t("edit.use_click", lang), key="btn_use_click"):
        st.session_state["edit_lon"], st.session_state["edit_lat"] = clicked[1], clicked[0]
        st.session_state["edit_crs"] = "GCJ-02" if (st.session_state.get("f_basemap") == "gaode") else "WGS84"
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
    history = store.history(project_id)
    if history:
        box.caption(t("edit.history", lang))
        box.dataframe(
            pd.DataFrame(
                [
                    {
                        "id": e.id,
                        "kind": e.kind,
                        "who": e.editor,
                        "when": e.created_at,
                        "lon": e.new_lon,
                        "lat": e.new_lat,
                        "precision": e.new_precision,
                        "source": e.source,
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


def secrets() -> dict | None:
    """st.secrets as a dict, or None when the app has no secrets file."""
    try:
        return dict(st.secrets)
    except Exception:  # no secrets.toml: Streamlit raises on access
        return None


# --------------------------------------------------------------------------- main views


def metrics(selection: gpd.GeoDataFrame, total: int, lang: str) -> None:
    cols = st.columns(5)
    cols[0].metric(t("ui.m_selected", lang), f"{len(selection)} / {total}")
    cols[1].metric(t("ui.m_points", lang), int(selection["precision"].isin([1, 2]).sum()))
    cols[2].metric(t("ui.m_lines", lang), int((selection["precision"] == 5).sum()))
    cols[3].metric(t("ui.m_county", lang), int((selection["precision"] == 3).sum()))
    cols[4].metric(t("ui.m_city", lang), int((selection["precision"] == 4).sum()))


def map_options(state: ViewState, layers: list[str], presentation: bool = False, center=None, zoom=None) -> MapOptions:
    options = MapOptions(
        lang=state.lang,
        basemap=state.basemap or "none",
        tianditu_key=tianditu_key(secrets()),
        layers=set(layers),
        choropleth=state.choropleth,
        presentation=presentation,
    )
    if center:
        options.center = center
    if zoom:
        options.zoom = zoom
    return options


def map_layers(data: Atlas, selection: gpd.GeoDataFrame, options: MapOptions):
    """The base map, the selection's layer group and what was drawn."""
    return build_map(
        selection,
        counties_fc=data.county_layer,
        boards_fc=data.boards,
        layout_fc=data.layout,
        towns_fc=data.towns,
        transport_fc=data.transport,
        water_fc=data.water,
        sectors=data.sectors,
        options=options,
    )


def draw_map(
    data: Atlas, selection: gpd.GeoDataFrame, options: MapOptions, height: int, key: str, center=None, zoom=None
):
    """The map component: the base map stays mounted and only the selection group changes, so pan/zoom persist."""
    fmap, group, drawn = map_layers(data, selection, options)
    st.session_state["_map_options"] = options
    returned = ["last_object_clicked_tooltip"] + (["last_clicked"] if st.session_state.get("editor_ok") else [])
    out = st_folium(
        fmap,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=returned,
        feature_group_to_add=group,
        center=center,
        zoom=zoom,
    )
    if (out or {}).get("last_clicked"):
        st.session_state["_last_map_click"] = (out["last_clicked"]["lat"], out["last_clicked"]["lng"])
    clicked = (out or {}).get("last_object_clicked_tooltip")
    if clicked:
        m = TOOLTIP_ID.match(str(clicked))
        if m and m.group(1) != st.session_state.get("_last_click"):
            st.session_state["_last_click"] = m.group(1)
            st.session_state["project"] = m.group(1)
    return drawn


def basis_label(basis: str | None, lang: str) -> str:
    """How a location was decided, in the UI language (unknown values as written)."""
    key = BASIS_KEYS.get(basis or "")
    return t(key, lang) if key else (basis or "—")


def project_details(data: Atlas, project_id: str | None, lang: str) -> None:
    st.subheader(t("ui.details", lang))
    if not project_id:
        st.caption(t("ui.details_hint", lang))
        return
    projects = curated_projects(data)
    rows = projects[projects["id"] == project_id]
    if rows.empty:
        st.caption(t("ui.details_hint", lang))
        return
    p = rows.iloc[0].to_dict()
    title = p["name_en"] if lang == "en" else p["name"]
    st.markdown(f"**{esc(p['id'])} · {esc(title)}**", unsafe_allow_html=True)
    if lang == "en":
        st.caption(p["name"])
        st.write(p.get("summary_en") or "")
    sectors = {s["sector"]: s for s in data.sectors}
    sector = sectors.get(p.get("sector") or "", {})
    boards = {b["board"]: b["short_en" if lang == "en" else "short_zh"] for b in data.board_info}
    facts = {
        t("popup.box", lang): f"专栏{p['box']} · {p['box_title_en'] if lang == 'en' else p['box_title']}",
        t("popup.sector", lang): sector.get("en" if lang == "en" else "zh", "—"),
        t("popup.where", lang): "、".join(p.get("counties") or []) or t("map.no_county", lang),
        t("ui.town_zone", lang): " / ".join(x for x in (p.get("zone"), p.get("town")) if x) or "—",
        t("popup.precision", lang): f"{p['precision']} · {t('precision.' + str(p['precision']), lang)}",
        t("ui.basis", lang): basis_label(p.get("location_basis"), lang),
        t("ui.boards", lang): "、".join(boards.get(b, b) for b in p.get("boards") or []) or "—",
        t("popup.lines", lang): "–".join(map(str, p.get("plan_lines") or [])),
    }
    if p.get("curated"):
        facts[t("ui.curated", lang)] = p.get("curation") or ""
    st.table(pd.DataFrame({"": list(facts.values())}, index=list(facts.keys())))
    st.markdown(t("ui.quote", lang))
    st.text(p.get("plan_quote") or "")
    if p.get("sites"):
        st.markdown(t("ui.evidence", lang))
        st.dataframe(pd.DataFrame(p["sites"]), hide_index=True, width="stretch")
    for label, key in (("ui.conflicts", "conflicts"), ("ui.notes", "location_notes")):
        if p.get(key):
            st.markdown(t(label, lang))
            for item in p[key]:
                st.text("· " + str(item))


def chart_beside_table(title: str, chart: pd.DataFrame, table: pd.DataFrame, caption: str, **chart_args) -> None:
    """A titled bar chart with its table and counting rule beside it."""
    c1, c2 = st.columns([3, 2])
    with c1:
        st.markdown(f"#### {title}")
        st.bar_chart(chart, sort=False, **chart_args)
    with c2:
        st.table(table, hide_index=True)
        st.caption(caption)


def stats_panel(data: Atlas, selection: gpd.GeoDataFrame, lang: str) -> None:
    ids = tuple(selection["id"])
    root = os.environ.get("ATLAS_DATA_ROOT")
    boards = board_table(ids, root)
    names = {b["board"]: b["short_en" if lang == "en" else "short_zh"] for b in data.board_info}
    names["none"] = t("ui.no_board", lang)
    shown = boards.assign(board=boards["board"].map(names), weighted=boards["weighted"].round(2))
    chart_beside_table(
        t("stats.per_board", lang),
        shown.set_index("board")[["overlapping", "primary"]].rename(
            columns={"overlapping": t("stats.overlapping", lang), "primary": t("stats.primary", lang)}
        ),
        shown.rename(
            columns={
                "board": t("ui.board", lang),
                "overlapping": t("stats.overlapping", lang),
                "primary": t("stats.primary", lang),
                "weighted": t("stats.weighted", lang),
            }
        ),
        t("stats.overlap_rule", lang),
        stack=False,
    )
    county = county_table(ids, root)
    label = "name_en" if lang == "en" else "name"
    county = county.assign(
        unit=county[label].fillna(t("ui.no_county_row", lang)),
        area_km2=county["area_km2"].map(lambda v: f"{v:,.0f}" if pd.notna(v) else "—"),
        per_1000_km2=county["per_1000_km2"].map(lambda v: f"{v:.2f}" if pd.notna(v) else "—"),
        weighted=county["weighted"].round(2),
    )
    chart_beside_table(
        t("stats.per_county", lang),
        county[county["adcode"] != "none"]
        .set_index("unit")[["projects"]]
        .rename(columns={"projects": t("stats.projects", lang)}),
        county[["unit", "projects", "area_km2", "per_1000_km2", "weighted"]].rename(
            columns={
                "unit": t("ui.county", lang),
                "projects": t("stats.projects", lang),
                "area_km2": t("stats.area", lang),
                "per_1000_km2": t("stats.density", lang),
                "weighted": t("stats.weighted", lang),
            }
        ),
        t("stats.county_rule", lang),
    )
    st.markdown(f"#### {t('stats.crosstab', lang)}")
    counting = st.radio(
        t("stats.counting", lang),
        ["overlapping", "primary"],
        key="f_counting",
        horizontal=True,
        format_func=lambda c: t(f"stats.{c}", lang),
    )
    table = sector_board(ids, counting, root)
    sectors = {s["sector"]: s["en" if lang == "en" else "zh"] for s in data.sectors}
    st.dataframe(table.rename(index=lambda s: sectors.get(s, s), columns=names), width="stretch", key="tbl_cross")
    st.markdown(f"#### {t('stats.proximity', lang)}")
    transport = data.transport_frame
    options = list(transport["id"])
    labels = dict(zip(transport["id"], transport["name_en" if lang == "en" else "name"], strict=True))
    c1, c2 = st.columns([3, 1])
    chosen = c1.selectbox(
        t("stats.feature", lang),
        ["__all__", *options],
        key="f_feature",
        format_func=lambda i: t("stats.all_transport", lang) if i == "__all__" else f"{i} · {labels[i]}",
    )
    km = c2.number_input(t("stats.km", lang), min_value=0.5, max_value=200.0, value=10.0, step=0.5, key="f_km")
    features = transport if chosen == "__all__" else transport[transport["id"] == chosen]
    summary = proximity_summary(selection, features, km)
    m1, m2, m3 = st.columns(3)
    m1.metric(t("stats.within", lang, km=f"{km:g}"), summary["within"])
    m2.metric(t("stats.beyond", lang), summary["beyond"])
    m3.metric(t("stats.not_measurable", lang), summary["not_measurable"])
    near = within_distance(selection, features, km)
    if not near.empty:
        nearest = nearest_feature(selection, features).set_index("pidx")
        listing = selection.loc[sorted(set(near["pidx"])), ["id", "name", "precision"]].copy()
        listing["km"] = nearest.loc[listing.index, "km"]
        st.dataframe(listing.sort_values("km"), hide_index=True, width="stretch", key="tbl_near")
    st.caption(t("stats.proximity_rule", lang))


def table_panel(selection: gpd.GeoDataFrame, lang: str) -> None:
    cols = ["id", "name_en" if lang == "en" else "name", "sector", "county", "precision", "location_basis"]
    frame = pd.DataFrame(selection[cols]).rename(columns={"name_en": "name"})
    frame["location_basis"] = frame["location_basis"].map(lambda b: basis_label(b, lang))
    event = st.dataframe(
        frame, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="tbl_projects"
    )
    rows = getattr(getattr(event, "selection", None), "rows", None) if event is not None else None
    if rows:
        st.session_state["project"] = frame.iloc[rows[0]]["id"]
    st.download_button(
        t("ui.download_csv", lang),
        data=export(selection, "csv"),
        file_name="jilin-plan-projects.csv",
        mime="text/csv",
        key="dl_csv_table",
    )


def unmapped_panel(selection: gpd.GeoDataFrame, lang: str) -> None:
    level4 = selection[selection["precision"] == 4]
    st.caption(t("ui.unmapped_hint", lang, n=len(level4)))
    frame = pd.DataFrame(level4[["id", "name_en" if lang == "en" else "name", "location_basis", "box_title"]])
    st.dataframe(frame, hide_index=True, width="stretch", key="tbl_unmapped")


@st.cache_data(show_spinner=False)
def indicator_terms() -> list[tuple[str, str]]:
    rows = read_table(paths.DATA / "translations" / "indicator_terms.csv", ("zh", "en"))
    return [(r["zh"], r["en"]) for r in rows]


def term(value: str | None, lang: str) -> str:
    """An indicator cell in the UI language (values such as 7以上 → 7 or more)."""
    if value is None:
        return "—"
    if lang == "en":
        for zh, en in indicator_terms():
            value = value.replace(zh, en)
    return value


def indicators_panel(data: Atlas, lang: str, big: bool = False) -> None:
    names = indicator_names()
    rows = []
    for r in data.indicators:
        en = names.get(r["no"], {})
        rows.append(
            {
                "#": r["no"],
                t("ind.category", lang): en.get("category_en") if lang == "en" else r["category"],
                t("ind.name", lang): en.get("name_en") if lang == "en" else r["name"],
                t("ind.v2020", lang): term(r["value_2020"], lang),
                t("ind.t2025", lang): term(r["target_2025"], lang),
                t("ind.annual", lang): term(r["annual_or_cumulative"], lang),
                t("ind.attr", lang): t("ind.binding" if r["attribute"] == "约束性" else "ind.anticipatory", lang),
                t("ind.parts", lang): "; ".join(
                    f"{term(p['label'], lang)} {term(p['value_2020'], lang)} → {term(p['target_2025'], lang)}"
                    + (f" ({term(p['annual_or_cumulative'], lang)})" if p["annual_or_cumulative"] else "")
                    for p in r["parts"]
                ),
            }
        )
    frame = pd.DataFrame(rows)
    st.dataframe(frame, hide_index=True, width="stretch", height=560 if big else 420, key="tbl_indicators")
    numeric = []
    for r in data.indicators:
        try:
            a, b = float(r["value_2020"]), float(r["target_2025"])
        except (TypeError, ValueError):
            continue
        if r["unit"] == "%":
            label = names.get(r["no"], {}).get("name_en") if lang == "en" else r["name"]
            numeric.append({"indicator": f"{r['no']}. {label}", "2020": a, "2025": b})
    if numeric:
        st.markdown(f"#### {t('ind.chart', lang)}")
        chart = pd.DataFrame(numeric).set_index("indicator")
        st.bar_chart(chart, horizontal=True, stack=False, height=520 if big else 420)


def export_panel(data: Atlas, selection: gpd.GeoDataFrame, lang: str) -> None:
    st.caption(t("ui.export_hint", lang, n=len(selection)))
    fmt = st.selectbox(
        t("ui.format", lang), list(FORMATS), key="f_format", format_func=lambda f: t(f"format.{f}", lang)
    )
    if st.button(t("ui.prepare", lang), key="btn_prepare"):
        try:
            kwargs = {}
            if fmt == "html":
                options = st.session_state.get("_map_options") or MapOptions(lang=lang)
                fmap, group, _ = map_layers(data, selection, options)
                kwargs["fmap"] = standalone(fmap, group)
            if fmt == "png":
                boards = gpd.GeoDataFrame.from_features(data.boards["features"], crs="EPSG:4326")
                water = gpd.GeoDataFrame.from_features(data.water["features"], crs="EPSG:4326") if data.water else None
                kwargs.update(
                    counties=gpd.GeoDataFrame.from_features(data.county_layer["features"], crs="EPSG:4326"),
                    boards=boards,
                    water=water,
                    sectors=data.sectors,
                    lang=lang,
                    title=t("png.title", lang),
                )
            st.session_state["_export"] = (fmt, export(selection, fmt, **kwargs))
        except AtlasError as exc:
            st.error(exc.one_line())
    ready = st.session_state.get("_export")
    if ready and ready[0] == fmt:
        st.download_button(
            t("ui.download", lang, fmt=fmt.upper()),
            data=ready[1],
            file_name=f"jilin-plan-atlas.{fmt}",
            mime=MIME[fmt],
            key="dl_export",
        )


# --------------------------------------------------------------------------- presentation mode


PAGE_CSS = "<style>.block-container {padding-top: 1.6rem;}</style>"
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
</script>
"""


def presentation(data: Atlas, state: ViewState) -> None:
    lang = state.lang
    st.markdown(PRESENT_CSS, unsafe_allow_html=True)
    components.html(KEYS_JS, height=0)
    all_steps = steps()
    index = min(max(state.step, 0), len(all_steps) - 1)
    step = all_steps[index]
    view = step_view(step, data)
    c1, c2, c3, c4 = st.columns([1, 1, 6, 1])
    if c1.button("◀ " + t("present.prev", lang), key="btn_prev", disabled=index == 0):
        st.session_state["step"] = index - 1
        st.rerun()
    if c2.button("▶ " + t("present.next", lang), key="btn_next", disabled=index == len(all_steps) - 1):
        st.session_state["step"] = index + 1
        st.rerun()
    c3.markdown(f"### {index + 1}/{len(all_steps)} · {esc(step['title_en'] if lang == 'en' else step['title_zh'])}")
    if c4.button("✕ " + t("present.exit", lang), key="btn_exit"):
        st.session_state["mode"] = "atlas"
        st.rerun()
    caption = step["caption_en"] if lang == "en" else step["caption_zh"]
    st.markdown(
        f'<div class="atlas-caption">{esc(caption)}<br><small>{esc(t("present.source", lang, lines=step["lines"]))}</small></div>',
        unsafe_allow_html=True,
    )
    selection = view["selection"]
    options = map_options(state, view["layers"], presentation=True)
    draw_map(data, selection, options, height=720, key="present_map", center=view["center"], zoom=view["zoom"])
    with st.expander(t("present.indicators", lang), expanded=False):
        indicators_panel(data, lang, big=True)


# --------------------------------------------------------------------------- page


def main() -> None:
    try:
        data = atlas()
    except AtlasError as exc:
        st.error(t("error.data", "zh") + "\n\n" + exc.one_line())
        st.info(t("error.data", "en"))
        st.stop()
    state, notices = initial_state(data)
    seed_widgets(state)
    if notices and not st.session_state.get("_noticed"):
        st.session_state["_noticed"] = True
        st.warning(t("ui.bad_query", st.session_state["lang"], params="; ".join(notices)))
    sidebar(data, st.session_state["lang"])  # also in presentation mode (hidden), so the widgets keep their state
    state = current_state()
    if state.mode == "present":
        st.query_params.from_dict(to_query(state))
        presentation(data, state)
        return
    lang = state.lang
    st.query_params.from_dict(to_query(state))
    projects = curated_projects(data)
    selection = apply_filters(projects, state)
    st.markdown(PAGE_CSS, unsafe_allow_html=True)
    st.title(t("ui.title", lang))
    st.caption(t("ui.subtitle", lang))
    metrics(selection, len(data.projects), lang)
    if selection.empty:
        st.info(t("ui.empty", lang))
    map_col, detail_col = st.columns([5, 2])
    with map_col:
        drawn = draw_map(data, selection, map_options(state, st.session_state.get("f_layers", [])), 620, "atlas_map")
        st.caption(t("ui.map_note", lang, unmapped=drawn.get("unmapped", 0)))
        if state.choropleth:
            counts = selection["adcodes"].explode().dropna().value_counts()
            st.caption(t("ui.choropleth_note", lang, top=int(counts.max()) if len(counts) else 0))
    with detail_col:
        project_details(data, st.session_state.get("project"), lang)
    tabs = st.tabs(
        [
            t("tab.stats", lang),
            t("tab.table", lang),
            t("tab.unmapped", lang),
            t("tab.indicators", lang),
            t("tab.export", lang),
            t("tab.about", lang),
        ]
    )
    with tabs[0]:
        stats_panel(data, selection, lang)
    with tabs[1]:
        table_panel(selection, lang)
    with tabs[2]:
        unmapped_panel(selection, lang)
    with tabs[3]:
        indicators_panel(data, lang)
    with tabs[4]:
        export_panel(data, selection, lang)
    with tabs[5]:
        st.markdown(t("about.text", lang))


main()

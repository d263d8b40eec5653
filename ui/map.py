"""The map panel: base map, the selection layer, the picked project and proximity outline, clicks back to the view."""

from __future__ import annotations

import re
from typing import Any

import geopandas as gpd
import streamlit as st

from geo.analysis.viewstate import ViewState
from geo.atlas import Atlas
from geo.core.i18n import t
from geo.render.basemaps import tianditu_key
from geo.render.map import MapOptions, base_map, build_map, selection_group, with_legend_sectors
from geo.render.overlays import ExtentToUrl, FitBounds, add_buffer, add_highlight
from geo.render.signals import PageSignals
from ui import progressive, state
from ui.data import data_version, secrets
from ui.mapcomponent import cached_base_args, cached_group_args, folium_component, options_key

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
TOOLTIP_ID = re.compile(r"^\s*(B\d{2}-\d{2}(?:\.\d+)?|U\d+)\s·")


def map_options(view: ViewState, layers, presentation: bool = False) -> MapOptions:
    return MapOptions(
        lang=view.lang,
        basemap=view.basemap or "none",
        tianditu_key=tianditu_key(secrets()),
        layers=set(layers),
        choropleth=view.choropleth,
        presentation=presentation,
    )


def atlas_layers(data: Atlas) -> dict:
    """The atlas's layers as the keyword arguments of ``build_map``/``base_map``."""
    return {
        "counties_fc": data.county_layer,
        "boards_fc": data.boards,
        "layout_fc": data.layout,
        "towns_fc": data.towns,
        "transport_fc": data.transport,
        "water_fc": data.water,
        "sectors": data.sectors,
        "context_fc": data.context,
        "line_modes": line_modes(data.projects),
    }


def line_modes(projects: gpd.GeoDataFrame) -> tuple[str, ...]:
    """The transport modes the projects' own drawn lines are in (the legend's transport section names them)."""
    if "mode" not in projects.columns:
        return ()
    lines = projects[(projects["precision"] == 5) & projects.geometry.notna()]
    return tuple(sorted({str(m) for m in lines["mode"].dropna()}))


def map_layers(data: Atlas, selection: gpd.GeoDataFrame, options: MapOptions):
    """The base map, the selection's layer group and what was drawn."""
    return build_map(selection, options=options, **atlas_layers(data))


def _badge_pattern(lang: str) -> re.Pattern[str]:
    """The county badge's tooltip text as a pattern with groups ``n`` (the count) and ``county``."""
    text = t("map.county_level", lang, n="\x00N\x00", county="\x00C\x00")
    parts = [re.escape(part) for part in text.split("\x00")]
    pattern = "".join(r"(?P<n>\d+)" if p == "N" else "(?P<county>.+?)" if p == "C" else p for p in parts)
    return re.compile(pattern)


def _county_of_badge(tooltip: str, data: Atlas, lang: str) -> str | None:
    """The adcode of the county whose badge was clicked (its tooltip names the county), or None."""
    match = _badge_pattern(lang).search(tooltip)
    if not match:
        return None
    named = match.group("county")
    for adcode, zh, en in zip(data.counties["adcode"], data.counties["name"], data.counties["name_en"], strict=True):
        if zh in named or (en and en in named):
            return str(adcode)
    return None


def handle_click(tooltip: Any, data: Atlas, lang: str) -> None:
    """A click on a project opens its details; a click on a county badge lists that county's county-level projects."""
    if not tooltip or str(tooltip) == st.session_state.get("_last_click"):
        return
    st.session_state["_last_click"] = str(tooltip)
    text = str(tooltip)
    match = TOOLTIP_ID.match(text)
    if match:
        if match.group(1) != state.view().project:
            state.update(project=match.group(1))
            st.rerun()
        return
    adcode = _county_of_badge(text, data, lang)
    if adcode:
        state.update(counties=(adcode,), precisions=(3,), tab="table", project=None)
        progressive.show_panels()  # the badge opens its list
        st.rerun()


def draw_map(
    data: Atlas,
    selection: gpd.GeoDataFrame,
    options: MapOptions,
    *,
    height: int,
    key: str,
    picked: dict[str, Any] | None = None,
    buffer: tuple[dict[str, Any] | None, float] | None = None,
    center=None,
    zoom=None,
    fill: str | None = None,
    fit: tuple[float, float, float, float] | None = None,
    selection_key: str | None = None,
) -> dict[str, Any]:
    """The map component: the base map stays mounted and only the selection group changes, so pan/zoom persist.

    The base map is built and rendered once per data version and options (``ui/mapcomponent.py``); a run builds
    only the selection group, or none when ``selection_key`` (``ui/selection.py``) names a selection already drawn
    with these options, pick and frame. ``fill``: a CSS height for the map (e.g. ``calc(100vh - 250px)``) that
    follows the window; ``height`` is then only the first guess. ``fit``: lon/lat bounds framed in the browser at
    the map's real size (presentation).
    """
    if fill:
        st.markdown(f"<style>{MAP_FRAME}{{height:{fill} !important}}</style>", unsafe_allow_html=True)
    options = with_legend_sectors(options, selection)
    base, group, drawn = map_args(
        data, selection, options, data_version(), selection_key=selection_key, picked=picked, buffer=buffer, fit=fit
    )
    st.session_state["_map_options"] = options
    returned = ["last_object_clicked_tooltip"] + (["last_clicked"] if st.session_state.get("editor_ok") else [])
    extent = state.view().extent
    if center is None and extent:
        center, zoom = (extent[0], extent[1]), extent[2]
    out = folium_component(base, group, key=key, height=height, returned_objects=returned, center=center, zoom=zoom)
    if (out or {}).get("last_clicked"):
        st.session_state["_last_map_click"] = (out["last_clicked"]["lat"], out["last_clicked"]["lng"])
    handle_click((out or {}).get("last_object_clicked_tooltip"), data, options.lang)
    return drawn


def map_args(
    data: Atlas,
    selection: gpd.GeoDataFrame,
    options: MapOptions,
    version: tuple[str, str],
    *,
    selection_key: str | None = None,
    picked: dict[str, Any] | None = None,
    buffer: tuple[dict[str, Any] | None, float] | None = None,
    fit: tuple[float, float, float, float] | None = None,
) -> tuple[dict[str, Any], Any, dict[str, Any]]:
    """The base map's component arguments, the selection group (rendered, when cached) and what was drawn.

    Needs no session: the server's warm-up (``ui/warm.py``) fills the same caches for the default view.
    """

    def build_base():
        fmap = base_map(options=options, **atlas_layers(data))
        fmap.add_child(ExtentToUrl())
        return fmap

    def build_group():
        group, drawn = selection_group(selection, counties_fc=data.county_layer, sectors=data.sectors, options=options)
        if fit:
            group.add_child(FitBounds(fit, options))
        group.add_child(PageSignals())  # after the selection is drawn: tells the page (ui/progressive.py)
        drawn["highlight"] = add_highlight(group, picked, data.county_layer, options)
        if buffer:
            drawn["buffer"] = add_buffer(group, buffer[0], buffer[1], options)
        return group, drawn

    base = cached_base_args(version, options_key(options), build_base)
    if selection_key is None:
        group, drawn = build_group()
        return base, group, drawn
    pick = None if picked is None else repr(sorted(picked.items(), key=lambda kv: kv[0]))
    group_key = (selection_key, options_key(options), pick, fit, buffer is not None)
    rendered, drawn = cached_group_args(version, group_key, build_group)
    return base, rendered, dict(drawn)

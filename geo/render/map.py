"""The atlas map: a stable base map plus one selection layer group that st_folium swaps without a reload."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import folium
import geopandas as gpd
from branca.element import Element
from folium.plugins import Fullscreen

from geo.core.domain import Precision
from geo.core.i18n import t
from geo.render.assets import localize
from geo.render.basemaps import add_basemap
from geo.render.clusters import _ClusterAssets
from geo.render.context import add_context
from geo.render.legend import _Legend, legend_html, modes_present
from geo.render.options import LAYERS, MapOptions, _name
from geo.render.placenames import add_place_names
from geo.render.planning import add_boards, add_counties, add_layout, add_towns, add_transport, add_water
from geo.render.style import MAP_CSS, PRESENT_CSS, sector_colors
from geo.render.symbols import add_projects

__all__ = ["LAYERS", "MapOptions", "base_map", "build_map", "selection_group", "standalone"]


def home_view(counties_fc: dict[str, Any] | None, options: MapOptions) -> tuple[tuple[float, float], int]:
    """The opening view: the options' (the bundled city's) unless that centre is off this atlas's counties —
    another city's plan then opens framed on its own counties."""
    try:
        bounds = gpd.GeoDataFrame.from_features(counties_fc["features"]).total_bounds if counties_fc else None
    except (KeyError, TypeError, ValueError):
        bounds = None
    if bounds is None or len(bounds) != 4 or not all(math.isfinite(b) for b in bounds):
        return options.center, options.zoom
    west, south, east, north = (float(b) for b in bounds)
    lat, lon = options.center
    if west <= lon <= east and south <= lat <= north:
        return options.center, options.zoom
    span = max(east - west, (north - south) * 1.4, 1e-3)
    zoom = int(max(5, min(12, math.floor(math.log2(360 * 700 / (256 * span))))))
    return ((south + north) / 2, (west + east) / 2), zoom


def _has_features(fc: dict[str, Any] | None) -> bool:
    """A layer a plan lacks (no boards, no layout boxes) is an empty collection: not drawn, not an error."""
    return bool(fc and fc.get("features"))


def build_map(
    selection: gpd.GeoDataFrame,
    *,
    counties_fc: dict[str, Any],
    boards_fc: dict[str, Any] | None = None,
    layout_fc: dict[str, Any] | None = None,
    towns_fc: dict[str, Any] | None = None,
    transport_fc: dict[str, Any] | None = None,
    water_fc: dict[str, Any] | None = None,
    sectors: list[dict[str, str]] | None = None,
    options: MapOptions | None = None,
    context_fc: dict[str, Any] | None = None,
    line_modes: Iterable[str] = (),
) -> tuple[folium.Map, folium.FeatureGroup, dict[str, Any]]:
    """The atlas map: a base map (stable across filters) and the selection's layer group, plus what was drawn."""
    options = with_legend_sectors(options or MapOptions(), selection)
    fmap = base_map(
        counties_fc=counties_fc,
        boards_fc=boards_fc,
        layout_fc=layout_fc,
        towns_fc=towns_fc,
        transport_fc=transport_fc,
        water_fc=water_fc,
        sectors=sectors,
        options=options,
        context_fc=context_fc,
        line_modes=line_modes,
    )
    group, drawn = selection_group(selection, counties_fc=counties_fc, sectors=sectors, options=options)
    return fmap, group, drawn


def with_legend_sectors(options: MapOptions, selection: gpd.GeoDataFrame) -> MapOptions:
    """In presentation, the options with the legend limited to the sectors the selection shows."""
    if not options.presentation or options.legend_sectors or "sector" not in selection.columns:
        return options
    return replace(options, legend_sectors=tuple(sorted(set(selection["sector"].dropna()))))


def base_map(
    *,
    counties_fc: dict[str, Any],
    boards_fc: dict[str, Any] | None = None,
    layout_fc: dict[str, Any] | None = None,
    towns_fc: dict[str, Any] | None = None,
    transport_fc: dict[str, Any] | None = None,
    water_fc: dict[str, Any] | None = None,
    sectors: list[dict[str, str]] | None = None,
    options: MapOptions | None = None,
    context_fc: dict[str, Any] | None = None,
    line_modes: Iterable[str] = (),
) -> folium.Map:
    """The part of the map that does not depend on the selection (so the app can build it once per options).

    ``line_modes``: the transport modes of the projects' own drawn lines (for the legend's transport section)."""
    options = options or MapOptions()
    sectors = sectors or []
    sector_info = {s["sector"]: s for s in sectors}
    colors = sector_colors([s["sector"] for s in sectors])
    center, zoom = home_view(counties_fc, options)
    fmap = folium.Map(
        location=center,
        zoom_start=zoom,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        maxZoom=18,
        minZoom=6,
        zoomSnap=0.5,
    )
    add_basemap(fmap, options.basemap, lang=options.lang, key=options.tianditu_key)
    has_context = add_context(fmap, context_fc, water_fc, options)  # after the tiles: it watches them fail
    if "counties" in options.layers:
        add_counties(fmap, counties_fc, options, None)
    if _has_features(boards_fc) and "boards" in options.layers:
        add_boards(fmap, boards_fc, options)
    if options.basemap == "none" and _has_features(water_fc):  # over the counties' and boards' fills
        add_water(fmap, water_fc, options)
    if _has_features(layout_fc) and "layout" in options.layers:
        add_layout(fmap, layout_fc, options)
    if _has_features(towns_fc) and "towns" in options.layers:
        add_towns(fmap, towns_fc, options)
    if _has_features(transport_fc) and "transport" in options.layers:
        add_transport(fmap, transport_fc, options)
    # the names of what is drawn, in one layer of their own
    add_place_names(
        fmap,
        options,
        counties_fc=counties_fc if "counties" in options.layers else None,
        boards_fc=boards_fc if "boards" in options.layers else None,
        layout_fc=layout_fc if "layout" in options.layers else None,
        towns_fc=towns_fc if "towns" in options.layers else None,
        context_fc=context_fc if has_context else None,
    )
    fmap.add_child(_ClusterAssets())  # the selection layer may need markercluster later without reloading the map
    fmap.get_root().header.add_child(Element(MAP_CSS + (PRESENT_CSS if options.presentation else "")))
    shown = [s["sector"] for s in sectors]
    if options.legend_sectors:  # a presentation step's legend names only the sectors it shows
        shown = [code for code in shown if code in options.legend_sectors] or shown
    modes = modes_present(transport_fc if "transport" in options.layers else None, line_modes)
    fmap.add_child(_Legend(legend_html(options, colors, sector_info, shown, modes), presentation=options.presentation))
    Fullscreen(
        position="topleft",
        title=t("map.fullscreen", options.lang),
        title_cancel=t("map.fullscreen_exit", options.lang),
        force_separate_button=True,
    ).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    localize(fmap, options.asset_prefix)
    return fmap


def selection_group(
    selection: gpd.GeoDataFrame,
    *,
    counties_fc: dict[str, Any],
    sectors: list[dict[str, str]] | None = None,
    options: MapOptions | None = None,
) -> tuple[folium.FeatureGroup, dict[str, Any]]:
    """What depends on the selection, in one group that st_folium swaps without re-creating the map
    (so the user's pan and zoom survive every filter change), and what was drawn."""
    options = options or MapOptions()
    sectors = sectors or []
    sector_info = {s["sector"]: s for s in sectors}
    colors = sector_colors([s["sector"] for s in sectors])
    group = folium.FeatureGroup(name=t("layer.projects", options.lang))
    drawn: dict[str, Any] = {}
    if options.choropleth:
        counts = (
            selection["adcodes"].explode().dropna().astype(str).value_counts().to_dict()
            if "adcodes" in selection
            else {}
        )
        add_counties(group, counties_fc, options, counts)
    options.county_names = options.county_names or {
        f["properties"]["name"]: f["properties"].get("name_en") or f["properties"]["name"]
        for f in counties_fc["features"]
    }
    county_points = {
        f["properties"]["adcode"]: (
            f["properties"]["label_lon"],
            f["properties"]["label_lat"],
            _name(f["properties"], options.lang),
        )
        for f in counties_fc["features"]
    }
    if "projects" in options.layers:
        drawn = add_projects(group, selection, options, colors, sector_info, county_points)
    drawn["unmapped"] = int((selection["precision"] == Precision.CITY).sum()) if "precision" in selection.columns else 0
    localize(group, options.asset_prefix)
    return group, drawn


def standalone(fmap: folium.Map, group: folium.FeatureGroup) -> folium.Map:
    """The map with its selection layer added (for the HTML export, the benchmark and tests).

    The group goes in before the layer control, whose script refers to every overlay by variable name.
    """
    controls = [(key, child) for key, child in fmap._children.items() if isinstance(child, folium.LayerControl)]
    for key, _ in controls:
        del fmap._children[key]
    group.add_to(fmap)
    for key, control in controls:
        fmap.add_child(control, name=key)
    return fmap

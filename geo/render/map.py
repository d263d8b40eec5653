"""The atlas map: a stable base map plus one selection layer group that st_folium swaps without a reload."""

from __future__ import annotations

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
from geo.render.legend import _Legend, legend_html
from geo.render.options import LAYERS, MapOptions, _name
from geo.render.placenames import add_place_names
from geo.render.planning import add_boards, add_counties, add_layout, add_towns, add_transport, add_water
from geo.render.style import MAP_CSS, PRESENT_CSS, sector_colors
from geo.render.symbols import add_projects

__all__ = ["LAYERS", "MapOptions", "build_map", "standalone"]


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
) -> tuple[folium.Map, folium.FeatureGroup, dict[str, Any]]:
    """The atlas map: a base map (stable across filters) and the selection's layer group, plus what was drawn."""
    options = options or MapOptions()
    sectors = sectors or []
    sector_info = {s["sector"]: s for s in sectors}
    colors = sector_colors([s["sector"] for s in sectors])
    fmap = folium.Map(
        location=options.center,
        zoom_start=options.zoom,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        maxZoom=18,
        minZoom=6,
        zoomSnap=0.5,
    )
    add_basemap(fmap, options.basemap, lang=options.lang, key=options.tianditu_key)
    if options.basemap == "none":
        add_water(fmap, water_fc, options)
    if "counties" in options.layers:
        add_counties(fmap, counties_fc, options, None)
    if boards_fc and "boards" in options.layers:
        add_boards(fmap, boards_fc, options)
    if layout_fc and "layout" in options.layers:
        add_layout(fmap, layout_fc, options)
    if towns_fc and "towns" in options.layers:
        add_towns(fmap, towns_fc, options)
    if transport_fc and "transport" in options.layers:
        add_transport(fmap, transport_fc, options)
    # the names of what is drawn, in one layer of their own
    add_place_names(
        fmap,
        options,
        counties_fc=counties_fc if "counties" in options.layers else None,
        boards_fc=boards_fc if "boards" in options.layers else None,
        layout_fc=layout_fc if "layout" in options.layers else None,
        towns_fc=towns_fc if "towns" in options.layers else None,
    )
    fmap.add_child(_ClusterAssets())  # the selection layer may need markercluster later without reloading the map
    fmap.get_root().header.add_child(Element(MAP_CSS + (PRESENT_CSS if options.presentation else "")))
    shown = [s["sector"] for s in sectors]
    if options.presentation and "sector" in selection.columns:  # a step's legend names only the sectors it shows
        shown = [code for code in shown if code in set(selection["sector"])] or shown
    fmap.add_child(_Legend(legend_html(options, colors, sector_info, shown)))
    Fullscreen(
        position="topleft",
        title=t("map.fullscreen", options.lang),
        title_cancel=t("map.fullscreen_exit", options.lang),
        force_separate_button=True,
    ).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)

    # What depends on the selection goes in one group that st_folium swaps without re-creating the map,
    # so the user's pan and zoom survive every filter change.
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
    localize(fmap, options.asset_prefix)
    localize(group, options.asset_prefix)
    return fmap, group, drawn


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

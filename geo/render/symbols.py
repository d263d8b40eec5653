"""Project symbols: labels and popups, points (clustered or canvas), dashed lines and county badges."""

from __future__ import annotations

import json

import folium
import geopandas as gpd

from geo.core.domain import PINNED, Precision
from geo.core.i18n import t
from geo.render.badges import add_county_badges
from geo.render.clusters import add_canvas_points, add_marker_cluster
from geo.render.labels import project_label, project_popup
from geo.render.options import MapOptions, _shift
from geo.render.spacing import AggregateSpacing
from geo.render.style import esc, line_style


def add_projects(
    fmap: folium.Map | folium.FeatureGroup,
    selection: gpd.GeoDataFrame,
    options: MapOptions,
    colors: dict[str, str],
    sectors: dict[str, dict[str, str]],
    county_points: dict[str, tuple[float, float, str]],
) -> dict[str, int]:
    """Point projects (clustered, or canvas for large selections), lines, and county-level badges."""
    lang = options.lang
    located = selection[selection["precision"].isin(PINNED) & selection.geometry.notna()]
    lines = selection[(selection["precision"] == Precision.LINE) & selection.geometry.notna()]
    stats = {"points": len(located), "lines": len(lines)}
    if len(located) > options.large_threshold:
        add_canvas_points(fmap, located, options, colors)
        stats["renderer"] = "canvas"
    elif len(located):
        add_marker_cluster(fmap, located, options, colors, sectors)
        stats["renderer"] = "cluster"
    if len(lines):
        group = folium.FeatureGroup(name=t("layer.project_lines", lang))
        for _, row in lines.iterrows():
            p = row.to_dict()
            geom = json.loads(gpd.GeoSeries([row.geometry]).to_json())["features"][0]["geometry"]
            # a line is drawn in its transport mode's fixed colour (the same as in the transport layer below it),
            # so a filter that hides the project leaves the line's colour unchanged
            color, dash = line_style(p.get("mode"), colors.get(p.get("sector") or "", "#444444"))
            folium.GeoJson(
                _shift(geom, options) if options.gcj else geom,
                style_function=lambda _f, c=color, d=dash: {"color": c, "weight": 5, "dashArray": d or None},
                tooltip=folium.Tooltip(esc(project_label(p, lang))),
                popup=folium.Popup(project_popup(p, lang, sectors, options.county_names), max_width=380),
            ).add_to(group)
        group.add_to(fmap)
    if "county_counts" in options.layers:
        stats["county_level"] = add_county_badges(fmap, selection, options, county_points, colors, sectors)
        fmap.add_child(AggregateSpacing())  # badges step aside from clusters, points and each other
    return stats

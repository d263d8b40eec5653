"""County badges: how many county-level (precision 3) projects each county has, drawn at its label point."""

from __future__ import annotations

import folium
import geopandas as gpd

from geo.core.domain import Precision
from geo.core.i18n import t
from geo.render.options import MapOptions, _pt
from geo.render.style import esc


def county_level_counts(selection: gpd.GeoDataFrame) -> dict[str, int]:
    """How many precision-3 projects touch each county (a multi-county project counts in each)."""
    level3 = selection[selection["precision"] == Precision.COUNTY]
    if level3.empty or "adcodes" not in level3.columns:
        return {}
    return level3["adcodes"].explode().dropna().astype(str).value_counts().to_dict()


def add_county_badges(
    fmap: folium.Map | folium.FeatureGroup,
    selection: gpd.GeoDataFrame,
    options: MapOptions,
    county_points: dict[str, tuple[float, float, str]],
) -> int:
    """One numbered badge per county with county-level projects; returns how many such projects were counted."""
    lang = options.lang
    counts = county_level_counts(selection)
    group = folium.FeatureGroup(name=t("layer.county_counts", lang))
    for adcode, n in counts.items():
        if adcode not in county_points or n == 0:
            continue
        lon, lat, name = county_points[adcode]
        lat, lon = _pt(lon, lat, options)
        label = esc(t("map.county_level", lang, n=n, county=name))
        folium.Marker(
            (lat, lon),
            icon=folium.DivIcon(
                html=f'<div class="atlas-badge" title="{label}">{n}</div>', icon_size=(34, 34), icon_anchor=(17, 17)
            ),
            tooltip=folium.Tooltip(label),
        ).add_to(group)
    group.add_to(fmap)
    return int(sum(counts.values()))

"""County badges: how many county-level (precision 3) projects each county has, just below its name.

Badges that would touch merge into one badge with their sum (Leaflet.markercluster, counts added up), so no two
aggregate symbols overlap at any zoom; zooming in (or a click on the merged badge) separates them again.
"""

from __future__ import annotations

import folium
import geopandas as gpd
from branca.element import MacroElement, Template
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster

from geo.core.domain import Precision
from geo.core.i18n import t
from geo.render.options import MapOptions, _pt
from geo.render.style import esc, safe_json

#: Badge size in pixels (presentation mode: larger) and the merge radius that keeps two badges from touching.
BADGE_PX, PRESENT_BADGE_PX = 34, 44


def county_level_counts(selection: gpd.GeoDataFrame) -> dict[str, int]:
    """How many precision-3 projects touch each county (a multi-county project counts in each)."""
    level3 = selection[selection["precision"] == Precision.COUNTY]
    if level3.empty or "adcodes" not in level3.columns:
        return {}
    return level3["adcodes"].explode().dropna().astype(str).value_counts().to_dict()


class CountyBadges(JSCSSMixin, MacroElement):
    """The badges, in a marker cluster whose merged icon shows the sum of its badges' counts."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var d = {{ this.payload }}, size = d.size;
          function icon(n, title, cls) {
            var el = document.createElement('div');
            el.className = cls; el.title = title; el.textContent = String(n);
            return L.divIcon({html: el.outerHTML, className: 'atlas-badge-icon', iconSize: [size, size],
                              iconAnchor: [size / 2, -3]});  // just below the county's name
          }
          var group = L.markerClusterGroup({
            maxClusterRadius: Math.ceil(size * 1.5), showCoverageOnHover: false, spiderfyOnMaxZoom: false,
            zoomToBoundsOnClick: true, singleMarkerMode: false,
            iconCreateFunction: function(cluster) {
              var kids = cluster.getAllChildMarkers(), n = 0, names = [];
              kids.forEach(function(m) { n += m.options.count; names.push(m.options.county + ' ' + m.options.count); });
              return icon(n, names.join(' · '), 'atlas-badge atlas-badge-group');
            }});
          d.items.forEach(function(b) {
            var m = L.marker([b.lat, b.lon], {icon: icon(b.n, b.title, 'atlas-badge'), count: b.n, county: b.county});
            m.bindTooltip(b.tip);
            group.addLayer(m);
          });
          {{ this._parent.get_name() }}.addLayer(group);
        })();
        {% endmacro %}
        """
    )
    default_js = MarkerCluster.default_js
    default_css = MarkerCluster.default_css

    def __init__(self, items: list[dict], size: int) -> None:
        super().__init__()
        self._name = "CountyBadges"
        self.payload = safe_json({"items": items, "size": size})


def add_county_badges(
    fmap: folium.Map | folium.FeatureGroup,
    selection: gpd.GeoDataFrame,
    options: MapOptions,
    county_points: dict[str, tuple[float, float, str]],
) -> int:
    """One numbered badge per county with county-level projects; returns how many such projects were counted."""
    lang = options.lang
    counts = county_level_counts(selection)
    items = []
    for adcode, n in sorted(counts.items()):
        if adcode not in county_points or n == 0:
            continue
        lon, lat, name = county_points[adcode]
        lat, lon = _pt(lon, lat, options)
        text = t("map.county_level", lang, n=n, county=name)
        # the script sets title and county as DOM text; the tooltip (HTML, read back on a click) is escaped here
        items.append({"lat": lat, "lon": lon, "n": int(n), "county": name, "title": text, "tip": esc(text)})
    group = folium.FeatureGroup(name=t("layer.county_counts", lang))
    group.add_child(CountyBadges(items, PRESENT_BADGE_PX if options.presentation else BADGE_PX))
    group.add_to(fmap)
    return int(sum(counts.values()))

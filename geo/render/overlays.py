"""What the map adds on top of the selection: the picked project's highlight and the proximity query's buffer."""

from __future__ import annotations

import json
from typing import Any

import folium
import shapely
from branca.element import MacroElement, Template

from geo.core.coords import geojson_to_gcj, wgs_to_gcj
from geo.core.i18n import t
from geo.render.options import MapOptions
from geo.render.style import esc

HIGHLIGHT = "#d7191c"


def _geojson(geom: dict[str, Any], options: MapOptions) -> dict[str, Any]:
    return geojson_to_gcj(geom) if options.gcj else geom


def add_highlight(
    group: folium.FeatureGroup,
    project: dict[str, Any] | None,
    counties_fc: dict[str, Any],
    options: MapOptions,
) -> str | None:
    """Ring the picked project: its point(s), its line, or the outline of its county(ies) when county-level."""
    if not project:
        return None
    label = esc(f"{project['id']} · {t('map.picked', options.lang)}")
    geom = project.get("geometry")
    if geom is not None and not geom.is_empty:
        shape = shapely.geometry.mapping(geom)
        folium.GeoJson(
            _geojson(shape, options),
            name="highlight",
            marker=folium.CircleMarker(radius=16, color=HIGHLIGHT, weight=4, fill=False),
            style_function=lambda _f: {"color": HIGHLIGHT, "weight": 8, "opacity": 0.55, "fill": False},
            tooltip=folium.Tooltip(label),
        ).add_to(group)
        radius = project.get("uncertainty_m")
        if geom.geom_type == "Point" and isinstance(radius, (int, float)) and radius > 0:
            # how far the true site may lie from the pin, as a real radius in metres
            lat, lon = (geom.y, geom.x)
            if options.gcj:
                lon, lat = wgs_to_gcj(lon, lat)
            folium.Circle(
                (lat, lon),
                radius=float(radius),
                color=HIGHLIGHT,
                weight=2,
                dash_array="6 6",
                fill=False,
                tooltip=esc(t("map.uncertainty", options.lang, km=f"{radius / 1000:.1f}")),
            ).add_to(group)
        return "geometry"
    adcodes = {str(a) for a in project.get("adcodes") or []}
    outlines = [f for f in counties_fc["features"] if str(f["properties"].get("adcode")) in adcodes]
    if not outlines:
        return None
    folium.GeoJson(
        _geojson({"type": "FeatureCollection", "features": outlines}, options),
        name="highlight",
        style_function=lambda _f: {"color": HIGHLIGHT, "weight": 4, "dashArray": "8 6", "fill": False},
        tooltip=folium.Tooltip(label),
    ).add_to(group)
    return "county"


def add_buffer(group: folium.FeatureGroup, outline: dict[str, Any] | None, km: float, options: MapOptions) -> bool:
    """The proximity query's area (within ``km`` of its features) as a dashed outline."""
    if not outline:
        return False
    folium.GeoJson(
        _geojson(outline, options),
        name="proximity",
        style_function=lambda _f: {
            "color": "#5e3c99",
            "weight": 2,
            "dashArray": "6 4",
            "fillColor": "#5e3c99",
            "fillOpacity": 0.06,
        },
        tooltip=folium.Tooltip(esc(t("map.within_km", options.lang, km=f"{km:g}"))),
    ).add_to(group)
    return True


#: Runs in the page (not the map's frame): keeps ``at`` in every URL the app writes, so a copied link has the extent.
_KEEP_EXTENT = """
var h = window.history;
['pushState', 'replaceState'].forEach(function (name) {
  var original = h[name].bind(h);
  h[name] = function (state, title, url) {
    try {
      if (window.__atlasExtent && url !== undefined && url !== null) {
        var u = new URL(url, window.location.href);
        if (!u.searchParams.has('at')) {
          u.searchParams.set('at', window.__atlasExtent);
          url = u.pathname + u.search + u.hash;
        }
      }
    } catch (e) {}
    return original(state, title, url);
  };
});
"""


class ExtentToUrl(MacroElement):
    """Keeps the page URL's ``at=lat,lon,zoom`` in step with the map after each pan or zoom, without a rerun.

    A copied link reopens the same extent (the app reads ``at`` when a session starts); a map drawn again in the
    same page (language or basemap switch) returns to the extent the person left. In a standalone HTML file
    (no parent page) it does nothing.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var map = {{ this._parent.get_name() }};
          var page;
          try { page = window.parent; if (page === window || !page.history) { return; } } catch (e) { return; }
          if (!page.__atlasKeepsExtent) {
            page.__atlasKeepsExtent = true;
            new page.Function({{ this.keep }})();
          }
          if (page.__atlasExtent) {
            var last = page.__atlasExtent.split(',').map(Number);
            map.setView([last[0], last[1]], last[2], {animate: false});
          }
          var ready = false;
          setTimeout(function() { ready = true; }, 1500);
          map.on('moveend', function() {
            if (!ready) { return; }
            try {
              var c = map.getCenter();
              page.__atlasExtent = c.lat.toFixed(5) + ',' + c.lng.toFixed(5) + ',' + map.getZoom();
              var url = new URL(page.location.href);
              url.searchParams.set('at', page.__atlasExtent);
              page.history.replaceState(page.history.state, '', url.pathname + url.search + url.hash);
            } catch (e) {}
          });
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ExtentToUrl"
        self.keep = json.dumps(_KEEP_EXTENT)


class FitBounds(MacroElement):
    """Frames ``bounds`` (lon/lat) in whatever size the map has in the browser, leaving room for the legend.

    Added to the selection group, so it runs each time st_folium swaps that group in (a presentation step).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var map = Object.values(window).find(function(v) { return v instanceof L.Map; });
          if (!map) { return; }
          var b = {{ this.bounds }};
          function fit() {
            var legend = map.getContainer().querySelector('.atlas-legend');
            // room for a symbol drawn at a framed point: a county badge (~34 px) with its name above it
            var pad = 48, right = legend ? legend.offsetWidth + pad : pad;
            map.invalidateSize({animate: false});
            map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {
              paddingTopLeft: [56, pad], paddingBottomRight: [right, pad], maxZoom: 12, animate: false});
            window.__atlasFitted = (window.__atlasFitted || 0) + 1;
          }
          fit();
          setTimeout(fit, 150);  // once the iframe has its final size and the legend its content
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: tuple[float, float, float, float], options: MapOptions) -> None:
        super().__init__()
        self._name = "FitBounds"
        x0, y0, x1, y1 = bounds
        if options.gcj:
            (x0, y0), (x1, y1) = wgs_to_gcj(x0, y0), wgs_to_gcj(x1, y1)
        self.bounds = json.dumps([round(v, 5) for v in (x0, y0, x1, y1)])

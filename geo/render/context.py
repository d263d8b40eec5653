"""The offline basemap's context: neighbouring prefectures, the province edge, the city outline and county seats.

Offline (basemap "none") the context is always drawn. Under a tiled basemap it is drawn too but hidden, and shown —
with a notice on the map — as soon as the tiles fail to load in the browser (Leaflet ``tileerror``), so a presenter
whose network is gone still sees an oriented map and knows why it looks different.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, MacroElement, Template

from geo.core.i18n import t
from geo.render.options import MapOptions, _shift
from geo.render.style import safe_json

PANE = "atlas-context"  # under the overlay pane (counties, water): neighbours and the province edge
TOP_PANE = "atlas-context-top"  # above the county fills, under the markers: the city outline and the seat dots
HIDDEN = "atlas-ctx-hidden"  # class of the map container while the tiles are fine (context not shown)
STYLE = {
    "prefecture": {"color": "#a3a3a3", "weight": 1, "fillColor": "#dedbd3", "fillOpacity": 0.9},
    "province": {"color": "#4d4d4d", "weight": 2.5, "dashArray": "9 4 2 4", "fill": False},
    "city": {"color": "#1a1a1a", "weight": 3.2, "fill": False},
    "water": {"color": "#6fa8dc", "weight": 1.5, "fillColor": "#9fc5e8", "fillOpacity": 0.8},
    "seat": {"radius": 4, "color": "#ffffff", "weight": 1.5, "fillColor": "#333333", "fillOpacity": 1},
}
CSS = f"""
<style>
.{HIDDEN} .leaflet-{PANE}-pane,.{HIDDEN} .leaflet-{TOP_PANE}-pane{{display:none}}
.atlas-tile-notice{{position:absolute;top:10px;left:50%;transform:translateX(-50%);z-index:1000;display:none;
 background:#fff4d6;border:1px solid #c99a2e;border-radius:5px;padding:5px 10px;font:600 13px/1.3 sans-serif;color:#5a4200;
 box-shadow:0 1px 4px rgba(0,0,0,.25);pointer-events:none;max-width:80%;text-align:center}}
.leaflet-container .atlas-name-prefecture span{{font:500 13px/1.1 sans-serif;color:#6b6b6b;letter-spacing:.08em}}
.leaflet-container .atlas-name-water span{{font:italic 600 13px/1.1 serif;color:#1f5f9e;text-shadow:0 0 3px #fff,0 0 3px #fff}}
.leaflet-container .atlas-name-seat span{{transform:translate(7px,-50%);font-size:11px;font-weight:500;color:#333}}
</style>
"""


def _features(fc: dict[str, Any] | None, *kinds: str) -> list[dict[str, Any]]:
    return [f for f in (fc or {}).get("features", []) if f.get("properties", {}).get("kind") in kinds]


def context_layers(
    context_fc: dict[str, Any] | None, water_fc: dict[str, Any] | None, options: MapOptions
) -> dict[str, Any]:
    """What the context script draws, shifted for a GCJ-02 basemap: (kind, geometry) per pane, and the seats."""

    def collection(features: list[dict[str, Any]], kind: str | None = None) -> dict[str, Any]:
        items = [
            {"type": "Feature", "properties": {"k": kind or f["properties"]["kind"]}, "geometry": f["geometry"]}
            for f in features
        ]
        return _shift({"type": "FeatureCollection", "features": items}, options)

    below = _features(context_fc, "prefecture", "province")
    return {
        "below": collection(below),
        "water": collection((water_fc or {}).get("features", []), "water"),
        "top": collection(_features(context_fc, "city", "seat")),
    }


class ContextLayers(MacroElement):
    """The context in two panes of its own (non-interactive), hidden under working tiles, shown when they fail."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var map = {{ this._parent.get_name() }}, d = {{ this.data }}, style = {{ this.style }};
          var box = map.getContainer();
          [[{{ this.pane }}, 350], [{{ this.top_pane }}, 450]].forEach(function(p) {
            if (!map.getPane(p[0])) {
              var pane = map.createPane(p[0]); pane.style.zIndex = p[1]; pane.style.pointerEvents = 'none';
            }
          });
          function draw(fc, pane) {
            L.geoJSON(fc, {pane: pane, interactive: false,
              style: function(f) { return style[f.properties.k]; },
              pointToLayer: function(f, ll) {
                return L.circleMarker(ll, Object.assign({pane: pane, interactive: false}, style.seat)); }
            }).addTo(map);
          }
          var tiles = [];  // a keyed basemap without its key has none: the context then shows at once
          map.eachLayer(function(l) { if (l instanceof L.TileLayer) { tiles.push(l); } });
          if (tiles.length) { box.classList.add({{ this.hidden }}); }
          if (d.water.features.length) { draw(d.water, {{ this.pane }}); }
          draw(d.below, {{ this.pane }});
          draw(d.top, {{ this.top_pane }});
          if (!tiles.length) { return; }
          var note = document.createElement('div');
          note.className = 'atlas-tile-notice'; note.setAttribute('role', 'status');
          note.textContent = {{ this.notice }};  // text, never HTML
          box.appendChild(note);
          var errors = 0, loads = 0;
          function failed() {
            errors += 1;
            window.__atlasTileErrors = errors;
            if (errors >= 3 && errors > loads && box.classList.contains({{ this.hidden }})) {
              box.classList.remove({{ this.hidden }});
              note.style.display = 'block';
              window.__atlasTilesFailed = true;
              map.fire('atlas:offline');
            }
          }
          tiles.forEach(function(l) {
            l.on('tileerror', failed);
            l.on('tileload', function() { loads += 1; });
          });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], options: MapOptions) -> None:
        super().__init__()
        self._name = "ContextLayers"
        self.data = safe_json(data)
        self.style = safe_json(STYLE)
        self.pane = safe_json(PANE)
        self.top_pane = safe_json(TOP_PANE)
        self.hidden = safe_json(HIDDEN)
        self.notice = safe_json(t("map.tiles_unreachable", options.lang))


def add_context(
    fmap: folium.Map, context_fc: dict[str, Any] | None, water_fc: dict[str, Any] | None, options: MapOptions
) -> bool:
    """Adds the context (call after the basemap's tile layers); under tiles it also carries the water layer, which
    the offline basemap draws itself. False when there is no context to draw."""
    if not _features(context_fc, "prefecture", "province", "city", "seat"):
        return False
    tiled = options.basemap != "none"
    fmap.add_child(ContextLayers(context_layers(context_fc, water_fc if tiled else None, options), options))
    fmap.get_root().header.add_child(Element(CSS))
    return True

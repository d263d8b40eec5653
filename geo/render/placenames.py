"""Place names on the map: counties, boards, layout places, featured towns and the context (water, neighbours,
county seats), as text elements of the page.

Each name is a Leaflet DivIcon (DOM text: searchable, read by screen readers, not canvas pixels) in a pane of its
own above the markers (white halo) that lets every click through to what lies under it. After every zoom or pan a small script
shows the names by priority and hides any that would overlap one already shown, and those below their zoom.
"""

from __future__ import annotations

from typing import Any

import folium
import shapely
from branca.element import MacroElement, Template
from shapely.geometry import shape
from shapely.ops import polylabel

from geo.core.i18n import t
from geo.render.options import MapOptions, _pt
from geo.render.style import safe_json

PANE = "atlas-labels"
#: name kind → (priority, lowest zoom at which it is shown); lower priority numbers win a collision.
KINDS = {
    "county": (1, 0),
    "board": (2, 0),
    "water": (2.5, 0),  # named rivers and lakes (data/boundaries/context.geojson)
    "prefecture": (2.6, 0),  # the neighbouring prefectures, outside the city
    "seat": (2.8, 8),  # county seats, beside their dots
    "layout": (3, 10),
    "town": (4, 11),
}
#: context names: shown offline, or once the basemap's tiles fail (geo/render/context.py)
CONTEXT_KINDS = {"water_name": "water", "prefecture": "prefecture", "seat": "seat"}


def _label_point(geometry: dict[str, Any] | None) -> tuple[float, float] | None:
    """A point well inside a polygon (pole of inaccessibility of its largest part), or a point's own position."""
    if not geometry:
        return None
    geom = shape(geometry)
    if geom.is_empty:
        return None
    if geom.geom_type == "Point":
        return geom.x, geom.y
    if geom.geom_type == "MultiPolygon":
        geom = max(geom.geoms, key=lambda g: g.area)
    if geom.geom_type == "Polygon":
        point = polylabel(geom, tolerance=0.005)
        return point.x, point.y
    point = shapely.point_on_surface(geom)
    return point.x, point.y


def place_names(
    options: MapOptions,
    counties_fc: dict[str, Any] | None = None,
    boards_fc: dict[str, Any] | None = None,
    layout_fc: dict[str, Any] | None = None,
    towns_fc: dict[str, Any] | None = None,
    context_fc: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The names to draw in the UI's language, highest priority first: lat, lon, text, kind, priority, min zoom."""
    lang = options.lang
    names: list[dict[str, Any]] = []

    def add(kind: str, lon: float, lat: float, text: str | None, ctx: bool = False) -> None:
        if not text:
            return
        lat, lon = _pt(lon, lat, options)
        priority, min_zoom = KINDS[kind]
        name = {"lat": round(lat, 5), "lon": round(lon, 5), "text": text, "kind": kind, "p": priority, "z": min_zoom}
        if ctx:
            name["ctx"] = 1
        names.append(name)

    for f in (counties_fc or {}).get("features", []):
        p = f["properties"]
        add("county", p["label_lon"], p["label_lat"], p.get("name_en") if lang == "en" else p.get("name"))
    for f in (boards_fc or {}).get("features", []):
        p, point = f["properties"], _label_point(f["geometry"])
        if point:
            text = t("map.board_name", lang, name=p.get("short_en") if lang == "en" else p.get("short_zh"))
            add("board", *point, text)
    for kind, fc in (("layout", layout_fc), ("town", towns_fc)):
        for f in (fc or {}).get("features", []):
            geom = f["geometry"]
            if geom and geom["type"] == "Point":
                p = f["properties"]
                add(kind, *geom["coordinates"], p.get("name_en") if lang == "en" else p.get("name"))
    for f in (context_fc or {}).get("features", []):
        p = f["properties"]
        kind = CONTEXT_KINDS.get(p.get("kind"))
        if kind is None:
            continue
        text = p.get("name_en") if lang == "en" else p.get("name")
        lon, lat = (p["label_lon"], p["label_lat"]) if "label_lon" in p else f["geometry"]["coordinates"]
        add(kind, lon, lat, text, ctx=True)
    return sorted(names, key=lambda n: n["p"])


class PlaceNames(MacroElement):
    """The names as DivIcons in their own pane, decluttered by priority after every zoom and pan."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var group = {{ this._parent.get_name() }}, map = {{ this.map }};
          var d = {{ this.names }};
          if (!map.getPane({{ this.pane }})) {
            var pane = map.createPane({{ this.pane }});
            pane.style.zIndex = 640;  // over the markers (600), under tooltips (650)
            pane.style.pointerEvents = 'none';
          }
          var items = d.map(function(n) {
            var el = document.createElement('span');
            el.textContent = n.text;  // text, never HTML
            var m = L.marker([n.lat, n.lon], {
              pane: {{ this.pane }}, interactive: false, keyboard: false,
              icon: L.divIcon({className: 'atlas-name atlas-name-' + n.kind, html: el.outerHTML, iconSize: null})});
            group.addLayer(m);
            return {m: m, z: n.z, ctx: n.ctx, kind: n.kind};
          });
          var SHIFTS = [[0, 0], [0, 20], [0, -20], [0, 38], [0, -38], [44, 0], [-44, 0]];
          function declutter() {
            var zoom = map.getZoom(), shown = [];
            var noContext = map.getContainer().classList.contains('atlas-ctx-hidden');
            // a name never covers a count, a project cluster or an airport
            map.getContainer().querySelectorAll('.atlas-badge, .atlas-donut, .atlas-airport').forEach(function(b) {
              shown.push(b.getBoundingClientRect()); });
            items.forEach(function(it) {
              var el = it.m.getElement();
              if (!el) { return; }
              if (zoom < it.z || (it.ctx && noContext)) { el.style.visibility = 'hidden'; return; }
              el.style.visibility = 'visible';
              // its own place first, then a little below, above or beside it (a county name steps aside
              // from a cluster rather than vanish); hidden only when every place is taken
              var span = el.firstChild, r = null, placed = false;
              for (var i = 0; i < SHIFTS.length && !placed; i++) {
                if (i > 0 && it.kind !== 'county') { break; }  // only county names move; a seat's stays on its dot
                span.style.translate = SHIFTS[i][0] + 'px ' + SHIFTS[i][1] + 'px';
                r = span.getBoundingClientRect();
                placed = !shown.some(function(s) {
                  return r.left < s.right + 3 && r.right > s.left - 3 && r.top < s.bottom + 1 && r.bottom > s.top - 1;
                });
              }
              if (placed) { shown.push(r); } else { span.style.translate = ''; el.style.visibility = 'hidden'; }
            });
            window.__atlasNamesShown = items.filter(function(it) {
              var el = it.m.getElement(); return el && el.style.visibility === 'visible'; }).length;
          }
          var pending = null;
          function later() { clearTimeout(pending); pending = setTimeout(declutter, 60); }
          map.on('zoomend moveend resize overlayadd overlayremove layeradd atlas:offline atlas:spaced', later);
          group.on('add', function() { setTimeout(declutter, 0); });
          setTimeout(declutter, 0);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, names: list[dict[str, Any]], map_name: str) -> None:
        super().__init__()
        self._name = "PlaceNames"
        self.names = safe_json(names)
        self.map = map_name
        self.pane = safe_json(PANE)


def add_place_names(fmap: folium.Map, options: MapOptions, **layers: dict[str, Any] | None) -> int:
    """Adds the names layer (one entry in the layer control); returns how many names it holds."""
    names = place_names(options, **layers)
    group = folium.FeatureGroup(name=t("layer.names", options.lang))
    group.add_child(PlaceNames(names, fmap.get_name()))
    group.add_to(fmap)
    return len(names)

"""Project points in the browser: one JSON payload in a MarkerCluster, or one canvas layer for large selections."""

from __future__ import annotations

import math
from typing import Any

import folium
import geopandas as gpd
import numpy as np
from branca.element import MacroElement, Template
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster

from geo.core.coords import wgs_to_gcj
from geo.core.i18n import t
from geo.render.labels import POPUP_COLUMNS, PopupParts, popup_heads, popup_html, popup_parts, popup_title
from geo.render.options import MapOptions, _pt
from geo.render.style import esc, safe_json

#: A cluster's icon: a ring of its children's sector shares (segments in the sectors' colours, in legend order) around
#: a neutral grey centre with the count; its title lists the mix. Built as DOM nodes (names are text, never HTML).
#: ``d``: the payload (``palette``, ``names``: per colour index; ``size``: the base diameter in px).
DONUT_JS = """
function donut(kids, d) {
  var counts = {}, n = kids.length, svgNS = 'http://www.w3.org/2000/svg';
  kids.forEach(function(m) { var k = m.options.sector; counts[k] = (counts[k] || 0) + 1; });
  var size = d.size + (n >= 100 ? 12 : n >= 10 ? 6 : 0), ring = Math.round(size * 0.2);
  var r = (size - ring) / 2, circ = 2 * Math.PI * r, start = 0;
  var el = document.createElement('div');
  el.className = 'atlas-donut';
  el.style.width = el.style.height = size + 'px';
  var svg = document.createElementNS(svgNS, 'svg');
  svg.setAttribute('width', size); svg.setAttribute('height', size);
  svg.setAttribute('viewBox', '0 0 ' + size + ' ' + size);
  var keys = Object.keys(counts).map(Number).sort(function(a, b) { return a - b; }), mix = [];
  keys.forEach(function(k) {
    var share = counts[k] / n, seg = document.createElementNS(svgNS, 'circle');
    seg.setAttribute('class', 'atlas-seg');
    seg.setAttribute('cx', size / 2); seg.setAttribute('cy', size / 2); seg.setAttribute('r', r);
    seg.setAttribute('fill', 'none'); seg.setAttribute('stroke', d.palette[k]); seg.setAttribute('stroke-width', ring);
    seg.setAttribute('stroke-dasharray', (share * circ) + ' ' + circ);
    seg.setAttribute('stroke-dashoffset', -start * circ);
    seg.setAttribute('transform', 'rotate(-90 ' + size / 2 + ' ' + size / 2 + ')');
    seg.setAttribute('data-n', counts[k]);
    seg.setAttribute('data-color', d.palette[k]);
    svg.appendChild(seg);
    start += share;
    mix.push(d.names[k] + ' ' + counts[k]);
  });
  el.appendChild(svg);
  var centre = document.createElement('span');
  centre.className = 'atlas-donut-n';
  centre.style.width = centre.style.height = centre.style.lineHeight = (size - 2 * ring) + 'px';
  centre.style.left = centre.style.top = ring + 'px';
  centre.textContent = String(n);
  el.appendChild(centre);
  el.title = d.mix_title.replace('{n}', n) + ' ' + mix.join(' · ');
  el.setAttribute('data-n', n);
  return L.divIcon({html: el.outerHTML, className: 'atlas-cluster-icon', iconSize: [size, size]});
}
"""


#: A project's tooltip and popup from the payload's escaped pieces (``marker_texts`` below is the same in Python):
#: ``id``, ``n``, ``ne`` (English names, English maps only), ``q`` per project; ``th`` the row heads; ``r`` per project
#: one index into ``s`` (the distinct row values) per row. A popup is assembled when it first opens.
TEXTS_JS = """
function tooltip(k) { return d.id[k] + ' \u00b7 ' + (d.ne && d.ne[k] || d.n[k]); }
function popup(layer) {
  var k = layer.options.project, rows = '', w = d.th.length;
  for (var j = 0; j < w; j++) rows += '<tr><th>' + d.th[j] + '</th><td>' + d.s[d.r[k * w + j]] + '</td></tr>';
  var title = d.ne && d.ne[k] ? d.ne[k] + '<br><small>' + d.n[k] + '</small>' : d.n[k];
  return '<div class="atlas-popup"><b>' + title + '</b><table>' + rows + '</table><div class="atlas-quote">'
    + d.q[k] + '</div></div>';
}
"""


class ProjectMarkers(JSCSSMixin, MacroElement):
    """Project markers built in the browser from one JSON payload, in a MarkerCluster (spiderfied when stacked).

    Tooltips and popups are HTML-escaped in Python and sent in pieces (names, quotes, distinct row values), which
    the browser joins (``TEXTS_JS``; 100k projects, one sector: 3.36 M characters → 1.07 MB). The tooltip starts with the
    project id, which the app reads back when a marker is clicked.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var map = {{ this._parent.get_name() }};
          var d = {{ this.payload }};
          {{ this.donut_js }}
          {{ this.texts_js }}
          var opts = {{ this.cluster_options }};
          opts.iconCreateFunction = function(cluster) { return donut(cluster.getAllChildMarkers(), d); };
          var group = L.markerClusterGroup(opts);
          for (var i = 0; i < d.lat.length; i++) {
            var exact = d.p[i] === 1, c = d.palette[d.c[i]];
            var m = L.circleMarker([d.lat[i], d.lon[i]], {
              radius: exact ? 7 : 9, color: c, weight: exact ? 3 : 2, fillColor: c,
              fillOpacity: exact ? 0.9 : 0.25, dashArray: exact ? null : '3 3', sector: d.c[i], project: d.k[i]});
            m.bindTooltip(tooltip(d.k[i]));
            m.bindPopup(popup, {maxWidth: 380});
            if (!exact && d.u[i]) {  // hovering an approximate point draws its real uncertainty radius (metres)
              (function(m, u, c) {
                var ring = null;
                m.on('mouseover', function() {
                  ring = L.circle(m.getLatLng(), {radius: u, color: c, weight: 1.5, dashArray: '6 4',
                                                  fillOpacity: 0.06, interactive: false}).addTo(map);
                });
                m.on('mouseout', function() { if (ring) { map.removeLayer(ring); ring = null; } });
              })(m, d.u[i], c);
            }
            group.addLayer(m);
          }
          group.addTo(map);
          window.__atlasMarkers = d.lat.length;
        })();
        {% endmacro %}
        """
    )
    default_js = MarkerCluster.default_js
    default_css = MarkerCluster.default_css

    def __init__(self, payload: dict[str, Any], cluster_options: dict[str, Any]) -> None:
        super().__init__()
        self._name = "ProjectMarkers"
        self.payload = safe_json(payload)
        self.cluster_options = safe_json(cluster_options)
        self.donut_js = DONUT_JS
        self.texts_js = TEXTS_JS


def _radius(value: Any) -> int | None:
    """An uncertainty radius in metres for the map (None: unknown, no ring)."""
    try:
        radius = float(value)
    except (TypeError, ValueError):
        return None
    return int(radius) if math.isfinite(radius) and radius > 0 else None


def add_marker_cluster(
    fmap: folium.Map,
    located: gpd.GeoDataFrame,
    options: MapOptions,
    colors: dict[str, str],
    sectors: dict[str, dict[str, str]],
) -> None:
    lang = options.lang
    palette = [*colors.values(), "#666666"]
    index = {code: i for i, code in enumerate(colors)}
    names = [sectors.get(code, {}).get("en" if lang == "en" else "zh") or code for code in colors]
    payload: dict[str, Any] = {
        "lat": [],
        "lon": [],
        "c": [],
        "p": [],
        "k": [],
        "u": [],
        "id": [],
        "n": [],
        "q": [],
        "th": list(popup_heads(lang)),
        "s": [],
        "r": [],
        "palette": palette,
        "names": [*names, t("sector.none", lang)],
        "mix_title": t("map.cluster_mix", lang, n="{n}"),
        "size": CLUSTER_PX_PRESENT if options.presentation else CLUSTER_PX,
    }
    english: list[str] = []
    distinct: dict[str, int] = {}
    # the columns the labels read, as plain records (a Series per row costs ~0.17 ms: 0.8 s for 5,000 projects)
    columns = [c for c in POPUP_COLUMNS if c in located.columns]
    records = located[columns].to_dict("records")
    for key, (p, geom) in enumerate(zip(records, located.geometry, strict=True)):
        parts = popup_parts(p, lang, sectors, options.county_names)
        payload["id"].append(esc(p["id"]))
        payload["n"].append(esc(p.get("name")))
        english.append(esc(p.get("name_en")) if lang == "en" else "")
        payload["q"].append(parts.quote)
        payload["r"] += [distinct.setdefault(v, len(distinct)) for v in parts.values]
        geoms = list(geom.geoms) if geom.geom_type == "MultiPoint" else [geom]
        for g in geoms:
            lat, lon = _pt(g.x, g.y, options)
            payload["lat"].append(round(lat, 6))
            payload["lon"].append(round(lon, 6))
            payload["c"].append(index.get(p.get("sector") or "", len(palette) - 1))
            payload["p"].append(int(p["precision"]))
            payload["k"].append(key)
            payload["u"].append(_radius(p.get("uncertainty_m")))
    payload["s"] = list(distinct)
    if any(english):
        payload["ne"] = english
    cluster_options = {
        "spiderfyOnMaxZoom": True,
        "showCoverageOnHover": False,
        "maxClusterRadius": 35,
        "disableClusteringAtZoom": 16,
    }
    fmap.add_child(ProjectMarkers(payload, cluster_options))


def marker_texts(payload: dict[str, Any]) -> dict[str, list[str]]:
    """What ``TEXTS_JS`` makes of a ProjectMarkers payload, in Python: ``tip`` per point, ``pop`` per project.

    For tests and checks (the browser test compares the browser's texts with these and with ``project_popup``).
    """
    english = payload.get("ne") or [""] * len(payload["id"])
    width = len(payload["th"])
    pops = []
    for k, (name, name_en, quote) in enumerate(zip(payload["n"], english, payload["q"], strict=True)):
        values = tuple(payload["s"][i] for i in payload["r"][k * width : (k + 1) * width])
        title = popup_title(name_en, name) if name_en else name
        pops.append(popup_html(payload["th"], PopupParts(title, values, quote)))
    tips = [f"{payload['id'][k]} · {english[k] or payload['n'][k]}" for k in payload["k"]]
    return {"tip": tips, "pop": pops}


class CanvasPoints(MacroElement):
    """Many points drawn on one canvas (no DOM element per point); click shows an escaped label."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var parent = {{ this._parent.get_name() }};
          var d = {{ this.payload }};
          var Layer = L.Layer.extend({
            onAdd: function(m) {
              this._m = m;
              this._c = L.DomUtil.create('canvas', 'atlas-canvas leaflet-zoom-hide');
              m.getPanes().overlayPane.appendChild(this._c);
              m.on('moveend zoomend resize', this._draw, this);
              m.on('click', this._click, this);
              this._draw();
              // the points this layer holds, for tests and the benchmark (taken back in onRemove)
              window.__atlasCanvasDrawn = (window.__atlasCanvasDrawn || 0) + d.lon.length;
            },
            onRemove: function(m) {
              L.DomUtil.remove(this._c);
              window.__atlasCanvasDrawn -= d.lon.length;
              m.off('moveend zoomend resize', this._draw, this);
              m.off('click', this._click, this);
            },
            _draw: function() {
              var m = this._m, s = m.getSize(), c = this._c, tl = m.containerPointToLayerPoint([0, 0]);
              L.DomUtil.setPosition(c, tl); c.width = s.x; c.height = s.y;
              var ctx = c.getContext('2d'), r = m.getZoom() > 11 ? 5 : 3;
              this._px = new Float32Array(d.lon.length * 2);
              for (var i = 0; i < d.lon.length; i++) {
                var p = m.latLngToContainerPoint([d.lat[i], d.lon[i]]);
                this._px[2*i] = p.x; this._px[2*i+1] = p.y;
                if (p.x < -r || p.y < -r || p.x > s.x + r || p.y > s.y + r) continue;
                ctx.fillStyle = d.palette[d.c[i]];
                ctx.fillRect(p.x - r/2, p.y - r/2, r, r);
              }
            },
            _click: function(e) {
              if (!this._px) return;
              var best = -1, bd = 64;
              for (var i = 0; i < d.lon.length; i++) {
                var dx = this._px[2*i] - e.containerPoint.x, dy = this._px[2*i+1] - e.containerPoint.y;
                var dd = dx*dx + dy*dy; if (dd < bd) { bd = dd; best = i; }
              }
              if (best < 0) return;
              var div = document.createElement('div'); div.textContent = d.label[best];
              L.popup().setLatLng([d.lat[best], d.lon[best]]).setContent(div).openOn(this._m);
            }
          });
          parent.addLayer(new Layer());
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lon, lat, color_index, palette, labels) -> None:
        super().__init__()
        self._name = "CanvasPoints"
        self.payload = safe_json(
            {
                "lon": [round(float(x), 5) for x in lon],
                "lat": [round(float(y), 5) for y in lat],
                "c": [int(c) for c in color_index],
                "palette": list(palette),
                "label": [str(s) for s in labels],
            }
        )


def add_canvas_points(fmap: folium.Map, located: gpd.GeoDataFrame, options: MapOptions, colors: dict[str, str]) -> None:
    pts = located.geometry.representative_point() if (located.geom_type != "Point").any() else located.geometry
    lon, lat = pts.x.to_numpy(), pts.y.to_numpy()
    if options.gcj:
        shifted = np.array([wgs_to_gcj(x, y) for x, y in zip(lon, lat, strict=True)])
        lon, lat = shifted[:, 0], shifted[:, 1]
    palette = [*colors.values(), "#666666"]
    index = {code: i for i, code in enumerate(colors)}
    color_index = located["sector"].map(lambda s: index.get(s, len(palette) - 1)).to_numpy()
    labels = (located["id"].astype(str) + " · " + located["name"].astype(str)).to_numpy()
    CanvasPoints(lon, lat, color_index, palette, labels).add_to(fmap)


#: A project cluster's base diameter in pixels (presentation mode: larger); 10+ and 100+ children add 6 px each.
CLUSTER_PX, CLUSTER_PX_PRESENT = 32, 42


class _ClusterAssets(JSCSSMixin, MacroElement):
    """Loads Leaflet.markercluster with the base map (no script of its own)."""

    _template = Template("")
    default_js = MarkerCluster.default_js
    default_css = MarkerCluster.default_css

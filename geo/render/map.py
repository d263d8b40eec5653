"""Build the atlas's Folium map: basemaps, planning layers, projects by precision, legend — all text escaped."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import folium
import geopandas as gpd
import matplotlib
import numpy as np
from branca.element import Element, MacroElement, Template
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster

from geo.core.coords import geojson_to_gcj, wgs_to_gcj
from geo.core.i18n import t
from geo.render.assets import STREAMLIT_PREFIX, localize
from geo.render.basemaps import BASEMAPS, add_basemap

CENTER = (43.6, 127.05)
ZOOM = 8
LARGE_SELECTION = 5000  # above this many points the map draws one canvas layer instead of clustered markers
LAYERS = ("counties", "boards", "layout", "towns", "transport", "projects", "county_counts")
PRECISION_RADIUS = {1: 7, 2: 9}


def sector_colors(codes: Iterable[str]) -> dict[str, str]:
    """A stable colour per sector (matplotlib's tab20, in the order of data/sectors.csv)."""
    cmap = matplotlib.colormaps["tab20"]
    return {code: matplotlib.colors.to_hex(cmap(i % 20)) for i, code in enumerate(codes)}


def esc(value: Any) -> str:
    """HTML-escape anything (None → empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def safe_json(data: Any) -> str:
    """JSON that can sit inside a <script> element: <, >, & and line separators escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@dataclass
class MapOptions:
    lang: str = "zh"
    basemap: str = "none"
    tianditu_key: str | None = None
    layers: set[str] = field(default_factory=lambda: {"counties", "boards", "transport", "projects", "county_counts"})
    choropleth: bool = False
    asset_prefix: str = STREAMLIT_PREFIX
    large_threshold: int = LARGE_SELECTION
    center: tuple[float, float] = CENTER
    zoom: int = ZOOM
    presentation: bool = False

    @property
    def gcj(self) -> bool:
        return BASEMAPS.get(self.basemap, {}).get("crs") == "GCJ-02"


def _shift(data: dict[str, Any], options: MapOptions) -> dict[str, Any]:
    return geojson_to_gcj(data) if options.gcj else data


def _pt(lon: float, lat: float, options: MapOptions) -> tuple[float, float]:
    if options.gcj:
        lon, lat = wgs_to_gcj(lon, lat)
    return lat, lon


def _tip_collection(fc: dict[str, Any], tip) -> dict[str, Any]:
    """A copy of a FeatureCollection with an escaped ``_tip`` property for the tooltip."""
    feats = []
    for f in fc["features"]:
        props = dict(f["properties"])
        props = {k: v for k, v in props.items() if isinstance(v, (str, int, float, bool)) or v is None}
        props["_tip"] = tip(f["properties"])
        feats.append({"type": "Feature", "id": f.get("id"), "properties": props, "geometry": f["geometry"]})
    return {"type": "FeatureCollection", "features": feats}


def _name(props: dict[str, Any], lang: str, zh: str = "name", en: str = "name_en") -> str:
    if lang == "en" and props.get(en):
        return f"{props[en]} · {props.get(zh) or ''}"
    return str(props.get(zh) or "")


# --------------------------------------------------------------------------- planning layers


def add_counties(
    fmap: folium.Map, counties_fc: dict[str, Any], options: MapOptions, counts: dict[str, int] | None
) -> None:
    lang = options.lang
    cmap = matplotlib.colormaps["YlOrRd"]
    top = max(counts.values()) if counts else 0

    def fill(props: dict[str, Any]) -> str:
        if not options.choropleth or not counts:
            return "#ffffff" if options.basemap == "none" else "#000000"
        n = counts.get(str(props.get("adcode")), 0)
        return matplotlib.colors.to_hex(cmap(0.15 + 0.85 * n / top)) if top else "#ffffff"

    def tip(props: dict[str, Any]) -> str:
        name = esc(_name(props, lang))
        parts = [f"<b>{name}</b>"]
        if counts is not None:
            parts.append(esc(t("map.projects_in_county", lang, n=counts.get(str(props.get("adcode")), 0))))
        if props.get("position"):
            parts.append(esc(t("map.position", lang) + props["position"]))
        return "<br>".join(parts)

    data = _tip_collection(_shift(counties_fc, options), tip)
    opacity = 0.75 if options.choropleth else (0.9 if options.basemap == "none" else 0.0)
    layer = folium.GeoJson(
        data,
        name=t("layer.counties", lang),
        style_function=lambda f: {
            "fillColor": fill(f["properties"]),
            "color": "#555555",
            "weight": 1.2,
            "fillOpacity": opacity,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#1f6f8b"},
        tooltip=folium.GeoJsonTooltip(fields=["_tip"], labels=False, sticky=True),
        smooth_factor=0.5,
    )
    layer.add_to(fmap)


def add_water(fmap: folium.Map, water: dict[str, Any] | None, options: MapOptions) -> None:
    if not water:
        return
    folium.GeoJson(
        _shift(water, options),
        name=t("layer.water", options.lang),
        style_function=lambda f: {"color": "#6fa8dc", "weight": 1.5, "fillColor": "#9fc5e8", "fillOpacity": 0.8},
        control=False,
        interactive=False,
    ).add_to(fmap)


BOARD_COLORS = {"north": "#7b3294", "west": "#008837", "central": "#e66101", "south": "#0571b0"}


def add_boards(fmap: folium.Map, boards_fc: dict[str, Any], options: MapOptions) -> None:
    lang = options.lang

    def tip(props: dict[str, Any]) -> str:
        title = props["en"] if lang == "en" else props["zh"]
        members = "、".join(m["member"] for m in props["members"])
        return f"<b>{esc(title)}</b><br>{esc(t('map.members', lang))}{esc(members)}<br><i>{esc(t('map.schematic', lang))}</i>"

    data = _tip_collection(_shift(boards_fc, options), tip)
    folium.GeoJson(
        data,
        name=t("layer.boards", lang),
        style_function=lambda f: {
            "color": BOARD_COLORS.get(f["properties"]["board"], "#333333"),
            "weight": 2.5,
            "dashArray": "6 4",
            "fillColor": BOARD_COLORS.get(f["properties"]["board"], "#333333"),
            "fillOpacity": 0.06,
        },
        tooltip=folium.GeoJsonTooltip(fields=["_tip"], labels=False, sticky=True),
    ).add_to(fmap)


def _point_layer(fmap, fc, options, name, color, tip, radius=6, dash=None) -> None:
    group = folium.FeatureGroup(name=name)
    for f in _shift(fc, options)["features"]:
        geom = f["geometry"]
        if geom is None:
            continue
        text = tip(f["properties"])
        if geom["type"] == "Point":
            lon, lat = geom["coordinates"]
            folium.CircleMarker(
                (lat, lon),
                radius=radius,
                color=color,
                weight=2,
                fill=True,
                fill_opacity=0.25,
                dash_array=dash,
                tooltip=folium.Tooltip(text, sticky=True),
            ).add_to(group)
        elif geom["type"] == "GeometryCollection":  # a belt: schematic line + corridor
            for part in geom["geometries"]:
                folium.GeoJson(
                    part,
                    style_function=lambda _f, c=color, kind=part["type"]: {
                        "color": c,
                        "weight": 3 if kind == "LineString" else 0.5,
                        "dashArray": "10 6",
                        "fillColor": c,
                        "fillOpacity": 0.08,
                    },
                    tooltip=folium.Tooltip(text, sticky=True),
                ).add_to(group)
    group.add_to(fmap)


def add_layout(fmap: folium.Map, layout_fc: dict[str, Any], options: MapOptions) -> None:
    lang = options.lang

    def tip(props: dict[str, Any]) -> str:
        group = props.get("group_en") if lang == "en" else props.get("group")
        return (
            f"<b>{esc(_name(props, lang))}</b><br>{esc(group)} · {esc(t('precision.' + str(props['precision']), lang))}"
            + (f"<br><i>{esc(props['location_note'])}</i>" if props.get("location_note") else "")
        )

    _point_layer(fmap, layout_fc, options, t("layer.layout", lang), "#2b8cbe", tip, radius=8, dash="4 3")


def add_towns(fmap: folium.Map, towns_fc: dict[str, Any], options: MapOptions) -> None:
    lang = options.lang

    def tip(props: dict[str, Any]) -> str:
        cls = props.get("class_en") if lang == "en" else props.get("class")
        return f"<b>{esc(_name(props, lang))}</b><br>{esc(t('layer.towns', lang))} · {esc(cls)}"

    _point_layer(fmap, towns_fc, options, t("layer.towns", lang), "#d95f0e", tip, radius=6)


MODE_STYLE = {
    "rail": ("#333333", "8 6"),
    "highway": ("#c51b7d", "10 5"),
    "national_road": ("#e08214", "6 5"),
    "provincial_road": ("#fdb863", "6 5"),
    "waterway": ("#2166ac", "2 6"),
}


def add_transport(fmap: folium.Map, transport_fc: dict[str, Any], options: MapOptions) -> None:
    lang = options.lang
    group = folium.FeatureGroup(name=t("layer.transport", lang))
    for f in _shift(transport_fc, options)["features"]:
        geom, p = f["geometry"], f["properties"]
        if geom is None:
            continue
        stated = f"{p['stated_km']:g} km" if p.get("stated_km") else "—"
        drawn = f"{p['drawn_km']:g} km" if p.get("drawn_km") is not None else "—"
        text = (
            f"<b>{esc(_name(p, lang))}</b><br>{esc(t('mode.' + p['mode'], lang))} · {esc(t('status.' + p['status'], lang))}"
            f"<br>{esc(t('map.stated_drawn', lang, stated=stated, drawn=drawn))}"
            + (f"<br><i>{esc(t('map.schematic_line', lang))}</i>" if p.get("schematic") else "")
        )
        if geom["type"] == "Point":
            lon, lat = geom["coordinates"]
            folium.Marker(
                (lat, lon),
                icon=folium.DivIcon(
                    html='<div class="atlas-airport">✈</div>', icon_size=(28, 28), icon_anchor=(14, 14)
                ),
                tooltip=folium.Tooltip(text, sticky=True),
            ).add_to(group)
        else:
            color, dash = MODE_STYLE.get(p["mode"], ("#555555", "6 4"))
            folium.GeoJson(
                geom,
                style_function=lambda _f, c=color, d=dash: {"color": c, "weight": 3, "dashArray": d, "opacity": 0.8},
                tooltip=folium.Tooltip(text, sticky=True),
            ).add_to(group)
    group.add_to(fmap)


# --------------------------------------------------------------------------- projects


def project_label(p: dict[str, Any], lang: str) -> str:
    """The tooltip text: ``id · name`` (the app reads the id back from a clicked marker's tooltip)."""
    name = p.get("name_en") if lang == "en" and p.get("name_en") else p.get("name")
    return f"{p['id']} · {name}"


def project_popup(p: dict[str, Any], lang: str, sectors: dict[str, dict[str, str]]) -> str:
    sector = sectors.get(p.get("sector") or "", {})
    where = "、".join(p.get("counties") or []) or t("map.no_county", lang)
    if p.get("zone") or p.get("town"):
        where += " · " + " / ".join(x for x in (p.get("zone"), p.get("town")) if x)
    quote = str(p.get("plan_quote") or "")
    if len(quote) > 280:
        quote = quote[:280] + "…"
    rows = [
        ("popup.sector", sector.get("en" if lang == "en" else "zh", p.get("sector"))),
        ("popup.where", where),
        ("popup.precision", t(f"precision.{p['precision']}", lang)),
        ("popup.box", f"专栏{p.get('box')} · {t('popup.lines', lang)} {'–'.join(map(str, p.get('plan_lines') or []))}"),
    ]
    body = "".join(f"<tr><th>{esc(t(k, lang))}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    title = esc(p.get("name"))
    if lang == "en" and p.get("name_en"):
        title = f"{esc(p['name_en'])}<br><small>{title}</small>"
    return (
        f'<div class="atlas-popup"><b>{title}</b><table>{body}</table><div class="atlas-quote">{esc(quote)}</div></div>'
    )


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
    located = selection[selection["precision"].isin([1, 2]) & selection.geometry.notna()]
    lines = selection[(selection["precision"] == 5) & selection.geometry.notna()]
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
            folium.GeoJson(
                _shift(geom, options) if options.gcj else geom,
                style_function=lambda _f, c=colors.get(p.get("sector") or "", "#444"): {
                    "color": c,
                    "weight": 5,
                    "dashArray": "10 6",
                },
                tooltip=folium.Tooltip(esc(project_label(p, lang))),
                popup=folium.Popup(project_popup(p, lang, sectors), max_width=380),
            ).add_to(group)
        group.add_to(fmap)
    if "county_counts" in options.layers:
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
        stats["county_level"] = int(sum(counts.values()))
    return stats


class ProjectMarkers(JSCSSMixin, MacroElement):
    """Project markers built in the browser from one JSON payload, in a MarkerCluster (spiderfied when stacked).

    Tooltips and popups are HTML-escaped in Python; the tooltip text starts with the project id, which the app
    reads back when a marker is clicked.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var map = {{ this._parent.get_name() }};
          var d = {{ this.payload }};
          var group = L.markerClusterGroup({{ this.cluster_options }});
          for (var i = 0; i < d.lat.length; i++) {
            var exact = d.p[i] === 1, c = d.palette[d.c[i]];
            var m = L.circleMarker([d.lat[i], d.lon[i]], {
              radius: exact ? 7 : 9, color: c, weight: exact ? 3 : 2, fillColor: c,
              fillOpacity: exact ? 0.9 : 0.25, dashArray: exact ? null : '3 3'});
            m.bindTooltip(d.tip[i]);
            m.bindPopup(d.pop[d.k[i]], {maxWidth: 380});
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
    payload: dict[str, list] = {
        "lat": [],
        "lon": [],
        "c": [],
        "p": [],
        "tip": [],
        "k": [],
        "pop": [],
        "palette": palette,
    }
    for _, row in located.iterrows():
        p = row.to_dict()
        payload["pop"].append(project_popup(p, lang, sectors))
        key = len(payload["pop"]) - 1
        geoms = list(row.geometry.geoms) if row.geometry.geom_type == "MultiPoint" else [row.geometry]
        for g in geoms:
            lat, lon = _pt(g.x, g.y, options)
            payload["lat"].append(round(lat, 6))
            payload["lon"].append(round(lon, 6))
            payload["c"].append(index.get(p.get("sector") or "", len(palette) - 1))
            payload["p"].append(int(p["precision"]))
            payload["tip"].append(esc(project_label(p, lang)))
            payload["k"].append(key)
    cluster_options = {
        "spiderfyOnMaxZoom": True,
        "showCoverageOnHover": False,
        "maxClusterRadius": 35,
        "disableClusteringAtZoom": 16,
    }
    fmap.add_child(ProjectMarkers(payload, cluster_options))


def county_level_counts(selection: gpd.GeoDataFrame) -> dict[str, int]:
    """How many precision-3 projects touch each county (a multi-county project counts in each)."""
    level3 = selection[selection["precision"] == 3]
    if level3.empty or "adcodes" not in level3.columns:
        return {}
    return level3["adcodes"].explode().dropna().astype(str).value_counts().to_dict()


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
            },
            onRemove: function(m) {
              L.DomUtil.remove(this._c);
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
              window.__atlasCanvasDrawn = d.lon.length;
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


# --------------------------------------------------------------------------- legend and assembly


def legend_html(
    options: MapOptions, colors: dict[str, str], sectors: dict[str, dict[str, str]], present: list[str]
) -> str:
    lang = options.lang
    rows = []
    for code in present:
        label = sectors.get(code, {}).get("en" if lang == "en" else "zh", code)
        rows.append(
            f'<div><span class="sw" style="background:{esc(colors.get(code, "#666"))}"></span>{esc(label)}</div>'
        )
    symbols = (
        f'<div><span class="sym exact"></span>{esc(t("precision.1", lang))}</div>'
        f'<div><span class="sym town"></span>{esc(t("precision.2", lang))}</div>'
        f'<div><span class="sym badge">n</span>{esc(t("legend.county_badge", lang))}</div>'
        f'<div><span class="sym line"></span>{esc(t("precision.5", lang))}</div>'
        f'<div><span class="sym board"></span>{esc(t("legend.board", lang))}</div>'
    )
    return (
        f'<details class="atlas-legend" open><summary>{esc(t("legend.title", lang))}</summary>'
        f'<div class="ttl">{esc(t("legend.sectors", lang))}</div><div class="cols">{"".join(rows)}</div>'
        f'<div class="ttl">{esc(t("legend.symbols", lang))}</div>{symbols}</details>'
    )


MAP_CSS = """
<style>
.atlas-legend{background:rgba(255,255,255,.93);padding:6px 9px;
 border-radius:6px;font:11px/1.3 sans-serif;box-shadow:0 1px 5px rgba(0,0,0,.3);max-height:420px;overflow:auto;max-width:300px}
.atlas-legend summary{font-weight:bold;cursor:pointer}
.atlas-legend .cols{columns:2;column-gap:10px}
.atlas-legend .ttl{font-weight:bold;margin:4px 0 2px}
.atlas-legend .sw{display:inline-block;width:12px;height:12px;border-radius:6px;margin-right:6px;vertical-align:middle}
.atlas-legend .sym{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:middle;text-align:center;font-size:9px}
.atlas-legend .sym.exact{background:#555;border-radius:7px}
.atlas-legend .sym.town{border:2px dashed #555;border-radius:7px;width:10px;height:10px}
.atlas-legend .sym.badge{background:#1f6f8b;color:#fff;border-radius:3px;line-height:14px}
.atlas-legend .sym.line{border-top:3px dashed #333;height:0;margin-bottom:4px}
.atlas-legend .sym.board{border:2px dashed #7b3294;width:10px;height:10px}
.atlas-legend .note{margin-top:4px;font-style:italic;color:#444}
.atlas-badge{width:34px;height:34px;border-radius:6px;background:rgba(31,111,139,.9);color:#fff;font:bold 13px/34px sans-serif;
 text-align:center;border:2px solid #fff;box-shadow:0 1px 4px rgba(0,0,0,.4)}
.atlas-airport{width:28px;height:28px;border-radius:14px;background:#ffd92f;border:2px solid #111;font:16px/24px sans-serif;
 text-align:center}
.atlas-popup table{font-size:12px;margin:4px 0}.atlas-popup th{text-align:left;padding-right:6px;color:#555;vertical-align:top}
.atlas-quote{font-size:12px;color:#333;border-left:3px solid #1f6f8b;padding-left:6px;max-height:120px;overflow:auto}
.leaflet-container{background:#f3f1ec}
</style>
"""
PRESENT_CSS = """
<style>
.atlas-legend{font-size:16px;max-width:460px;max-height:640px}.atlas-legend .sw,.atlas-legend .sym{width:18px;height:18px}
.leaflet-tooltip{font-size:17px}.atlas-badge{width:44px;height:44px;line-height:44px;font-size:17px;border-radius:8px}
</style>
"""


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
    fmap.add_child(_ClusterAssets())  # the selection layer may need markercluster later without reloading the map
    fmap.get_root().header.add_child(Element(MAP_CSS + (PRESENT_CSS if options.presentation else "")))
    fmap.add_child(_Legend(legend_html(options, colors, sector_info, [s["sector"] for s in sectors])))
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
    drawn["unmapped"] = int((selection["precision"] == 4).sum()) if "precision" in selection.columns else 0
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


class _ClusterAssets(JSCSSMixin, MacroElement):
    """Loads Leaflet.markercluster with the base map (no script of its own)."""

    _template = Template("")
    default_js = MarkerCluster.default_js
    default_css = MarkerCluster.default_css


class _Legend(MacroElement):
    """The legend as a Leaflet control (so it also appears inside the st_folium component)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(){
          var c = L.control({position: 'bottomright'});
          c.onAdd = function() { var d = L.DomUtil.create('div'); d.innerHTML = {{ this.html }}; return d; };
          c.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = safe_json(html_text)

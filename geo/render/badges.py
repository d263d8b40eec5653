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

OTHER = "#666666"  # the colour of a project without a known sector (as on the map)

#: Badge size in pixels (presentation mode: larger) and the merge radius that keeps two badges from touching.
BADGE_PX, PRESENT_BADGE_PX = 34, 44


def county_level_counts(selection: gpd.GeoDataFrame) -> dict[str, int]:
    """How many precision-3 projects touch each county (a multi-county project counts in each)."""
    level3 = selection[selection["precision"] == Precision.COUNTY]
    if level3.empty or "adcodes" not in level3.columns:
        return {}
    return level3["adcodes"].explode().dropna().astype(str).value_counts().to_dict()


def county_sector_mix(selection: gpd.GeoDataFrame) -> dict[str, dict[str, int]]:
    """Per county, how many of its precision-3 projects each sector has ("" for a project without a sector)."""
    level3 = selection[selection["precision"] == Precision.COUNTY]
    if level3.empty or "adcodes" not in level3.columns:
        return {}
    sectors = level3["sector"] if "sector" in level3.columns else gpd.pd.Series("", index=level3.index)
    pairs = level3.assign(_sector=sectors.fillna("").astype(str))[["adcodes", "_sector"]].explode("adcodes").dropna()
    out: dict[str, dict[str, int]] = {}
    for (adcode, sector), n in pairs.groupby([pairs["adcodes"].astype(str), "_sector"]).size().items():
        out.setdefault(str(adcode), {})[str(sector)] = int(n)
    return out


def mix_rows(mix: dict[str, int], colors: dict[str, str], names: dict[str, str]) -> list[tuple[str, str, int]]:
    """A county's sector mix as (colour, name, count), largest first, ties in legend order."""
    order = {code: i for i, code in enumerate(colors)}
    rows = sorted(mix.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order))))
    return [(colors.get(code, OTHER), names.get(code) or code or names.get("", ""), n) for code, n in rows]


def mix_tooltip(text: str, heading: str, rows: list[tuple[str, str, int]]) -> str:
    """The badge's tooltip (HTML, everything escaped): its count sentence, then one line per sector."""
    lines = "".join(f'<br><span style="color:{esc(c)}">\u25cf</span> {esc(name)} {n}' for c, name, n in rows)
    return f"{esc(text)}<br><i>{esc(heading)}</i>{lines}"


class CountyBadges(JSCSSMixin, MacroElement):
    """The badges, in a marker cluster whose merged icon shows the sum of its badges' counts."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var d = {{ this.payload }}, size = d.size;
          function icon(n, title, cls, mix) {
            var el = document.createElement('div');
            el.className = cls; el.title = title; el.textContent = String(n);
            var bar = document.createElement('span');  // the sector mix as a stacked bar along the bottom edge
            bar.className = 'atlas-badge-mix';
            mix.forEach(function(r) {
              var seg = document.createElement('span');
              seg.style.background = r[0]; seg.style.width = (100 * r[2] / n) + '%';
              seg.setAttribute('data-n', r[2]);
              bar.appendChild(seg);
            });
            el.appendChild(bar);
            return L.divIcon({html: el.outerHTML, className: 'atlas-badge-icon', iconSize: [size, size],
                              iconAnchor: [size / 2, -3]});  // just below the county's name
          }
          function merged(kids) {  // the sum of the badges' mixes, largest first
            var by = {}, order = [];
            kids.forEach(function(m) { m.options.mix.forEach(function(r) {
              if (!(r[1] in by)) { by[r[1]] = [r[0], r[1], 0]; order.push(r[1]); }
              by[r[1]][2] += r[2]; }); });
            return order.map(function(k) { return by[k]; }).sort(function(a, b) { return b[2] - a[2]; });
          }
          var group = L.markerClusterGroup({
            maxClusterRadius: Math.ceil(size * 1.5), showCoverageOnHover: false, spiderfyOnMaxZoom: false,
            zoomToBoundsOnClick: true, singleMarkerMode: false,
            iconCreateFunction: function(cluster) {
              var kids = cluster.getAllChildMarkers(), n = 0, names = [];
              kids.forEach(function(m) { n += m.options.count; names.push(m.options.county + ' ' + m.options.count); });
              var mix = merged(kids);
              var title = names.join(' · ') + ' — ' + mix.map(function(r) { return r[1] + ' ' + r[2]; }).join(' · ');
              return icon(n, title, 'atlas-badge atlas-badge-group', mix);
            }});
          d.items.forEach(function(b) {
            var m = L.marker([b.lat, b.lon], {icon: icon(b.n, b.title, 'atlas-badge', b.mix), count: b.n,
                                              county: b.county, mix: b.mix});
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
    colors: dict[str, str] | None = None,
    sectors: dict[str, dict[str, str]] | None = None,
) -> int:
    """One numbered badge per county with county-level projects of the selection, its sector mix as a bar and in its
    tooltip; returns how many such projects were counted."""
    lang = options.lang
    colors = colors or {}
    names = {code: info.get("en" if lang == "en" else "zh") or code for code, info in (sectors or {}).items()}
    names[""] = t("sector.none", lang)
    counts = county_level_counts(selection)
    mixes = county_sector_mix(selection)
    items = []
    for adcode, n in sorted(counts.items()):
        if adcode not in county_points or n == 0:
            continue
        lon, lat, name = county_points[adcode]
        lat, lon = _pt(lon, lat, options)
        text = t("map.county_level", lang, n=n, county=name)
        rows = mix_rows(mixes.get(adcode, {}), colors, names)
        # the script sets title, county and the bar as DOM text and styles; the tooltip (HTML, read back on a click:
        # it starts with the count sentence) is escaped here
        items.append(
            {
                "lat": lat,
                "lon": lon,
                "n": int(n),
                "county": name,
                "title": text,
                "tip": mix_tooltip(text, t("map.sector_mix", lang), rows),
                "mix": [[c, name_, k] for c, name_, k in rows],
            }
        )
    group = folium.FeatureGroup(name=t("layer.county_counts", lang))
    group.add_child(CountyBadges(items, PRESENT_BADGE_PX if options.presentation else BADGE_PX))
    group.add_to(fmap)
    return int(sum(counts.values()))

"""The map legend: sector colours and symbol meanings, as a Leaflet control."""

from __future__ import annotations

from branca.element import MacroElement, Template

from geo.core.i18n import t
from geo.render.options import MapOptions
from geo.render.style import esc, safe_json


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

"""The map legend: sector colours and symbol meanings, as a Leaflet control."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from branca.element import MacroElement, Template

from geo.core.i18n import t
from geo.render.options import MapOptions
from geo.render.style import MODE_GROUPS, MODE_STYLE, esc, safe_json


def modes_present(transport_fc: dict[str, Any] | None, line_modes: Iterable[str] = ()) -> list[str]:
    """The legend's transport rows: the mode groups (MODE_GROUPS order) that something on the map is drawn in."""
    drawn = set(line_modes)
    for f in (transport_fc or {}).get("features", []):
        if f.get("geometry") is not None:
            drawn.add(str(f["properties"].get("mode")))
    return [group for group, modes in MODE_GROUPS.items() if drawn & set(modes)]


def _mode_swatch(group: str) -> str:
    """A line in the mode's colour and dash pattern (the airport: its icon's colour)."""
    color, dash = MODE_STYLE[MODE_GROUPS[group][0]]
    if group == "airport":
        return f'<span class="sym mode airport" style="background:{esc(color)}">✈</span>'
    pattern = f' stroke-dasharray="{esc(dash)}"' if dash else ""
    return (
        f'<svg class="sym mode" width="26" height="10" viewBox="0 0 26 10" aria-hidden="true">'
        f'<line x1="0" y1="5" x2="26" y2="5" stroke="{esc(color)}" stroke-width="3"{pattern}/></svg>'
    )


def transport_rows(options: MapOptions, modes: Iterable[str]) -> str:
    """The legend's transport section (empty when nothing is drawn in a transport mode)."""
    lang = options.lang
    rows = "".join(
        f'<div class="mode-row" data-mode="{esc(g)}">{_mode_swatch(g)}{esc(t("mode." + g, lang))}</div>' for g in modes
    )
    return f'<div class="ttl">{esc(t("legend.transport", lang))}</div>{rows}' if rows else ""


def legend_html(
    options: MapOptions,
    colors: dict[str, str],
    sectors: dict[str, dict[str, str]],
    present: list[str],
    modes: Iterable[str] = (),
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
        f'<div class="ttl">{esc(t("legend.symbols", lang))}</div>{symbols}{transport_rows(options, modes)}</details>'
    )


class _Legend(MacroElement):
    """The legend as a Leaflet control (so it also appears inside the st_folium component)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(){
          var c = L.control({position: 'bottomright'});
          var map = {{ this._parent.get_name() }}, touched = false;
          c.onAdd = function() { var d = L.DomUtil.create('div'); d.innerHTML = {{ this.html }}; return d; };
          c.addTo(map);
          // a legend taller than a share of the map (40 % in a presentation, 60 % in the atlas: a projector,
          // a short window) starts folded, so the data stays in view; one click opens it; once the person
          // opens or folds it, their choice stands
          var box = c.getContainer().querySelector('details');
          function fit() {
            if (touched || !box) { return; }
            box.open = true;
            if (box.offsetHeight > {{ this.fold }} * map.getSize().y) { box.open = false; }
          }
          if (box) {
            box.querySelector('summary').addEventListener('click', function() { touched = true; });
            fit(); setTimeout(fit, 0); map.on('resize', fit);
          }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, *, presentation: bool = False) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = safe_json(html_text)
        self.fold = 0.4 if presentation else 0.6

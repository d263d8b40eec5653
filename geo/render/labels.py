"""Project labels and popups: the tooltip text the app reads ids back from, and the escaped popup table."""

from __future__ import annotations

from typing import Any

from geo.core.i18n import t
from geo.render.style import esc
from geo.render.wording import join, lines_text, pinyin


def project_label(p: dict[str, Any], lang: str) -> str:
    """The tooltip text: ``id · name`` (the app reads the id back from a clicked marker's tooltip)."""
    name = p.get("name_en") if lang == "en" and p.get("name_en") else p.get("name")
    return f"{p['id']} · {name}"


def project_popup(
    p: dict[str, Any], lang: str, sectors: dict[str, dict[str, str]], county_names: dict[str, str] | None = None
) -> str:
    """The popup: sector, where (counties, zone/town), precision, box and plan lines, the quote — in ``lang``."""
    sector = sectors.get(p.get("sector") or "", {})
    counties = [(county_names or {}).get(c, c) if lang == "en" else c for c in p.get("counties") or []]
    where = join(counties, lang) or t("map.no_county", lang)
    places = [pinyin(x) if lang == "en" else x for x in (p.get("zone"), p.get("town")) if x]
    if places:
        where += " · " + " / ".join(places)
    quote = str(p.get("plan_quote") or "")
    if len(quote) > 280:
        quote = quote[:280] + "…"
    rows = [
        ("popup.sector", sector.get("en" if lang == "en" else "zh", p.get("sector"))),
        ("popup.where", where),
        ("popup.precision", t(f"precision.{p['precision']}", lang)),
        ("popup.box", f"{p.get('box')} · {lines_text(p.get('plan_lines'), lang)}"),
    ]
    body = "".join(f"<tr><th>{esc(t(k, lang))}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    title = esc(p.get("name"))
    if lang == "en" and p.get("name_en"):
        title = f"{esc(p['name_en'])}<br><small>{title}</small>"
    return (
        f'<div class="atlas-popup"><b>{title}</b><table>{body}</table><div class="atlas-quote">{esc(quote)}</div></div>'
    )

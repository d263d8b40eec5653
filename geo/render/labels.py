"""Project labels and popups: the tooltip text the app reads ids back from, and the escaped popup table."""

from __future__ import annotations

from typing import Any

from geo.core.i18n import t
from geo.render.style import esc


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

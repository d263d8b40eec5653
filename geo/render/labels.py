"""Project labels and popups: the tooltip text the app reads ids back from, and the escaped popup table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from geo.core.i18n import t
from geo.render.style import esc
from geo.render.wording import join, lines_text, pinyin

#: The project fields the tooltip, the popup and the marker read (geo/render/clusters.py takes only these).
POPUP_COLUMNS = (
    "id", "name", "name_en", "sector", "counties", "zone", "town", "plan_quote", "precision", "box", "plan_lines",
    "uncertainty_m",
)  # fmt: skip


def project_label(p: dict[str, Any], lang: str) -> str:
    """The tooltip text: ``id · name`` (the app reads the id back from a clicked marker's tooltip)."""
    name = p.get("name_en") if lang == "en" and p.get("name_en") else p.get("name")
    return f"{p['id']} · {name}"


#: The popup's rows, in order: the sector, where, precision, box and plan lines.
POPUP_ROWS = ("popup.sector", "popup.where", "popup.precision", "popup.box")


@dataclass(frozen=True)
class PopupParts:
    """A popup's pieces, each already HTML-escaped: the title (HTML), the row values (as POPUP_ROWS), the quote."""

    title: str
    values: tuple[str, ...]
    quote: str


def popup_parts(
    p: dict[str, Any], lang: str, sectors: dict[str, dict[str, str]], county_names: dict[str, str] | None = None
) -> PopupParts:
    """The popup of ``p`` in ``lang``, in escaped pieces (the map's payload sends them, the browser assembles)."""
    sector = sectors.get(p.get("sector") or "", {})
    counties = [(county_names or {}).get(c, c) if lang == "en" else c for c in p.get("counties") or []]
    where = join(counties, lang) or t("map.no_county", lang)
    places = [pinyin(x) if lang == "en" else x for x in (p.get("zone"), p.get("town")) if x]
    if places:
        where += " · " + " / ".join(places)
    quote = str(p.get("plan_quote") or "")
    if len(quote) > 280:
        quote = quote[:280] + "…"
    values = (
        sector.get("en" if lang == "en" else "zh", p.get("sector")),
        where,
        t(f"precision.{p['precision']}", lang),
        f"{p.get('box')} · {lines_text(p.get('plan_lines'), lang)}",
    )
    title = esc(p.get("name"))
    if lang == "en" and p.get("name_en"):
        title = popup_title(esc(p["name_en"]), title)
    return PopupParts(title, tuple(esc(v) for v in values), esc(quote))


def popup_title(name_en: str, name: str) -> str:
    """An English popup's title: the English name over the plan's (both escaped). ProjectMarkers' JS does the same."""
    return f"{name_en}<br><small>{name}</small>"


def popup_html(heads: Iterable[str], parts: PopupParts) -> str:
    """The popup's HTML from escaped row heads and parts. ProjectMarkers' JS (``popup()``) builds the same string."""
    body = "".join(f"<tr><th>{h}</th><td>{v}</td></tr>" for h, v in zip(heads, parts.values, strict=True))
    return f'<div class="atlas-popup"><b>{parts.title}</b><table>{body}</table><div class="atlas-quote">{parts.quote}</div></div>'


def popup_heads(lang: str) -> tuple[str, ...]:
    """The popup's row heads in ``lang``, escaped."""
    return tuple(esc(t(k, lang)) for k in POPUP_ROWS)


def project_popup(
    p: dict[str, Any], lang: str, sectors: dict[str, dict[str, str]], county_names: dict[str, str] | None = None
) -> str:
    """The popup: sector, where (counties, zone/town), precision, box and plan lines, the quote — in ``lang``."""
    return popup_html(popup_heads(lang), popup_parts(p, lang, sectors, county_names))

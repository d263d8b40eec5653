"""What a slide's legend says: sectors present, precision symbols, boards, transport modes, counts, what is not drawn."""

from __future__ import annotations

from typing import Any

import geopandas as gpd

from geo.core.domain import Precision
from geo.core.i18n import t
from geo.render.slidepanel import Section
from geo.render.style import BOARD_COLORS, MODE_STYLE
from geo.render.wording import Labels, join

BADGE = "#1f6f8b"
#: How many outside-the-city projects are named in the note (the rest are counted).
NAMED_OUTSIDE = 3


def _dash(pattern: str | None) -> tuple[float, ...] | None:
    return tuple(float(v) / 2 for v in pattern.split()) if pattern else None


def sector_section(selection: gpd.GeoDataFrame, data: Any, colors: dict[str, str], lang: str) -> Section:
    """The sectors of the selection with their number of projects, in the order of data/sectors.csv."""
    counts = selection["sector"].value_counts()
    items: list[Any] = []
    for s in data.sectors:
        n = int(counts.get(s["sector"], 0))
        if n:
            items.append(
                (("dot", colors.get(s["sector"], "#666666"), None), f"{s['en' if lang == 'en' else 'zh']}  {n}")
            )
    return Section(t("legend.sectors", lang), items or [(None, "—")], gid="legend:sector")


def symbol_section(lang: str) -> Section:
    """How exactly a project is placed: site, town/zone, county count, schematic line."""
    return Section(
        t("legend.symbols", lang),
        [
            (("dot", "#555555", None), t("precision.1", lang)),
            (("ring", "#555555", None), t("precision.2", lang)),
            (("badge", BADGE, None), t("legend.county_badge", lang)),
            (("line", "#333333", (3.0, 2.0)), t("precision.5", lang)),
            (None, t("slide.stacked", lang)),
        ],
        gid="legend:symbol",
    )


def board_section(boards: gpd.GeoDataFrame, lang: str) -> Section:
    """The boards drawn, in their outline colours."""
    short = "short_en" if lang == "en" else "short_zh"
    items: list[Any] = [
        (
            ("board", BOARD_COLORS.get(row.get("board"), "#333333"), (3.0, 3.0)),
            t("map.board_name", lang, name=row.get(short)),
        )
        for _, row in boards.iterrows()
    ]
    return Section(t("legend.board", lang), items or [(None, "—")], gid="legend:board")


def transport_section(modes: set[str], lang: str) -> Section:
    """One entry per transport mode drawn, in its fixed colour (airports as ✈)."""
    order = [m for m in MODE_STYLE if m in modes] + sorted(m for m in modes if m not in MODE_STYLE)
    items: list[Any] = []
    for mode in order:
        if mode == "airport":
            items.append((("airport", "#ffd92f", None), t("mode.airport", lang)))
            continue
        colour, dash = MODE_STYLE.get(mode, ("#555555", "6 4"))
        items.append((("line", colour, _dash(dash)), t(f"mode.{mode}", lang)))
    return Section(t("layer.transport", lang), items or [(None, "—")], gid="legend:transport")


def count_section(counts: dict[str, int], words: Labels, lang: str) -> Section | None:
    """County-level projects per county ('永吉县 12、蛟河市 5 …'), largest first; None when there are none."""
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], words.county(kv[0])))
    text = join([f"{words.county(code)} {n}" for code, n in ranked], lang)
    return Section(t("slide.county_counts", lang), [(None, text)], gid="legend:counts")


def note_section(selection: gpd.GeoDataFrame, words: Labels, lang: str) -> Section | None:
    """What the map does not draw: city-wide projects (counted) and projects outside the city (named)."""
    items: list[Any] = []
    city = int((selection["precision"] == Precision.CITY).sum())
    if city:
        items.append((None, t("slide.city_wide", lang, n=city)))
    outside = selection[selection["precision"] == Precision.OUTSIDE]
    if len(outside):
        names = [words.project_name(row) for _, row in outside.head(NAMED_OUTSIDE).iterrows()]
        more = len(outside) - len(names)
        text = join(names, lang) + (f" … +{more}" if more else "")
        items.append((None, t("slide.outside", lang, n=len(outside), names=text)))
    return Section(t("slide.not_drawn", lang), items, gid="legend:notes") if items else None

"""Words in the UI language for every code the data holds: sectors, boards, counties, precision, location basis."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from geo.core.i18n import t
from geo.places.evidence import BASIS_KEYS


def join(items: Iterable[str], lang: str) -> str:
    """A list in the language's way: 、 in Chinese, ', ' in English."""
    return ("、" if lang == "zh" else ", ").join(str(x) for x in items if x)


def number(value: Any, lang: str, digits: int = 0) -> str:
    """A number with thousands separators; missing or NaN values as —."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    try:
        return f"{float(value):,.{digits}f}"
    except (TypeError, ValueError):
        return "—"


def lines_text(lines: Iterable[int] | None, lang: str) -> str:
    """Plan lines ``[a, b]`` as 'lines a–b', one line as 'line a'."""
    values = [int(v) for v in (lines or [])]
    if not values:
        return "—"
    first, last = min(values), max(values)
    if first == last:
        return t("label.line_one", lang, n=first)
    return t("label.line_range", lang, a=first, b=last)


def box_label(box: Any, title: str | None, title_en: str | None, lang: str) -> str:
    name = title_en if lang == "en" and title_en else title
    return t("label.box", lang, n=box) + (f" · {name}" if name else "")


def precision_label(precision: Any, lang: str) -> str:
    try:
        code = int(precision)
    except (TypeError, ValueError):
        return "—"
    return f"{code} · {t(f'precision.{code}', lang)}" if 1 <= code <= 5 else "—"


def basis_label(basis: str | None, lang: str) -> str:
    """How a location was decided, in the UI language (an unknown value as written, never None)."""
    key = BASIS_KEYS.get(basis or "")
    return t(key, lang) if key else (basis or "—")


#: Generic endings of place names, longest first, translated rather than transliterated.
PLACE_SUFFIXES = (
    ("经济技术开发区", "Economic and Technological Development Zone"),
    ("经济开发区", "Economic Development Zone"),
    ("高新技术产业开发区", "High-tech Zone"),
    ("工业园区", "Industrial Park"),
    ("产业园区", "Industrial Park"),
    ("开发区", "Development Zone"),
    ("度假区", "Resort"),
    ("产业园", "Industrial Park"),
    ("园区", "Park"),
    ("新区", "New Area"),
    ("街道", "Subdistrict"),
    ("镇", "Town"),
    ("乡", "Township"),
    ("村", "Village"),
    ("区", "Zone"),
    ("园", "Park"),
)


@lru_cache(maxsize=4096)
def pinyin(text: str) -> str:
    """A Chinese place name in pinyin without tones ('岔路河镇' → 'Chaluhe Zhen'), for the English UI."""
    from pypinyin import lazy_pinyin  # noqa: PLC0415 - its phrase table costs 0.2 s to import; only English needs it

    for zh, en in PLACE_SUFFIXES:
        if text.endswith(zh) and len(text) > len(zh):
            return f"{''.join(lazy_pinyin(text[: -len(zh)])).capitalize()} {en}"
    return "".join(lazy_pinyin(text)).capitalize()


class Labels:
    """Labels of one atlas's codes in one language (build once per run)."""

    def __init__(self, data: Any, lang: str) -> None:
        self.lang = lang
        en = lang == "en"
        self.sectors = {s["sector"]: s["en" if en else "zh"] for s in data.sectors}
        self.cluster = {s["sector"] for s in data.sectors if s["kind"] == "cluster"}
        self.boards = {b["board"]: b["short_en" if en else "short_zh"] for b in data.board_info}
        self.boards["none"] = t("ui.no_board", lang)
        counties = data.counties
        self.counties = dict(zip(counties["adcode"], counties["name_en" if en else "name"], strict=True))
        self.county_by_name = dict(zip(counties["name"], counties["name_en" if en else "name"], strict=True))

    def sector(self, code: str | None) -> str:
        return self.sectors.get(code or "", t("label.no_sector", self.lang))

    def board(self, code: str | None) -> str:
        return self.boards.get(code or "none", str(code))

    def county(self, adcode: str | None) -> str:
        return self.counties.get(str(adcode), t("ui.no_county_row", self.lang)) if adcode else "—"

    def county_names(self, names: Iterable[str] | None) -> str:
        """Chinese county names (as stored in a project) in the UI language."""
        shown = [self.county_by_name.get(n, n) for n in names or []]
        return join(shown, self.lang) or t("map.no_county", self.lang)

    def place(self, name: str | None) -> str:
        """A town or zone name: as written in Chinese, in pinyin in English."""
        if not name:
            return ""
        if name in self.county_by_name:
            return self.county_by_name[name]
        return pinyin(name) if self.lang == "en" else name

    def project_name(self, row: Mapping[str, Any]) -> str:
        if self.lang == "en":
            return str(row.get("name_en") or pinyin(str(row.get("name") or "")))
        return str(row.get("name") or "")

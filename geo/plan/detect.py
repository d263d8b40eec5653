"""Detect what a box holds from its lines alone: projects, a board, a ranking table, the layout groups or other."""

from __future__ import annotations

import re
from collections.abc import Sequence

#: A project entry opens with ``name：description``.
ENTRY_RE = re.compile(r"^(?P<name>[^：:。，；,;]{2,90}?)\s*[：:]\s*(?P<rest>.*)$")
#: ``label：list`` lines of the layout boxes; a group label states its count (两区, 五园, 十镇, 3个…).
GROUP_LABEL_RE = re.compile(r"^(?P<count>[一二两三四五六七八九十\d]{1,3})(?P<what>[区带园镇城廊核轴群])[：:]")
TOWN_CLASS_RE = re.compile(r"^[^：:，、。]{1,8}类（\d+个）[：:]")
BOARD_KEYS = ("发展定位", "主导产业")
YEAR_ROW_RE = re.compile(r"^(19|20)\d\d年")
PARTS = ("project", "board", "county_targets", "urban_rural", "featured_towns", "other")
#: At least this share of a project box's lines opens an entry (the rest wrap or continue one).
ENTRY_SHARE = 0.2


def detect_part(texts: Sequence[str]) -> str:
    """The part a box holds, by the shape of its lines (``PARTS``); nothing recognisable is "other"."""
    texts = [t.strip() for t in texts if t.strip()]
    if not texts:
        return "other"
    if all(any(t.startswith(key) for t in texts) for key in BOARD_KEYS):
        return "board"
    if any(t.startswith("各县") for t in texts) and sum(bool(YEAR_ROW_RE.match(t)) for t in texts) >= 2:
        return "county_targets"
    if sum(bool(TOWN_CLASS_RE.match(t)) for t in texts) >= 2:
        return "featured_towns"
    if sum(bool(GROUP_LABEL_RE.match(t)) for t in texts) >= 2:
        return "urban_rural"
    entries = sum(bool(ENTRY_RE.match(t)) for t in texts)
    if entries and entries >= ENTRY_SHARE * len(texts):
        return "project"
    return "other"

"""Neutralise exported text: spreadsheet formulas (after invisible prefixes, full-width signs) and KML HTML."""

from __future__ import annotations

import html
import re
from typing import Any
from xml.sax.saxutils import unescape

#: Characters a spreadsheet may treat as the start of a formula (ASCII and full-width forms, and controls).
FORMULA_SIGNS = ("=", "+", "-", "@", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "−", "\t", "\r", "\n")
#: Invisible characters a spreadsheet skips before a formula: BOM, zero-width space/joiners, word joiner, soft hyphen.
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u180e\u00ad"


def neutralise_cell(value: Any) -> Any:
    """A text cell that would start a formula (even after spaces, a BOM or zero-width characters) gets a ' prefix."""
    if not isinstance(value, str) or not value:
        return value
    start = 0
    while start < len(value) and (value[start] in INVISIBLE or value[start].isspace()):
        start += 1  # spaces (also U+3000, U+00A0), BOM, zero-width characters
    if value.startswith(FORMULA_SIGNS) or value[start:].startswith(FORMULA_SIGNS):
        return "'" + value
    return value


_DESCRIPTION = re.compile(rb"<description>(.*?)</description>", re.DOTALL)


def kml_plain_descriptions(kml: bytes) -> bytes:
    """Every ``<description>`` as plain text: HTML-escaped inside CDATA, so a KML client shows markup, never runs it.

    KML clients render a description as HTML even when its markup is entity-escaped; inside CDATA the escaped text
    ``&lt;img …&gt;`` is displayed literally.
    """

    def plain(match: re.Match[bytes]) -> bytes:
        text = unescape(match.group(1).decode("utf-8"), {"&quot;": '"', "&apos;": "'"})
        if text.startswith("<![CDATA[") and text.endswith("]]>"):
            text = text[9:-3]
        return b"<description><![CDATA[" + html.escape(text, quote=False).encode("utf-8") + b"]]></description>"

    return _DESCRIPTION.sub(plain, kml)

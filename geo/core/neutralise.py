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


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=:&$^\"'])")
SECRET_PARAMS = ("token", "editor_token", "key", "password", "secret")


def markdown_literal(text: Any, max_len: int = 80) -> str:
    """Untrusted text (e.g. a URL parameter) for a Markdown message: every markup character escaped, one line, short.

    ``[unlock](https://…)`` stays text, ``![](…)`` never fetches an image, HTML never becomes a tag.
    """
    value = " ".join(str(text).split())
    if len(value) > max_len:
        value = value[: max_len - 1] + "…"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


def redacted_params(params: dict[str, Any], secret: tuple[str, ...] = SECRET_PARAMS) -> dict[str, str]:
    """Query parameters safe to show: secrets replaced by ``***``, the rest as Markdown-literal text."""
    return {
        markdown_literal(k, 40): "***" if str(k).lower() in secret else markdown_literal(v) for k, v in params.items()
    }

"""Text helpers for PDF-extracted Chinese: display width, stray-space removal, punctuation."""

from __future__ import annotations

import re
import unicodedata

# A CJK ideograph or full-width punctuation mark (the characters the PDF set in the Chinese font).
_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201f\u2014\u2026\u00d7]"
_SPACE_AFTER_CJK = re.compile(rf"(?<={_CJK})[ \t\u00a0]+")
_SPACE_BEFORE_CJK = re.compile(rf"[ \t\u00a0]+(?={_CJK})")

SENTENCE_END = "。；;，,）)"


def display_width(text: str) -> int:
    """Width of a line in half-width cells (CJK and full-width characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clean(text: str) -> str:
    """Remove the spaces the PDF extraction put next to Chinese characters.

    ``年产 15万吨`` → ``年产15万吨``; spaces between two Latin words (``Shopping Mall``) stay.
    """
    text = text.replace("\u3000", " ").strip()
    text = _SPACE_AFTER_CJK.sub("", text)
    text = _SPACE_BEFORE_CJK.sub("", text)
    return re.sub(r"[ \t]{2,}", " ", text)


def has_cjk(text: str) -> bool:
    """True if the text contains at least one Chinese character."""
    return re.search(r"[\u3400-\u9fff]", text) is not None


def split_list(text: str) -> list[str]:
    """Split an enumeration on the Chinese enumeration comma ``、`` (not inside brackets)."""
    parts: list[str] = []
    depth = 0
    current = []
    for ch in text:
        if ch in "（(“":
            depth += 1
        elif ch in "）)”":
            depth = max(0, depth - 1)
        if ch == "、" and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return [p for p in parts if p]

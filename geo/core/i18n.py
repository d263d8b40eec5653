"""UI strings in Chinese and English from one reviewed table (data/translations/ui.csv)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from geo.core.config import REPO_ROOT
from geo.core.errors import MissingString, ValidationError
from geo.core.tables import read_table

UI_TABLE = REPO_ROOT / "data" / "translations" / "ui.csv"  # code, not data: the same under every data root


@lru_cache(maxsize=2)
def strings(path: Path = UI_TABLE) -> dict[str, dict[str, str]]:
    """key → {zh, en}; a key missing either language is an error."""
    rows = read_table(path, ("key", "zh", "en"))
    out: dict[str, dict[str, str]] = {}
    problems = []
    for row in rows:
        if row["key"] in out:
            problems.append(f"{path}:{row['_line']}: key {row['key']!r} listed twice")
        if not row["zh"] or not row["en"]:
            problems.append(f"{path}:{row['_line']}: key {row['key']!r} lacks a translation")
        out[row["key"]] = {"zh": row["zh"], "en": row["en"]}
    if problems:
        raise ValidationError("UI strings table is invalid", path=str(path), problems=problems)
    return out


def t(key: str, lang: str = "zh", **values: object) -> str:
    """The UI string ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``."""
    table = strings()
    if key not in table:
        raise MissingString(key)
    text = table[key]["en" if lang == "en" else "zh"]
    return text.format(**values) if values else text

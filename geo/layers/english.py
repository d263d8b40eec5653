"""English names and summaries from the reviewed table, matched by stable key; a missing one falls back to pinyin."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypinyin import lazy_pinyin

from geo.core.config import paths
from geo.core.tables import read_table
from geo.plan.boxes import Entry
from geo.plan.keys import KeyMatch, Known

COLUMNS = ("id", "key", "name_zh", "name_en", "summary_en")
#: ``name_en_source`` values (docs/SCHEMA.md).
REVIEWED, RENAMED, PINYIN = "reviewed", "reviewed, name changed", "pinyin"


@dataclass(frozen=True)
class English:
    name_en: str
    summary_en: str | None
    source: str  # REVIEWED | RENAMED | PINYIN


def load_registry(path: Path | None = None) -> dict[str, dict[str, str]]:
    """key → row of the reviewed translation table (data/translations/projects_en.csv); none if the file is absent."""
    path = path or paths.TRANSLATIONS
    if not path.exists():
        return {}
    return {row["key"]: row for row in read_table(path, COLUMNS)}


def known(registry: dict[str, dict[str, str]]) -> list[Known]:
    return [Known(key, row["id"], row["name_zh"]) for key, row in registry.items()]


def pinyin_name(name: str) -> str:
    """A flagged stand-in for a missing translation: the name in toneless pinyin."""
    return " ".join(lazy_pinyin(name)).capitalize()


def english(
    entries: list[Entry], matches: dict[str, KeyMatch], registry: dict[str, dict[str, str]]
) -> tuple[dict[str, English], list[str]]:
    """entry id → English text, and the warnings: renamed entries keep their reviewed text (to review), missing
    ones get pinyin, registry rows no entry claims are named."""
    out: dict[str, English] = {}
    warnings: list[str] = []
    for e in entries:
        match = matches[e.id]
        row = registry.get(match.key)
        if row is None or not row["name_en"]:
            out[e.id] = English(pinyin_name(e.name), None, PINYIN)
            warnings.append(f"{e.id} {e.name}: no English name in the translation table (shown in pinyin, flagged)")
        elif match.how == "renamed":
            out[e.id] = English(row["name_en"], row["summary_en"] or None, RENAMED)
            warnings.append(
                f"{e.id} {e.name}: renamed from {row['name_zh']!r} ({row['id']}); its English text was kept, review it"
            )
        else:
            out[e.id] = English(row["name_en"], row["summary_en"] or None, REVIEWED)
    claimed = {m.key for m in matches.values()}
    for key, row in registry.items():
        if key not in claimed:
            warnings.append(f"translation of {row['id']} {row['name_zh']!r} matches no entry of this plan")
    return out, warnings

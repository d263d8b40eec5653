"""Sectors: the six industry clusters and the plan-derived sectors; a box's sector from its title by keyword."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.core.config import paths
from geo.core.errors import ValidationError
from geo.core.tables import read_table
from geo.plan.boxes import Box


@dataclass(frozen=True)
class Sector:
    code: str
    kind: str  # cluster | other
    zh: str
    en: str


@dataclass(frozen=True)
class Keyword:
    keyword: str
    sector: str


def sectors(path: Path | None = None) -> dict[str, Sector]:
    """Sector code → Sector, in file order (clusters first)."""
    return _sectors(Path(path or paths.SECTORS))


@lru_cache(maxsize=4)
def _sectors(path: Path) -> dict[str, Sector]:
    rows = read_table(path, ("sector", "kind", "zh", "en"))
    out: dict[str, Sector] = {}
    problems = []
    for row in rows:
        if row["kind"] not in ("cluster", "other"):
            problems.append(f"{path}:{row['_line']}: kind must be cluster or other, not {row['kind']!r}")
        if row["sector"] in out:
            problems.append(f"{path}:{row['_line']}: sector {row['sector']!r} listed twice")
        out[row["sector"]] = Sector(row["sector"], row["kind"], row["zh"], row["en"])
    if problems:
        raise ValidationError("sector table is invalid", path=str(path), problems=problems)
    return out


def keywords(path: Path | None = None) -> tuple[Keyword, ...]:
    """The reviewed keyword table (data/sector_keywords.csv): the first keyword found in a box title names its sector."""
    return _keywords(Path(path or paths.SECTOR_KEYWORDS))


@lru_cache(maxsize=4)
def _keywords(path: Path) -> tuple[Keyword, ...]:
    known = sectors()
    rows = read_table(path, ("keyword", "sector", "note"))
    problems = [f"{path}:{r['_line']}: unknown sector {r['sector']!r}" for r in rows if r["sector"] not in known]
    if problems:
        raise ValidationError("sector keyword table is invalid", path=str(path), problems=problems)
    return tuple(Keyword(r["keyword"].lower(), r["sector"]) for r in rows if r["keyword"])


def box_sector(title: str, title_en: str | None = None) -> str | None:
    """The sector of a project box from its title (Chinese, else English) by the keyword table; None if none matches."""
    for text in (title, title_en or ""):
        lowered = text.lower()
        for kw in keywords():
            if kw.keyword in lowered:
                return kw.sector
    return None


def box_titles_en(path: Path | None = None) -> dict[str, str]:
    """Box title (as the plan writes it) → reviewed English title (data/boxes.csv); a missing file is an empty table."""
    return _box_titles_en(Path(path or paths.BOXES_TABLE))


@lru_cache(maxsize=4)
def _box_titles_en(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return {r["title"]: r["title_en"] for r in read_table(path, ("title", "title_en")) if r["title_en"]}


def annotate(boxes: list[Box], overrides: dict[str, str] | None = None) -> list[Box]:
    """Give every project box its sector (``overrides``: title → sector code, else the keyword table) and every
    box its reviewed English title."""
    titles = box_titles_en()
    for box in boxes:
        box.title_en = titles.get(box.title)
        if box.part == "project":
            box.sector = (overrides or {}).get(box.title) or box_sector(box.title, box.title_en)
    return boxes

"""Sectors: the six industry clusters and the plan-derived sectors, and the box → sector table."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.core.config import paths
from geo.core.errors import ValidationError
from geo.core.tables import read_table


@dataclass(frozen=True)
class Sector:
    code: str
    kind: str  # cluster | other
    zh: str
    en: str


@dataclass(frozen=True)
class BoxInfo:
    number: int
    sector: str | None
    title_en: str


@lru_cache(maxsize=2)
def sectors(path: Path = paths.SECTORS) -> dict[str, Sector]:
    """Sector code → Sector, in file order (clusters first)."""
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


@lru_cache(maxsize=2)
def box_table(path: Path = paths.BOXES_TABLE) -> dict[int, BoxInfo]:
    """Box number → sector and English title."""
    known = sectors()
    rows = read_table(path, ("box", "sector", "title_en"))
    out: dict[int, BoxInfo] = {}
    problems = []
    for row in rows:
        try:
            number = int(row["box"])
        except ValueError:
            problems.append(f"{path}:{row['_line']}: box {row['box']!r} is not a number")
            continue
        sector = row["sector"] or None
        if sector is not None and sector not in known:
            problems.append(f"{path}:{row['_line']}: unknown sector {sector!r}")
        out[number] = BoxInfo(number, sector, row["title_en"])
    if problems:
        raise ValidationError("box table is invalid", path=str(path), problems=problems)
    return out

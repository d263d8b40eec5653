"""The four urban boards (四大板块) and the rule table that assigns a located project to its board(s)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.core.config import paths
from geo.core.domain import BOARD_CODES
from geo.core.errors import GazetteerError, ValidationError
from geo.core.schema import row_problems
from geo.core.tables import read_table
from geo.places.gazetteer import Gazetteer, Place

MATCHES = ("place", "kind_in_county", "county")


@dataclass(frozen=True)
class Board:
    code: str
    box: int
    zh: str
    en: str
    short_zh: str
    short_en: str


@dataclass(frozen=True)
class Rule:
    rule: str
    match: str
    target: str
    kinds: tuple[str, ...]
    boards: tuple[str, ...]
    primary: str
    quote: str
    lines: str
    note: str


def boards(path: Path | None = None) -> dict[str, Board]:
    """Board code → Board from data/boards.csv (a plan without boards has an empty table)."""
    return _boards(Path(path or paths.BOARD_TABLE))


@lru_cache(maxsize=4)
def _boards(path: Path) -> dict[str, Board]:
    if not path.exists():
        return {}
    rows = read_table(path, ("board", "box", "zh", "en", "short_zh", "short_en"))
    out = {r["board"]: Board(r["board"], int(r["box"]), r["zh"], r["en"], r["short_zh"], r["short_en"]) for r in rows}
    if out and tuple(out) != BOARD_CODES:
        raise ValidationError(f"boards must be {BOARD_CODES} (or none)", path=str(path))
    return out


def load_rules(gazetteer: Gazetteer, path: Path | None = None) -> list[Rule]:
    """Read and check the rule table: every target must be a gazetteer id (else GazetteerError)."""
    path = path or paths.BOARD_RULES
    rows = read_table(path, ("rule", "match", "target", "kind", "boards", "primary", "quote", "lines", "note"))
    problems = []
    rules = []
    seen = set()
    for row in rows:
        where = f"{path}:{row['_line']}"
        schema_problems = row_problems(row, "board_rule", where)
        if schema_problems:
            problems += schema_problems
            continue
        if row["match"] not in MATCHES:
            problems.append(f"{where}: match must be one of {MATCHES}, not {row['match']!r}")
            continue
        if row["target"] not in gazetteer.places:
            raise GazetteerError(f"rule {row['rule']} names unknown place {row['target']!r}", path=where)
        codes = tuple(b for b in row["boards"].split("|") if b)
        bad = [b for b in (*codes, row["primary"]) if b not in BOARD_CODES]
        if bad or not codes:
            problems.append(f"{where}: unknown or missing board code(s) {bad or codes}")
        if row["primary"] not in codes:
            problems.append(f"{where}: primary {row['primary']!r} is not one of its boards {codes}")
        if not row["quote"]:
            problems.append(f"{where}: rule {row['rule']} has no plan quote")
        key = (row["match"], row["target"], row["kind"])
        if key in seen:
            problems.append(f"{where}: a second rule for {key}")
        seen.add(key)
        rules.append(
            Rule(
                row["rule"],
                row["match"],
                row["target"],
                tuple(k for k in row["kind"].split("|") if k),
                codes,
                row["primary"],
                row["quote"],
                row["lines"],
                row["note"],
            )
        )
    if problems:
        raise ValidationError("board rule table is invalid", path=str(path), problems=problems)
    return rules


class BoardAssigner:
    """Most specific location wins: the place (or an ancestor) → its kind within a county → the county."""

    def __init__(self, gazetteer: Gazetteer, rules: list[Rule]) -> None:
        self.gaz = gazetteer
        self.by_place = {r.target: r for r in rules if r.match == "place"}
        self.by_kind = {(r.target, k): r for r in rules if r.match == "kind_in_county" for k in r.kinds}
        self.by_county = {r.target: r for r in rules if r.match == "county"}

    def rule_for(self, place: Place) -> Rule | None:
        chain = []
        current: Place | None = place
        while current is not None and current.id not in {p.id for p in chain}:
            chain.append(current)
            current = self.gaz.places.get(current.parent) if current.parent else None
        for p in chain:
            if p.id in self.by_place:
                return self.by_place[p.id]
        if len(place.counties) == 1:
            county = place.counties[0]
            for p in chain:
                rule = self.by_kind.get((county, p.kind))
                if rule:
                    return rule
            return self.by_county.get(county)
        return None

    def assign(self, places: list[Place]) -> tuple[list[str], str | None, list[str]]:
        """(boards in canonical order, primary board, ids of the rules used) for a project's sites."""
        found: list[Rule] = [r for r in (self.rule_for(p) for p in places) if r is not None]
        codes = {b for r in found for b in r.boards}
        ordered = [b for b in BOARD_CODES if b in codes]
        primary = found[0].primary if found else None
        return ordered, primary, sorted({r.rule for r in found})

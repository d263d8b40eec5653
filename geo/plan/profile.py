"""The plan profile: what one plan's text cannot say by itself (city, period) and the reviewed overrides."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from geo.core.errors import InputFileError
from geo.plan.detect import PARTS

#: "吉林市国民经济和社会发展第十四个五年（2021-2025 年）…": the city and the period, in the first lines.
TITLE_RE = re.compile(r"(?P<city>[\u4e00-\u9fff]{2,12}?[市州盟])国民经济和社会发展")
PERIOD_RE = re.compile(r"[（(]\s*(?P<start>20\d\d)\s*[-—–~至]\s*(?P<end>20\d\d)\s*年?\s*[）)]")
HEAD_LINES = 40


@dataclass(frozen=True)
class Profile:
    """One plan: its city, its period and the overrides of what the detector infers (docs/PLANS.md)."""

    id: str
    city: str = ""  # adcode of the prefecture-level city; "" = unknown (the gazetteer's city is used)
    city_name: str = ""
    start: int | None = None
    end: int | None = None
    base_year: int | None = None
    parts: dict[str, str] = field(default_factory=dict)  # box title → part (geo.plan.detect.PARTS)
    sectors: dict[str, str] = field(default_factory=dict)  # box title → sector code
    inferred: bool = False

    @property
    def years(self) -> tuple[int, int] | None:
        return (self.base_year, self.end) if self.base_year and self.end else None


def load_profile(path: str | Path) -> Profile:
    """Read a profile.toml; an unreadable, malformed or inconsistent file raises InputFileError naming it."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError("plan profile not found", path=str(p)) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputFileError(f"plan profile is not readable TOML: {exc}", path=str(p)) from None
    plan, period = data.get("plan", {}), data.get("period", {})
    parts, sectors = data.get("parts", {}), data.get("sectors", {})
    bad = [f"{k} = {v!r}" for k, v in parts.items() if v not in PARTS]
    if bad:
        raise InputFileError(f"[parts] must be one of {', '.join(PARTS)}: {'; '.join(bad)}", path=str(p))
    try:
        return Profile(
            id=str(plan.get("id") or p.parent.name),
            city=str(plan.get("city", "")),
            city_name=str(plan.get("city_name", "")),
            start=_year(period.get("start")),
            end=_year(period.get("end")),
            base_year=_year(period.get("base_year")),
            parts={str(k): str(v) for k, v in parts.items()},
            sectors={str(k): str(v) for k, v in sectors.items()},
        )
    except ValueError as exc:
        raise InputFileError(f"plan profile: {exc}", path=str(p)) from None


def _year(value: object) -> int | None:
    if value in (None, ""):
        return None
    if not isinstance(value, int) or not 1949 <= value <= 2100:
        raise ValueError(f"a year must be a whole number such as 2026, not {value!r}")
    return value


def infer_profile(lines: list[str], plan_id: str, years: tuple[int, int] | None, city_adcode: str = "") -> Profile:
    """What the text says of itself: the city in its title, the period in （2021-2025 年）, the base year of its
    indicators table (``years``, else the year before the period)."""
    head = "".join(line.strip() for line in lines[:HEAD_LINES])
    city = TITLE_RE.search(head)
    period = PERIOD_RE.search(head)
    start, end = (int(period["start"]), int(period["end"])) if period else (None, None)
    base = years[0] if years else (start - 1 if start else None)
    return Profile(
        id=plan_id,
        city=city_adcode,
        city_name=city["city"] if city else "",
        start=start,
        end=end if end else (years[1] if years else None),
        base_year=base,
        inferred=True,
    )


def dump_profile(profile: Profile, detected: dict[str, str] | None = None) -> str:
    """The profile as TOML, with the detected part and sector of every box as comments to review and override."""

    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string

    out = [
        "# Plan profile (docs/PLANS.md): what the plan text cannot say by itself, and reviewed overrides.",
        "# Written by `python -m geo build --plan … --out …`: review it, then rerun with --profile.",
        "",
        "[plan]",
        f"id = {q(profile.id)}",
        f"city = {q(profile.city)}  # adcode of the prefecture-level city",
        f"city_name = {q(profile.city_name)}",
        "",
        "[period]",
    ]
    for key in ("start", "end", "base_year"):
        value = getattr(profile, key)
        out.append(f"{key} = {value}" if value else f"# {key} = (not found in the text)")
    out += ["", "# box title = part (" + ", ".join(PARTS) + ")", "[parts]"]
    out += [f"{q(k)} = {q(v)}" for k, v in profile.parts.items()]
    out += ["", "# box title = sector code (data/sectors.csv)", "[sectors]"]
    out += [f"{q(k)} = {q(v)}" for k, v in profile.sectors.items()]
    if detected:
        out += ["", "# What was detected (box title: part / sector); copy a line above to override it:"]
        out += [f"# {title}: {value}" for title, value in detected.items()]
    return "\n".join(out) + "\n"

"""The built plans the app can open: the atlas it was started on, and every built plan under ATLAS_PLANS."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from geo.core.config import Config, current
from geo.core.errors import AtlasError
from geo.plan.profile import load_profile

PLAN_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class PlanChoice:
    """One plan to pick: its id in URLs ("" = the default atlas), its root and its label."""

    id: str
    root: Path
    city_name: str
    start: int | None
    end: int | None
    city_en: str = ""

    def label(self, lang: str) -> str:
        period = f"{self.start}–{self.end}" if self.start and self.end else ""
        if lang == "zh":
            return f"{self.city_name or self.id or '—'} {period}".strip()
        return f"{self.city_en or self.city_name or self.id or '—'} ({period or self.id})"


def _choice(plan_id: str, root: Path) -> PlanChoice:
    profile = root / "profile.toml"
    if not profile.exists():
        profile = root / "data" / "plans" / "jilin-14" / "profile.toml"  # the repository's own plan
    try:
        p = load_profile(profile)
    except AtlasError:
        return PlanChoice(plan_id, root, "", None, None)
    return PlanChoice(plan_id, root, p.city_name, p.start, p.end, _city_en(root))


def _city_en(root: Path) -> str:
    """The English city name of the atlas's city outline (data/boundaries/city.geojson), if it has one."""
    try:
        data = json.loads((root / "data" / "boundaries" / "city.geojson").read_text(encoding="utf-8"))
        return str(data["features"][0]["properties"].get("name_en") or "")
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return ""


def plan_choices(config: Config | None = None) -> dict[str, PlanChoice]:
    """id → plan: the default atlas first (id ""), then each subfolder of ATLAS_PLANS with built projects."""
    config = config or current()
    out = {"": _choice("", config.ROOT)}
    folder = config.plans_dir
    if folder and folder.is_dir():
        for sub in sorted(folder.iterdir()):
            if PLAN_ID_RE.match(sub.name) and (sub / "data" / "projects.geojson").is_file():
                out[sub.name] = _choice(sub.name, sub)
    return out

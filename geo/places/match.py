"""Candidate matching: gazetteer names in text, ambiguous names settled by county context, repeats dropped."""

from __future__ import annotations

import re

from geo.core.domain import Precision
from geo.places.evidence import Match, Site
from geo.places.gazetteer import KINDS, Gazetteer, Place, name_pattern

CITY_WIDE_RE = re.compile(r"全市|各县（市）区|各县\(市\)区|各县市区|市域")
LINE_WORDS_RE = re.compile(r"铁路|高速|国道|省道|公路|线|大桥|航道|航运|管道|输变电|快速路|BRT|轨道交通")
#: Kinds of place that are an area smaller than a county (every gazetteer kind but the administrative and the
#: unlocatable ones).
#: External gazetteer rows that are waypoints, not places a project can be in (the city's own centre point).
OUTSIDE_NOT_A_PLACE = frozenset({"吉林市区"})
AREA_KINDS = frozenset(KINDS) - {"city", "county", "company", "external"}


class PlaceMatcher:
    """Finds gazetteer names in text and settles each to one place (longest match wins; ambiguity reported)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.pattern = name_pattern(gazetteer)

    # ------------------------------------------------------------------ matching

    def find(self, text: str, where: str) -> list[Match]:
        """Leftmost-longest, non-overlapping gazetteer names in ``text``."""
        return [
            Match(m.group(), m.start(), m.end(), where, self.gaz.lookup(m.group())) for m in self.pattern.finditer(text)
        ]

    def place_point(self, place: Place) -> tuple[float | None, float | None, str | None]:
        """The place's own coordinate, else its nearest ancestor's (zone → town)."""
        seen = set()
        current: Place | None = place
        while current is not None and current.id not in seen:
            seen.add(current.id)
            if current.has_point and current.kind not in ("county", "city", "company", "river"):
                return current.lon, current.lat, current.id
            current = self.gaz.places.get(current.parent) if current.parent else None
        return None, None, None

    def _site(self, place: Place, matched: str) -> Site:
        lon, lat, source = self.place_point(place)
        if lon is None:
            return Site(place, matched, Precision.COUNTY)
        own = source == place.id
        precision = Precision.SITE if own and place.coord_precision == Precision.SITE else Precision.TOWN
        return Site(place, matched, precision, lon, lat, source)

    # ------------------------------------------------------------------ resolution

    def _resolve(
        self, matches: list[Match], context_counties: set[str], conflicts: list[str]
    ) -> list[tuple[Match, Place]]:
        """One place per match; ambiguous names are settled by county context, else all kept and reported."""
        out = []
        for m in matches:
            candidates = [p for p in m.places if p.kind != "city"]
            if not candidates:
                continue
            if m.text in self.gaz.unions:  # an abbreviation of several places: every part inside the city
                out.extend((m, p) for p in candidates if p.counties)
                continue
            if len(candidates) > 1:
                candidates = self._most_specific(candidates)
            if len(candidates) > 1:
                narrowed = [p for p in candidates if set(p.counties) & context_counties]
                if len(narrowed) == 1:
                    candidates = narrowed
                elif len({p.counties for p in candidates}) == 1 and candidates[0].counties:
                    # Same county either way (e.g. 小白山 the mountain and 小白山乡): keep the county only.
                    county = self.gaz.places[candidates[0].counties[0]]
                    out.append((m, county))
                    continue
                else:
                    where = "、".join(f"{p.name}（{self._counties_text(p)}）" for p in candidates)
                    # never pick one silently: keep every candidate and say the name is ambiguous
                    conflicts.append(f"“{m.text}” is ambiguous: {where}; all kept, at county level")
                    out.extend((m, p) for p in candidates)
                    continue
            out.append((m, candidates[0]))
        return out

    def _ancestors(self, place: Place) -> set[str]:
        out: set[str] = set()
        current = place
        while current.parent and current.parent not in out:
            out.add(current.parent)
            current = self.gaz.places.get(current.parent, current)
        return out

    def _most_specific(self, candidates: list[Place]) -> list[Place]:
        """Drop candidates that are ancestors of other candidates (小白山乡 vs the mountain 小白山 in it)."""
        ancestors = set().union(*(self._ancestors(p) for p in candidates))
        return [p for p in candidates if p.id not in ancestors]

    def _counties_text(self, place: Place) -> str:
        return "、".join(self.gaz.county_name(c) for c in place.counties) or "outside Jilin City"

    @staticmethod
    def _dedupe(items: list[tuple[Match, Place]], gaz: Gazetteer) -> list[tuple[Match, Place]]:
        """Drop repeated places, and a place whose child (more specific place) is also named."""
        seen: dict[str, tuple[Match, Place]] = {}
        for m, p in items:
            seen.setdefault(p.id, (m, p))
        ids = set(seen)
        parents = set()
        for _, p in seen.values():
            current = p
            hops = 0
            while current.parent and hops < 5:
                parents.add(current.parent)
                current = gaz.places.get(current.parent, current)
                hops += 1
        return [v for k, v in seen.items() if k not in parents or k not in ids]

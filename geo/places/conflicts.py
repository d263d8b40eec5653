"""Conflicts a geocode reports: a county written before a place that lies in another county."""

from __future__ import annotations

from geo.places.evidence import Match
from geo.places.match import AREA_KINDS, PlaceMatcher


class ConflictFinder(PlaceMatcher):
    """The matcher plus the checks that flag contradictory place names."""

    def _adjacency_conflicts(self, name_m: list[Match], conflicts: list[str]) -> None:
        """``桦甸黄松甸``: a county written right before a place that lies in another county."""
        for a, b in zip(name_m, name_m[1:]):
            if a.end != b.start:
                continue
            counties_a = {p.id for p in a.places if p.kind == "county"}
            subs_b = [p for p in b.places if p.kind in AREA_KINDS and p.counties]
            if counties_a and subs_b and not any(set(p.counties) & counties_a for p in subs_b):
                msg = (
                    f"“{a.text}{b.text}”: {b.text} → {subs_b[0].name} is in {self._counties_text(subs_b[0])}, "
                    f"not {'、'.join(self.gaz.county_name(c) for c in sorted(counties_a))}"
                )
                if msg not in conflicts:
                    conflicts.append(msg)

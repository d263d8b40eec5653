"""Locate a project from its name and description with the gazetteer; record precision, evidence and conflicts.

Precision codes (see docs/PRECISION.md): 1 site, 2 town/zone/landmark area, 3 county, 4 city-wide or
unlocatable (listed, never pinned), 5 line (schematic, through sourced waypoints).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from geo.core.errors import GeocodeError
from geo.core.text import clean, has_cjk
from geo.places.gazetteer import Gazetteer, Place, load_gazetteer, name_pattern

PRECISION_LABELS = {1: "site", 2: "town", 3: "county", 4: "city", 5: "line"}
#: How a location was decided (``location_basis``) → its UI string key; anything else is shown as written.
BASIS_KEYS = {
    "name": "basis.name",
    "name county": "basis.name_county",
    "name county + description place": "basis.name_county_place",
    "description": "basis.description",
    "description county": "basis.description_county",
    "company (county only)": "basis.company",
    "city-wide": "basis.city_wide",
    "no-place": "basis.no_place",
    "zone without a sourced county": "basis.zone_unsourced",
    "conflict: stated county vs place": "basis.conflict",
    "counties listed for a city-wide programme": "basis.programme_counties",
    "line through named waypoints": "basis.line",
    "transport table (data/transport.csv): schematic line through named waypoints": "basis.transport_line",
    "transport table (data/transport.csv): facility point": "basis.transport_point",
    "curated": "basis.curated",
}
CITY_WIDE_RE = re.compile(r"全市|各县（市）区|各县\(市\)区|各县市区|市域")
LINE_WORDS_RE = re.compile(r"铁路|高速|国道|省道|公路|线|大桥|航道|航运|管道|输变电|快速路|BRT|轨道交通")
AREA_KINDS = frozenset(
    {
        "town",
        "township",
        "street",
        "zone",
        "area",
        "park",
        "featured_town",
        "landmark",
        "lake",
        "river",
        "village",
        "facility",
    }
)


@dataclass
class Match:
    """A gazetteer name found in the text."""

    text: str
    start: int
    end: int
    field: str  # name | description
    places: list[Place]


@dataclass
class Site:
    """One located component of a project."""

    place: Place
    matched: str
    precision: int
    lon: float | None = None
    lat: float | None = None
    point_from: str | None = None  # gazetteer id whose coordinate is used (the place or its parent)

    def as_dict(self, gaz: Gazetteer) -> dict[str, Any]:
        county = self.place.county
        return {
            "name": self.place.name,
            "matched": self.matched,
            "gazetteer_id": self.place.id,
            "kind": self.place.kind,
            "county": gaz.county_name(county) if county else None,
            "adcode": county,
            "precision": self.precision,
            "lon": self.lon,
            "lat": self.lat,
            "point_from": self.point_from,
        }


@dataclass
class GeocodeResult:
    """Everything the geocoder concluded, with its evidence."""

    text: str
    precision: int
    basis: str
    counties: list[str] = field(default_factory=list)  # adcodes
    sites: list[Site] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    line: list[tuple[float, float]] | None = None
    waypoints: list[dict[str, Any]] = field(default_factory=list)
    gazetteer: Gazetteer | None = None

    @property
    def county(self) -> str | None:
        return self.counties[0] if len(self.counties) == 1 else None

    @property
    def pinned(self) -> list[Site]:
        return [s for s in self.sites if s.lon is not None]

    @property
    def point(self) -> tuple[float, float] | None:
        pinned = self.pinned
        if self.precision <= 2 and len(pinned) == 1:
            return pinned[0].lon, pinned[0].lat
        return None

    def geometry(self) -> dict[str, Any] | None:
        """GeoJSON geometry that claims no more than the precision (None for county/city level)."""
        if self.precision == 5 and self.line and len(self.line) >= 2:
            return {"type": "LineString", "coordinates": [list(p) for p in self.line]}
        if self.precision <= 2:
            pinned = self.pinned
            if len(pinned) == 1:
                return {"type": "Point", "coordinates": [pinned[0].lon, pinned[0].lat]}
            if len(pinned) > 1:
                return {"type": "MultiPoint", "coordinates": [[s.lon, s.lat] for s in pinned]}
        return None

    def _place_of(self, kinds: set[str]) -> Place | None:
        for site in self.sites:
            if site.place.kind in kinds:
                return site.place
            parent = self.gazetteer.places.get(site.place.parent) if site.place.parent else None
            if parent is not None and parent.kind in kinds:
                return parent
        return None

    def summary(self) -> dict[str, Any]:
        """The JSON object printed by ``python -m geo geocode``."""
        gaz = self.gazetteer
        town = self._place_of({"town", "township", "street"})
        zone = self._place_of({"zone", "park", "area", "featured_town"})
        point = self.point
        return {
            "text": self.text,
            "county": gaz.county_name(self.county) if self.county else None,
            "adcode": self.county,
            "counties": [gaz.county_name(c) for c in self.counties],
            "adcodes": list(self.counties),
            "town": town.name if town else None,
            "zone": zone.name if zone else None,
            "precision": self.precision,
            "precision_label": PRECISION_LABELS[self.precision],
            "basis": self.basis,
            "matched": [m.text for m in self.matches],
            "gazetteer_ids": sorted({s.place.id for s in self.sites}),
            "lon": point[0] if point else None,
            "lat": point[1] if point else None,
            "multi_site": len(self.sites) > 1,
            "sites": [s.as_dict(gaz) for s in self.sites],
            "waypoints": self.waypoints,
            "conflicts": self.conflicts,
            "notes": self.notes,
        }


class Geocoder:
    """Gazetteer-based geocoder: longest match wins, several places → multi-site, conflicts flagged."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.pattern = name_pattern(gazetteer)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Geocoder:
        return cls(load_gazetteer())

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
            return Site(place, matched, 3)
        own = source == place.id
        precision = 1 if own and place.coord_precision == 1 else 2
        return Site(place, matched, precision, lon, lat, source)

    # ------------------------------------------------------------------ resolution

    def _resolve(
        self, matches: list[Match], context_counties: set[str], conflicts: list[str]
    ) -> list[tuple[Match, Place]]:
        """One place per match; ambiguous names are settled by county context or reported."""
        out = []
        for m in matches:
            candidates = [p for p in m.places if p.kind != "city"]
            if not candidates:
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
                    conflicts.append(f"“{m.text}” is ambiguous: {where}; not used")
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

    def geocode(self, name: str, description: str = "") -> GeocodeResult:
        """Locate one project (or any text). Raises GeocodeError on empty input."""
        if name is None or not str(name).strip():
            raise GeocodeError("empty text: nothing to geocode")
        name_c, desc_c = clean(str(name)), clean(str(description or ""))
        full = name_c + ("：" + desc_c if desc_c else "")
        if not has_cjk(full):
            raise GeocodeError(f"no Chinese text in {full[:40]!r}: place names are matched in Chinese only")
        result = GeocodeResult(text=full, precision=4, basis="no-place", gazetteer=self.gaz)
        name_m, desc_m = self.find(name_c, "name"), self.find(desc_c, "description")
        result.matches = name_m + desc_m
        city_wide = bool(CITY_WIDE_RE.search(full))

        name_counties = {p.id for m in name_m for p in m.places if p.kind == "county"}
        desc_counties = {p.id for m in desc_m for p in m.places if p.kind == "county"}
        conflicts = result.conflicts
        name_places = self._resolve(name_m, name_counties or desc_counties, conflicts)
        desc_places = self._resolve(desc_m, name_counties | desc_counties, conflicts)

        self._adjacency_conflicts(name_m, conflicts)
        name_sub = [(m, p) for m, p in name_places if p.kind in AREA_KINDS and p.counties]
        name_cty = [(m, p) for m, p in name_places if p.kind == "county"]
        name_unsourced = [(m, p) for m, p in name_places if p.kind in AREA_KINDS and not p.counties]
        desc_sub = [(m, p) for m, p in desc_places if p.kind in AREA_KINDS and p.counties]
        desc_cty = [(m, p) for m, p in desc_places if p.kind == "county"]
        companies = [(m, p) for m, p in name_places + desc_places if p.kind == "company" and p.counties]
        all_units = len(self.gaz.county_names)

        # Name-level places whose county contradicts a county the name states explicitly: keep both
        # counties and flag it; the planner decides (curation), the geocoder does not pick one.
        contradicted = False
        if name_cty:
            stated = {p.id for _, p in name_cty}
            for m, p in list(name_sub):
                if not set(p.counties) & stated:
                    contradicted = True
                    message = (
                        f"“{m.text}” → {p.name} is in {self._counties_text(p)}, but the name says "
                        f"{'、'.join(self.gaz.county_name(c) for c in sorted(stated))}"
                    )
                    if not any(f": {m.text} → " in c for c in conflicts):
                        conflicts.append(message)

        def uncovered(
            counties: list[tuple[Match, Place]], subs: list[tuple[Match, Place]]
        ) -> list[tuple[Match, Place]]:
            covered = {c for _, p in subs for c in p.counties}
            return [(m, p) for m, p in counties if p.id not in covered]

        chosen: list[tuple[Match, Place]]
        city_wide_name = bool(CITY_WIDE_RE.search(name_c))
        if city_wide_name and not name_sub and not name_cty:
            listed = {p.id for _, p in desc_cty}
            if 2 <= len(listed) < all_units:
                chosen, basis = desc_cty, "counties listed for a city-wide programme"
            else:
                chosen, basis = [], "city-wide"
        elif name_sub and contradicted:
            chosen = name_cty + name_sub
            basis = "conflict: stated county vs place"
        elif name_sub:
            chosen = name_sub + uncovered(name_cty, name_sub)
            basis = "name"
        elif name_cty:
            stated = {p.id for _, p in name_cty}
            refine = [(m, p) for m, p in desc_sub if set(p.counties) <= stated]
            for m, p in desc_sub:
                if not set(p.counties) & stated:
                    result.notes.append(
                        f"the description mentions “{m.text}” → {p.name} ({self._counties_text(p)}), "
                        f"outside the county the name states; not used"
                    )
            chosen = refine + uncovered(name_cty, refine) if refine else name_cty
            basis = "name county + description place" if refine else "name county"
        elif name_unsourced:
            chosen = []
            basis = "zone without a sourced county"
            for m, p in name_unsourced:
                result.sites.append(Site(p, m.text, 4))
                result.notes.append(f"{p.name}: the gazetteer has no sourced county for it yet")
        elif desc_sub or desc_cty:
            chosen = desc_sub + uncovered(desc_cty, desc_sub)
            basis = "description"
        elif companies:
            chosen = companies
            basis = "company (county only)"
        else:
            chosen = []
            basis = "city-wide" if city_wide else "no-place"

        chosen = self._dedupe(chosen, self.gaz)
        if not chosen:
            result.precision, result.basis = 4, basis
            if basis == "city-wide":
                result.notes.append("the text names the whole city (全市/各县（市）区): listed, not pinned")
            elif basis == "no-place":
                result.notes.append("no place in the gazetteer is named: listed, not pinned")
            return result
        all_counties = sorted({c for _, p in chosen for c in p.counties})

        result.basis = basis
        result.counties = all_counties
        for m, p in chosen:
            if p.kind == "county":
                result.sites.append(Site(p, m.text, 3))
            elif p.kind == "company":
                result.sites.append(Site(p, m.text, 3))
                result.notes.append(f"{p.name} is a company: its county is known, not the project's site")
            else:
                result.sites.append(self._site(p, m.text))
        for site in result.sites:
            if site.point_from and site.point_from != site.place.id:
                src = self.gaz.places[site.point_from]
                result.notes.append(f"{site.place.name} has no sourced point of its own: shown at {src.name}")
        precisions = [s.precision for s in result.sites]
        result.precision = max(precisions)
        if basis.startswith("conflict"):
            result.precision = max(result.precision, 3)
        self._line(result, full)
        return result

    # ------------------------------------------------------------------ special cases

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

    def waypoint_point(self, place: Place) -> tuple[float | None, float | None, str | None, str | None]:
        """The most specific sourced point of a waypoint: its own or an ancestor's, else its county seat."""
        if place.kind == "city":
            place = self.gaz.places.get("ext:jilin-city", place)
        lon, lat, source = self.place_point(place)
        if lon is None and place.has_point and place.kind in ("external",):
            lon, lat, source = place.lon, place.lat, place.id
        fallback = None
        if lon is None:
            for county in place.counties[:1]:
                seat = self.gaz.places.get(f"seat:{county}")
                if seat is not None:
                    lon, lat, source = self.place_point(seat)
                    if lon is not None:
                        fallback = (
                            f"{place.name} has no sourced point: drawn at the seat of {self.gaz.county_name(county)}"
                        )
        return lon, lat, source, fallback

    def waypoint(self, text: str) -> dict[str, Any] | None:
        """A waypoint name → its place and the most specific sourced point (falls back to the county seat)."""
        found = [m for m in self.find(text, "name") if m.places]
        if not found:
            return None
        m = max(found, key=lambda x: len(x.text))
        place = next((p for p in m.places if p.kind != "city"), m.places[0])
        lon, lat, source, fallback = self.waypoint_point(place)
        return {
            "name": text,
            "place": place.name,
            "gazetteer_id": place.id,
            "lon": lon,
            "lat": lat,
            "point_from": source,
            "fallback": fallback,
        }

    def _line(self, result: GeocodeResult, text: str) -> None:
        """Transport text ``A至B…``: draw a schematic line through the named waypoints (precision 5)."""
        head = text.split("：", 1)[0]
        if not LINE_WORDS_RE.search(head):
            return
        if "至" not in head and "—" not in head:
            if result.precision <= 2:
                result.precision = 3
                result.notes.append("a line-shaped project (road, railway, pipeline…) without waypoints: county level")
            return
        points = []
        waypoints = []
        for m in result.matches:
            if m.field != "name":
                continue
            wp = self.waypoint(m.text)
            if wp and wp["lon"] is not None:
                waypoints.append(wp)
                points.append((wp["lon"], wp["lat"]))
        if len(points) >= 2 and len(set(points)) >= 2:
            result.precision, result.basis = 5, "line through named waypoints"
            result.line, result.waypoints = points, waypoints
        elif result.precision <= 2:
            # A road or railway is not at the one town it names: keep it at county level.
            result.precision = 3
            result.notes.append("a line with fewer than two sourced waypoints: not drawn, kept at county level")

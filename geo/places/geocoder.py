"""The Geocoder: locate a project from its name and description; precision, evidence and conflicts come from its parts."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from geo.core.domain import Precision
from geo.core.errors import GeocodeError
from geo.core.text import clean, has_cjk
from geo.places.conflicts import ConflictFinder
from geo.places.evidence import GeocodeResult, Match, Site
from geo.places.gazetteer import Place, load_gazetteer
from geo.places.match import AREA_KINDS, CITY_WIDE_RE, LINE_WORDS_RE, OUTSIDE_NOT_A_PLACE


class Geocoder(ConflictFinder):
    """Gazetteer-based geocoder: longest match wins, several places → multi-site, conflicts flagged."""

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Geocoder:
        return cls(load_gazetteer())

    # ------------------------------------------------------------------ resolution

    def _outside(self, name: str, matches: list) -> list[str]:
        """Places outside the city (kind external, no county) that the project name names, unless the name also
        names the city itself (a cross-city line: 吉林—延吉) or a boundary (吉林长春界段: the section up to it)."""
        city = next((p.name for p in self.gaz.places.values() if p.kind == "city"), "")
        short = city[:-1] if city.endswith("市") else city
        if "界" in name or (short and short in name):
            return []
        names = [p.name for m in matches for p in m.places if p.kind == "external" and not p.counties]
        return list(dict.fromkeys(n for n in names if n not in OUTSIDE_NOT_A_PLACE))

    def geocode(self, name: str, description: str = "") -> GeocodeResult:  # noqa: C901 - the precision decision tree of docs/PRECISION.md, kept in one place on purpose
        """Locate one project (or any text). Raises GeocodeError on empty input."""
        if name is None or not str(name).strip():
            raise GeocodeError("empty text: nothing to geocode")
        name_c, desc_c = clean(str(name)), clean(str(description or ""))
        full = name_c + ("：" + desc_c if desc_c else "")
        if not has_cjk(full):
            raise GeocodeError(f"no Chinese text in {full[:40]!r}: place names are matched in Chinese only")
        result = GeocodeResult(text=full, precision=Precision.CITY, basis="no-place", gazetteer=self.gaz)
        name_m, desc_m = self.find(name_c, "name"), self.find(desc_c, "description")
        result.matches = name_m + desc_m
        city_wide = bool(CITY_WIDE_RE.search(full))

        name_counties = {p.id for m in name_m for p in m.places if p.kind == "county"}
        desc_counties = {p.id for m in desc_m for p in m.places if p.kind == "county"}
        conflicts = result.conflicts
        name_places = self._resolve(name_m, name_counties or desc_counties, conflicts)
        desc_places = self._resolve(desc_m, name_counties | desc_counties, conflicts)

        self._adjacency_conflicts(name_m, conflicts)
        for m in dict.fromkeys(m.text for m in result.matches if m.text in self.gaz.unions):
            parts = [self.gaz.places[i] for i in self.gaz.unions[m]]
            outside = [p.name for p in parts if not p.counties]
            result.notes.append(
                f"{m} abbreviates {'、'.join(p.name for p in parts)}"
                + (f"; {'、'.join(outside)} is outside Jilin City: recorded, not counted" if outside else "")
            )
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
                result.sites.append(Site(p, m.text, Precision.CITY))
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
        for _, p in chosen:  # a place whose county sources disagree (data/gazetteer/county_sources.csv)
            if p.county_conflict and p.county_conflict not in conflicts:
                conflicts.append(p.county_conflict)
        outside = self._outside(name_c, name_m) if not chosen and basis == "no-place" else []
        if outside:
            result.precision, result.basis, result.outside = Precision.OUTSIDE, "outside the city", outside
            result.notes.append(
                f"the name places it outside the city ({'、'.join(outside)}): listed apart, not counted"
            )
            return result
        if not chosen:
            result.precision, result.basis = Precision.CITY, basis
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
                result.sites.append(Site(p, m.text, Precision.COUNTY))
            elif p.kind == "company":
                result.sites.append(Site(p, m.text, Precision.COUNTY))
                result.notes.append(f"{p.name} is a company: its county is known, not the project's site")
            else:
                result.sites.append(self._site(p, m.text))
        for site in result.sites:
            p = site.place
            quoted = p.evidence_lines and any(n in p.evidence for n in (p.name, *p.names))  # a quote, not a remark
            if (
                site.precision == Precision.COUNTY
                and p.kind not in ("county", "company")
                and quoted
                and not p.county_conflict
            ):
                # the county comes from another sentence of the plan: quote it
                where = "、".join(self.gaz.county_name(c) for c in p.counties)
                result.notes.append(f"{p.name} is in {where} by the plan, line {p.evidence_lines}: “{p.evidence}”")
            if site.point_from and site.point_from != site.place.id:
                src = self.gaz.places[site.point_from]
                result.notes.append(f"{site.place.name} has no sourced point of its own: shown at {src.name}")
        precisions = [s.precision for s in result.sites]
        result.precision = max(precisions)
        if basis.startswith("conflict") or any("is ambiguous" in c for c in result.conflicts):
            result.precision = max(result.precision, Precision.COUNTY)  # no pin on a contested place
        self._line(result, full)
        return result

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
            if result.precision <= Precision.TOWN:
                result.precision = Precision.COUNTY
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
            result.precision, result.basis = Precision.LINE, "line through named waypoints"
            result.line, result.waypoints = points, waypoints
        elif result.precision <= Precision.TOWN:
            # A road or railway is not at the one town it names: keep it at county level.
            result.precision = Precision.COUNTY
            result.notes.append("a line with fewer than two sourced waypoints: not drawn, kept at county level")

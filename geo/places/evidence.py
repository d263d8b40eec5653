"""What a geocode found and why: matches, sites with their precision, the result with its evidence and conflicts.

Precision codes (see docs/PRECISION.md): 1 site, 2 town/zone/landmark area, 3 county, 4 city-wide or
unlocatable (listed, never pinned), 5 line (schematic, through sourced waypoints).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from geo.core.domain import PRECISION_LABELS, Precision
from geo.places.gazetteer import Gazetteer, Place

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
    "outside the city": "basis.outside",
    "reviewed counties (data/location_reviews.csv)": "basis.reviewed",
}


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
            "uncertainty_m": gaz.places[self.point_from].coord_uncertainty_m if self.point_from else None,
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
    outside: list[str] = field(default_factory=list)  # places outside the city the name names (Precision.OUTSIDE)

    @property
    def county(self) -> str | None:
        return self.counties[0] if len(self.counties) == 1 else None

    @property
    def pinned(self) -> list[Site]:
        return [s for s in self.sites if s.lon is not None]

    @property
    def point(self) -> tuple[float, float] | None:
        pinned = self.pinned
        if self.precision <= Precision.TOWN and len(pinned) == 1:
            return pinned[0].lon, pinned[0].lat
        return None

    def geometry(self) -> dict[str, Any] | None:
        """GeoJSON geometry that claims no more than the precision (None for county/city level)."""
        if self.precision == Precision.LINE and self.line and len(self.line) >= 2:
            return {"type": "LineString", "coordinates": [list(p) for p in self.line]}
        if self.precision <= Precision.TOWN:
            pinned = self.pinned
            if len(pinned) == 1:
                return {"type": "Point", "coordinates": [pinned[0].lon, pinned[0].lat]}
            if len(pinned) > 1:
                return {"type": "MultiPoint", "coordinates": [[s.lon, s.lat] for s in pinned]}
        return None

    def uncertainty_m(self) -> int | None:
        """The radius of the drawn point(s): the largest of the pinned sites' (None when nothing is a point)."""
        geom = self.geometry()
        if not geom or geom["type"] not in ("Point", "MultiPoint"):
            return None
        radii = [self.gazetteer.places[s.point_from].coord_uncertainty_m for s in self.pinned]
        return max(r for r in radii if r is not None) if any(r is not None for r in radii) else None

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
            "uncertainty_m": self.uncertainty_m(),
            "waypoints": self.waypoints,
            "conflicts": self.conflicts,
            "notes": self.notes,
            "outside": self.outside,
        }

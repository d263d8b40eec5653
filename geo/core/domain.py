"""Domain words defined once: precision codes, languages, board codes and basemap names."""

from __future__ import annotations

from enum import IntEnum


class Precision(IntEnum):
    """How exactly a project is located (docs/PRECISION.md); the number is what the files store."""

    SITE = 1  # a sourced point of the facility itself
    TOWN = 2  # a town, zone or landmark area
    COUNTY = 3  # county-level: listed and counted, shown as a county badge
    CITY = 4  # city-wide or unlocatable: listed, never pinned
    LINE = 5  # a schematic line through sourced waypoints
    OUTSIDE = 6  # the project names only places outside the city: listed apart, never counted as city-wide


PRECISION_LABELS = {p: p.name.lower() for p in Precision}
PINNED = (Precision.SITE, Precision.TOWN)  # precisions drawn as a point on the map

LANGS = ("zh", "en")
BOARD_CODES = ("north", "west", "central", "south")
BASEMAP_NAMES = ("none", "carto", "osm", "tianditu", "gaode")
#: Map layers a person can switch on and off (the order of the layers control).
LAYER_NAMES = ("counties", "boards", "layout", "towns", "transport", "projects", "county_counts")

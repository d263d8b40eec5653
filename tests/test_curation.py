"""Curation on both backends for real (SQLite file, PostgreSQL + PostGIS server): edits, history, reverts,
conflicts, crash consistency, corrections round trip, GCJ-02 input, county checks, SQL built with parameters."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from conftest import run_cli
from pg import TempPostgres, bindir, postgis_available

from geo.core.coords import gcj_to_wgs, wgs_to_gcj
from geo.core.errors import AuthError, EditConflictError, ValidationError
from geo.curation.auth import EditorGate, configured_token
from geo.curation.corrections import apply_corrections, edits_from_file, export_text, import_rows, read_corrections
from geo.curation.service import prepare_location, save_correction
from geo.curation.store import NewLocation, PostgresStore, SQLiteStore, open_store
from geo.places.boundaries import load_counties

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "'); DROP TABLE edits;--"


@pytest.fixture(scope="session")
def pg_server():
    if bindir() is None or not postgis_available():
        if os.environ.get("ATLAS_REQUIRE_PG") == "1":
            pytest.fail("PostgreSQL + PostGIS are required (bash scripts/setup.sh dev installs them)")
        pytest.skip("PostgreSQL/PostGIS not installed")
    server = TempPostgres()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    if request.param == "sqlite":
        return SQLiteStore(tmp_path / "curation.sqlite")
    server = request.getfixturevalue("pg_server")
    return PostgresStore(server.new_database("t_" + uuid.uuid4().hex[:12]))


@pytest.fixture(scope="module")
def counties():
    return load_counties()


def loc(lon=126.46815, lat=44.08749, precision=2, adcode="220203"):
    return NewLocation(lon, lat, precision, adcode)


def test_schema_is_created_and_migrations_are_idempotent(store):
    version = store.schema_version()
    assert version == (1 if isinstance(store, SQLiteStore) else 2)
    assert store.migrate() == version


def test_create_history_and_current(store):
    assert store.version("B05-05") == 0 and store.current() == {}
    first = store.propose("B05-05", 0, loc(), None, editor="王规划", source="现场核实", comment="乌拉街")
    assert first.version == 1 and first.kind == "edit"
    second = store.propose("B05-05", 1, loc(126.47, 44.09), loc(), editor="李工", source="规划图")
    assert store.version("B05-05") == 2
    assert [e.id for e in store.history("B05-05")] == [first.id, second.id]
    current = store.current()["B05-05"]
    assert (current.new_lon, current.new_lat, current.editor) == (126.47, 44.09, "李工")
    assert current.old_lon == 126.46815  # the history keeps who moved it from where
    assert "curated by 李工 from source 规划图" in current.provenance()


def test_revert(store):
    store.propose("B04-02", 0, loc(126.5, 43.5, 2, "220221"), None, editor="a", source="s1")
    second = store.propose(
        "B04-02", 1, loc(126.6, 43.45, 1, "220221"), loc(126.5, 43.5, 2, "220221"), editor="b", source="s2"
    )
    revert = store.revert(second.id, 2, editor="c", reason="wrong resort")
    assert revert.kind == "revert" and revert.reverts == second.id
    assert (store.current()["B04-02"].new_lon, store.current()["B04-02"].new_lat) == (126.5, 43.5)
    first = store.history("B04-02")[0]
    store.revert(first.id, 3, editor="c", reason="back to the plan's location")
    assert "B04-02" not in store.current()  # back to the automatic geocode
    assert len(store.history("B04-02")) == 4  # nothing was deleted


def test_conflicting_edits_are_detected(store):
    seen_by_a = seen_by_b = store.version("B13-06")
    store.propose("B13-06", seen_by_a, loc(126.1, 43.8, 2, "220221"), None, editor="A", source="x")
    with pytest.raises(EditConflictError, match="changed by A"):
        store.propose("B13-06", seen_by_b, loc(126.2, 43.8, 2, "220221"), None, editor="B", source="y")
    assert [e.editor for e in store.history("B13-06")] == ["A"]


def test_concurrent_editors_only_one_wins(store):
    results: list[str] = []

    def attempt(i: int) -> None:
        try:
            store.propose("B09-02", 0, loc(127.3, 43.7, 3 if False else 2, "220281"), None, editor=f"e{i}", source="s")
            results.append("ok")
        except EditConflictError:
            results.append("conflict")

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["conflict"] * 7 + ["ok"]
    assert len(store.history("B09-02")) == 1 and store.version("B09-02") == 1


def test_crash_between_write_and_commit_leaves_no_half_edit(store, tmp_path):
    store.propose("B26-01", 0, loc(126.65, 43.75, 2, "220211"), None, editor="a", source="s")
    target = store.path if isinstance(store, SQLiteStore) else store.url
    code = (
        f"import os, sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from geo.curation.store import open_store, NewLocation\n"
        f"s = open_store({str(target)!r})\n"
        "s.before_commit = lambda: os._exit(9)\n"
        "s.propose('B26-01', 1, NewLocation(126.7, 43.7, 2, '220211'), None, editor='crash', source='s')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 9, proc.stderr  # the process died inside the transaction
    reopened = open_store(str(target))
    assert [e.editor for e in reopened.history("B26-01")] == ["a"]
    assert reopened.version("B26-01") == 1
    assert reopened.propose("B26-01", 1, loc(126.7, 43.7, 2, "220211"), None, editor="after", source="s").version == 2


def test_sql_is_built_with_parameters(store):
    edit = store.propose(
        HOSTILE, 0, loc(), None, editor=HOSTILE, source=HOSTILE, comment='"; DELETE FROM project_state; --'
    )
    assert edit.editor == HOSTILE and edit.project_id == HOSTILE
    assert store.history(HOSTILE)[0].source == HOSTILE
    assert len(store.all_edits()) == 1 and store.version(HOSTILE) == 1  # the tables are intact


def test_corrections_file_round_trip(store, tmp_path):
    store.propose("B05-05", 0, loc(), None, editor="王规划", source="现场核实, 2026-11")
    store.propose("B27-10", 0, NewLocation(None, None, 3, "220221"), None, editor="李工", source="规划图")
    text = export_text(store)
    path = tmp_path / "corrections.csv"
    path.write_text(text, encoding="utf-8")
    fresh = SQLiteStore(tmp_path / "fresh.sqlite")
    assert import_rows(fresh, read_corrections(path)) == 2
    assert import_rows(fresh, read_corrections(path)) == 0  # importing twice changes nothing

    def strip(t):
        return [line.rsplit(",", 3)[0] for line in t.splitlines()]  # ignore edit ids

    assert strip(export_text(fresh)) == strip(text)
    assert set(edits_from_file(path)) == {"B05-05", "B27-10"}


def test_gcj02_input_is_converted(counties):
    wgs = (126.55, 43.84)  # in 船营区/昌邑区's urban area
    gcj = wgs_to_gcj(*wgs)
    adcode = counties[counties.covers(__import__("shapely").Point(*wgs))].iloc[0]["adcode"]
    location = prepare_location(
        lon=gcj[0], lat=gcj[1], input_crs="GCJ-02", precision=1, adcode=adcode, counties=counties
    )
    assert location.lon == pytest.approx(wgs[0], abs=1e-6) and location.lat == pytest.approx(wgs[1], abs=1e-6)
    assert (location.input_lon, location.input_lat) == gcj
    # a known pair from another implementation (eviltransform): GCJ (39.91334545536069, 116.38404722455657) → WGS
    assert gcj_to_wgs(116.38404722455657, 39.91334545536069) == pytest.approx((116.377817, 39.911954), abs=1e-6)


def test_point_outside_its_county_is_rejected_unless_the_county_changes(counties):
    with pytest.raises(ValidationError) as info:
        prepare_location(
            lon=126.46815, lat=44.08749, input_crs="WGS84", precision=2, adcode="220284", counties=counties
        )
    assert "outside the county" in info.value.problems[0] and "龙潭区" in info.value.problems[0]
    ok = prepare_location(
        lon=126.46815, lat=44.08749, input_crs="WGS84", precision=2, adcode="220203", counties=counties
    )
    assert ok.adcode == "220203"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lon": None, "lat": None, "precision": 2}, "needs a longitude and latitude"),
        ({"lon": 126.5, "lat": 43.7, "precision": 3}, "county-level location has no point"),
        ({"lon": 126.5, "lat": 43.7, "precision": 9}, "precision"),
        ({"lon": float("nan"), "lat": 43.7, "precision": 1}, "needs a longitude"),
        ({"input_crs": "BD-09"}, "input_crs"),
    ],
)
def test_bad_input_is_refused(counties, kwargs, message):
    args = {
        "lon": 126.5,
        "lat": 43.7,
        "input_crs": "WGS84",
        "precision": 2,
        "adcode": "220221",
        "counties": counties,
    } | kwargs
    with pytest.raises(ValidationError) as info:
        prepare_location(**args)
    assert any(message in p for p in info.value.problems)


def test_source_and_editor_are_required(tmp_path, counties):
    store = SQLiteStore(tmp_path / "c.sqlite")
    project = {"id": "B05-05", "precision": 2, "adcode": "220203", "geometry": None}
    with pytest.raises(ValidationError) as info:
        save_correction(store, project, 0, loc(), editor="  ", source="")
    assert {p.split(":")[0] for p in info.value.problems} == {"editor", "source"}
    assert store.all_edits() == []


def test_the_build_applies_corrections(tmp_path, counties, projects):
    features = [{"id": f["id"], "properties": f["properties"], "geometry": f["geometry"]} for f in projects["features"]]
    path = tmp_path / "corrections.csv"
    path.write_text(
        "project_id,lon,lat,precision,adcode,editor,source,date,edit_id,comment\n"
        "B27-01,126.55,43.84,1,220204,王规划,现场核实,2026-11-29,7,\n",
        encoding="utf-8",
    )
    out = {f["id"]: f for f in apply_corrections(features, edits_from_file(path), counties)}
    p = out["B27-01"]["properties"]
    assert p["curated"] and p["precision"] == 1 and list(out["B27-01"]["geometry"]["coordinates"]) == [126.55, 43.84]
    assert p["curation"] == "curated by 王规划 from source 现场核实 on 2026-11-29"
    bad = tmp_path / "bad.csv"
    bad.write_text(path.read_text(encoding="utf-8").replace("220204", "220284"), encoding="utf-8")
    with pytest.raises(ValidationError, match="cannot be applied"):
        apply_corrections(features, edits_from_file(bad), counties)


def test_cli_export_and_import(tmp_path):
    db = tmp_path / "cli.sqlite"
    SQLiteStore(db).propose("B05-05", 0, loc(), None, editor="王", source="现场")
    out = tmp_path / "corrections.csv"
    proc = run_cli("corrections", "export", "--db", str(db), "--file", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "1 curated" in proc.stdout
    assert "B05-05,126.468150,44.087490,2,220203,王,现场" in out.read_text(encoding="utf-8")
    proc = run_cli("corrections", "import", "--db", str(tmp_path / "other.sqlite"), "--file", str(out))
    assert proc.returncode == 0 and "imported 1" in proc.stdout
    imported = SQLiteStore(tmp_path / "other.sqlite").current()
    assert set(imported) == {"B05-05"}  # the edit arrived in the other database, not just a message


def test_gate_compares_tokens_and_locks_out():
    clock = [0.0]
    gate = EditorGate(
        "a-long-enough-token",
        clock=lambda: clock[0],
        max_failures=3,
        max_global_failures=5,
        lockout=60,
        sleep=lambda s: None,
    )
    assert gate.check("a-long-enough-token", "s1")
    for _ in range(3):
        assert not gate.check("nope", "s1")
    with pytest.raises(AuthError, match="too many"):
        gate.check("a-long-enough-token", "s1")
    assert not gate.check("nope", "s2") and not gate.check("nope", "s3")  # 5 failures server-wide
    assert gate.check("a-long-enough-token", "s4")  # other clients' failures never lock out the right token
    clock[0] = 61.0
    assert gate.check("a-long-enough-token", "s1")  # the lockout expires
    assert not EditorGate(None).enabled and not EditorGate(None).check("")
    assert configured_token({"editor_token": "short"}) is None

"""Edit mode security and flow in the app (AppTest): absent without a secret, wrong tokens rejected and rate-limited,
nothing editable from the URL, a saved correction shows on the map with its provenance."""

from __future__ import annotations

import pytest
from test_app import map_points, run

from geo.curation.store import SQLiteStore

TOKEN = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ATLAS_OFFLINE", "1")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ATLAS_DB_URL", raising=False)
    return tmp_path


def keys(at) -> set[str]:
    return {w.key for w in [*at.text_input, *at.button, *at.number_input, *at.selectbox, *at.radio] if w.key}


def test_edit_controls_are_absent_without_a_secret(monkeypatch):
    monkeypatch.delenv("ATLAS_EDITOR_TOKEN", raising=False)
    at = run({"p": "B05-05"})
    assert not at.exception
    assert not {k for k in keys(at) if k.startswith(("edit_", "btn_unlock", "btn_save"))}


def test_a_short_token_does_not_enable_editing(monkeypatch):
    monkeypatch.setenv("ATLAS_EDITOR_TOKEN", "1234")
    at = run()
    assert "edit_token" not in keys(at)


def test_wrong_token_is_rejected_and_rate_limited(monkeypatch):
    monkeypatch.setenv("ATLAS_EDITOR_TOKEN", TOKEN + "-rl")
    at = run({"p": "B05-05"})
    for attempt in range(5):
        at.text_input(key="edit_token").set_value(f"guess-{attempt}")
        at.button(key="btn_unlock").click().run()
        assert any("口令不正确" in e.value for e in at.error)
        assert "btn_save" not in keys(at)
    at.text_input(key="edit_token").set_value(TOKEN + "-rl")  # even the right token waits after 5 failures
    at.button(key="btn_unlock").click().run()
    assert any("too many wrong tokens" in e.value for e in at.error)
    assert "btn_save" not in keys(at)


def test_edits_cannot_be_made_through_query_parameters(monkeypatch, environment):
    monkeypatch.setenv("ATLAS_EDITOR_TOKEN", TOKEN)
    at = run({"p": "B05-05", "lon": "126.5", "lat": "44.0", "save": "1", "editor": "x", "source": "y", "token": TOKEN})
    assert not at.exception
    assert at.warning  # the unknown parameters are named and ignored
    assert "btn_save" not in keys(at)
    assert (
        not (environment / "curation.sqlite").exists() or SQLiteStore(environment / "curation.sqlite").all_edits() == []
    )


def test_a_correction_is_saved_with_provenance_and_shown(monkeypatch, environment):
    monkeypatch.setenv("ATLAS_EDITOR_TOKEN", TOKEN)
    at = run({"p": "B27-01"})  # 吉林市中心医院: county level in the plan
    before = len(map_points(at)["lat"])
    at.text_input(key="edit_token").set_value(TOKEN)
    at.button(key="btn_unlock").click().run()
    assert "btn_save" in keys(at)
    at.radio(key="edit_crs").set_value("GCJ-02")
    at.number_input(key="edit_lon").set_value(126.555689)
    at.number_input(key="edit_lat").set_value(43.842252)
    at.selectbox(key="edit_precision").set_value(1)
    at.selectbox(key="edit_county").set_value("220204")
    at.button(key="btn_save").click().run()
    assert any("source: required" in e.value for e in at.error)  # no source, no save
    at.text_input(key="edit_source").set_value("现场核实'); DROP TABLE edits;--")
    at.text_input(key="edit_editor").set_value("王规划")
    at.button(key="btn_save").click().run()
    assert not at.exception and any("已保存" in s.value for s in at.success), [e.value for e in at.error]
    edits = SQLiteStore(environment / "curation.sqlite").all_edits()
    assert len(edits) == 1 and edits[0].input_crs == "GCJ-02" and edits[0].source.startswith("现场核实'); DROP")
    assert abs(edits[0].new_lon - 126.55) < 1e-4 and abs(edits[0].new_lat - 43.84) < 1e-4  # converted to WGS84
    assert len(map_points(at)["lat"]) == before + 1  # the curated point is on the map now
    details = " ".join(str(t.value) for t in at.table)
    assert "curated by 王规划" in details

"""The Streamlit app driven with AppTest: filters, numbers equal geo/ results, URL state, bad input, escaping."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from apptest_helpers import map_script, marker_payload, start, widget
from conftest import ROOT

from geo.analysis.filters import apply_filters
from geo.analysis.stats import count_by_board, count_by_county
from geo.analysis.viewstate import ViewState
from geo.atlas import load_atlas

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("ATLAS_OFFLINE", "1")


@pytest.fixture(scope="module")
def data():
    return load_atlas()


run = start  # a fresh session opened on a URL's query (shared with the journey tests)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def frame_with(at, column: str):
    for df in [*at.dataframe, *at.table]:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with column {column!r}")


def map_points(at) -> dict:
    """The project-marker payload the map sends to the browser, with the tooltips and popups it makes of it."""
    payload = marker_payload(at)
    if "id" not in payload:  # only a map with no clustered project layer may have no payload
        assert "markerClusterGroup" not in map_script(at), (
            "the marker payload changed shape: this helper cannot read it"
        )
    return payload


def test_default_view(data):
    at = run()
    assert not at.exception
    m = metrics(at)
    projects = data.projects
    assert m["所选项目"] == f"{len(projects)} / {len(projects)}"
    assert m["地图上的点"] == str(int(projects["precision"].isin([1, 2]).sum()))
    assert m["全市/无法定位"] == str(int((projects["precision"] == 4).sum()))
    sites = sum(len(getattr(g, "geoms", [g])) for g in projects[projects["precision"].isin([1, 2])].geometry)
    assert len(map_points(at)["lat"]) == sites


def test_filters_change_numbers_and_they_equal_geo(data):
    at = run()
    widget(at, "sectors").set_value(["tourism_culture"]).run()
    widget(at, "boards").set_value(["south"]).run()
    assert not at.exception
    selection = apply_filters(data.projects, ViewState(sectors=["tourism_culture"], boards=["south"]))
    assert metrics(at)["所选项目"] == f"{len(selection)} / {len(data.projects)}"
    shown = frame_with(at, "重叠计数").set_index("板块")
    expected = count_by_board(selection).set_index("board")
    assert shown.loc["南部板块", "重叠计数"] == expected.loc["south", "overlapping"]
    assert shown.loc["南部板块", "主板块计数"] == expected.loc["south", "primary"]
    county = frame_with(at, "每千平方公里")
    expected_c = count_by_county(selection, data.counties)
    assert list(county["项目数"]) == list(expected_c["projects"])
    assert list(county["每千平方公里"]) == [f"{v:.2f}" if pd.notna(v) else "—" for v in expected_c["per_1000_km2"]]
    # the view is in the URL
    assert at.query_params["sector"] == "tourism_culture" and at.query_params["board"] == "south"
    points = selection[selection["precision"].isin([1, 2])]
    sites = sum(len(getattr(g, "geoms", [g])) for g in points.geometry)
    assert len(map_points(at)["lat"]) == sites


def test_search_and_precision_filters(data):
    at = run()
    widget(at, "q").set_value("北大湖").run()
    widget(at, "precisions").set_value([2]).run()
    expected = apply_filters(data.projects, ViewState(q="北大湖", precisions=[2]))
    assert metrics(at)["所选项目"] == f"{len(expected)} / {len(data.projects)}"
    assert len(expected) >= 5


def test_shared_link_reopens_the_view(data):
    at = run({"sector": "transport", "county": "220221", "lang": "en"})
    assert not at.exception and not at.warning
    expected = apply_filters(data.projects, ViewState(sectors=["transport"], counties=["220221"]))
    assert metrics(at)["Projects selected"] == f"{len(expected)} / {len(data.projects)}"
    assert at.title[0].value.startswith("Jilin Plan Atlas")


@pytest.mark.parametrize(
    "query",
    [
        {"sector": "nonsense", "board": "<script>"},
        {"foo": "bar", "precision": "9"},
        {"lang": "fr", "box": "999", "p": "B99-99"},
        {"q": "x" * 500},
        {"x": "[unlock](https://evil.example/)", "y": "![](https://evil.example/pixel.png)"},
    ],
)
def test_garbage_query_opens_default_view_with_notice(data, query):
    at = run(query)
    assert not at.exception
    assert at.warning, "a notice names the ignored parameters"
    shown = at.warning[0].value
    for value in query.values():  # each Markdown character of the user's text is escaped: shown as written
        for ch in set(value) & set("[]()<>!*_`#"):
            assert f"\\{ch}" in shown and f"{ch}" not in shown.replace(f"\\{ch}", "")
    assert metrics(at)["所选项目"] == f"{len(data.projects)} / {len(data.projects)}"


def test_a_secret_in_the_url_is_never_echoed():
    at = run({"token": "s3cret-editor-token", "sector": "nonsense"})
    assert not at.exception and at.warning
    assert "s3cret" not in " ".join(w.value for w in at.warning)
    assert "token" in at.warning[0].value


def test_project_details_from_the_url(data):
    at = run({"p": "B04-02"})
    text = " ".join(m.value for m in at.markdown)
    assert "北大湖四季度假区项目" in text
    tables = [t.value for t in at.table]
    assert any("专栏4" in " ".join(map(str, t.iloc[:, 0])) for t in tables)


def test_language_switch_translates_ui(data):
    at = run()
    at.radio(key="w.lang").set_value("en").run()
    assert at.title[0].value.startswith("Jilin Plan Atlas")
    assert "Projects selected" in metrics(at)
    assert "Overlapping" in frame_with(at, "Overlapping").columns


def test_presentation_mode_steps(data):
    at = run()
    at.button(key="btn_present").click().run()
    assert not at.exception
    assert any("1/11" in m.value for m in at.markdown)
    at.button(key="btn_next").click().run()
    assert any("2/11" in m.value for m in at.markdown)
    assert at.query_params["mode"] == "present"
    at.button(key="btn_exit").click().run()
    assert at.title[0].value.startswith("吉林市")
    assert widget(at, "sectors").value == []  # the filters survived presentation mode


def _copy_data(tmp_path: Path) -> Path:
    root = tmp_path / "atlas"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "layers", root / "layers")
    return root


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data/projects.geojson", None, "file not found"),
        ("data/projects.geojson", '{"type": "FeatureCollection", "features": [', "malformed JSON"),
        ("layers/boards.geojson", '{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    ],
)
def test_missing_or_corrupt_data_file_shows_a_clear_error(tmp_path, name, content, message):
    root = _copy_data(tmp_path)
    target = root / name
    if content is None:
        target.unlink()
    else:
        target.write_text(content, encoding="utf-8")
    at = run(ATLAS_DATA_ROOT=str(root))
    assert not at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")  # Markdown escapes of the shown path
    assert Path(name).name in errors and message in errors


def test_a_data_file_replaced_while_the_app_runs_is_reloaded_or_refused_by_name(tmp_path, monkeypatch):
    """The same session, reruns only: a valid replacement is picked up, a broken one is named, fixing it heals."""
    root = _copy_data(tmp_path)
    monkeypatch.setenv("ATLAS_DATA_ROOT", str(root))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception and not at.error
    total = len(load_atlas(root).projects)
    assert metrics(at)["所选项目"].endswith(f"/ {total}")

    # a valid replacement with one project fewer: the next run shows it
    projects = root / "data" / "projects.geojson"
    original_projects = projects.read_bytes()
    fc = json.loads(original_projects)
    fc["features"] = fc["features"][1:]
    projects.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert metrics(at)["所选项目"].endswith(f"/ {total - 1}")

    # a broken replacement: a one-line error naming the file, no traceback
    boards = root / "layers" / "boards.geojson"
    original_boards = boards.read_bytes()
    boards.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    at.run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "boards.geojson" in errors and "malformed JSON" in errors

    # restored: the app works again, with the original projects too
    boards.write_bytes(original_boards)
    projects.write_bytes(original_projects)
    at.run()
    assert not at.exception and not at.error
    assert metrics(at)["所选项目"].endswith(f"/ {total}")


def test_hostile_project_names_are_escaped(tmp_path):
    root = _copy_data(tmp_path)
    path = root / "data" / "projects.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    located = next(f for f in data["features"] if f["properties"]["precision"] == 2)
    located["properties"]["name"] = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    located["properties"]["name_en"] = "<b>bold</b>" + "长" * 400
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    at = run({"p": located["id"]}, ATLAS_DATA_ROOT=str(root))
    assert not at.exception
    script = map_script(at)
    assert "<script>alert(1)" not in script and "onerror=alert(1)>" not in script
    points = map_points(at)
    tip = next(t for t in points["tip"] if located["id"] in t)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in tip
    assert all("<script>" not in p and "<img" not in p for p in points["pop"])
    shown = " ".join(m.value for m in at.markdown)
    assert "<script>" not in shown

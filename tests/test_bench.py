"""The app benchmark's harness on a tiny synthetic set: its data root loads and validates, the naive baseline app
runs on it, and the summary states medians, ranges and ratios (the Chromium part is the benchmark itself)."""

from __future__ import annotations

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from bench.app_bench import summarise, synthetic_root, table
from geo.atlas import load_atlas


@pytest.fixture(scope="module")
def tiny_root(tmp_path_factory):
    return synthetic_root(400, tmp_path_factory.mktemp("bench") / "root")


def test_the_synthetic_root_holds_the_real_projects_plus_valid_clones(tiny_root):
    real = load_atlas().projects
    data = load_atlas(tiny_root)  # validated with the app's own loader
    projects = data.projects
    assert len(projects) == 400 and projects["id"].is_unique
    assert set(real["id"]) <= set(projects["id"])
    clones = projects[~projects["id"].isin(real["id"])]
    assert (clones["precision"] == 2).all()
    inside = clones.geometry.within(data.city.geometry.iloc[0].buffer(1e-6))
    assert inside.all()


def test_the_naive_baseline_runs_on_the_synthetic_root_and_filters(tiny_root, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_ROOT", str(tiny_root))
    at = AppTest.from_file(str(ROOT / "bench" / "naive_app.py"), default_timeout=60).run()
    assert not at.exception
    located = load_atlas(tiny_root).projects
    located = located[located["precision"].isin([1, 2]) & located.geometry.notna()].explode(index_parts=False)
    assert at.markdown[0].value.startswith(f"{len(located)} ")
    sector = located["sector"].value_counts().index[-1]
    at.sidebar.multiselect[0].set_value([sector]).run()
    assert at.markdown[0].value.startswith(f"{int((located['sector'] == sector).sum())} ")


def test_the_summary_reports_median_range_and_ratio():
    results = {
        "sizes": {
            "plan": {
                "atlas": {"filter_server_s": summarise([0.05, 0.07, 0.06])},
                "naive": {"filter_server_s": summarise([0.2, 0.1, 0.3]), "tab_s": summarise([0.1])},
            }
        }
    }
    md = table(results)
    assert "| filter_server_s | 0.060 s (0.050–0.070) | 0.200 s (0.100–0.300) | 3.3× |" in md
    assert "| tab_s | not run | 0.100 s (0.100–0.100) | — |" in md
    assert summarise([]) is None

"""The data build: deterministic, checked against the committed files, clear errors on bad plan files."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, no_traceback, run_cli

from geo.build import build_all, check, require_up_to_date
from geo.core.config import paths
from geo.core.errors import BuildCheckError


def test_committed_outputs_equal_the_build():
    outputs = build_all()
    assert check(outputs) == []
    assert {p.relative_to(ROOT).as_posix() for p in outputs} >= {
        "data/projects.geojson",
        "data/boxes.json",
        "data/layout.json",
        "data/indicators.json",
        "layers/boards.geojson",
        "layers/layout.geojson",
        "layers/featured_towns.geojson",
        "layers/transport.geojson",
        "layers/counties.geojson",
    }


def test_build_is_deterministic():
    assert build_all() == build_all()


def test_one_changed_character_makes_check_fail(tmp_path: Path):
    text = paths.PLAN.read_text(encoding="utf-8")
    assert "吉林化纤 20万吨碳纤维全产业链项目" in text
    changed = tmp_path / "plan.txt"
    changed.write_text(
        text.replace("吉林化纤 20万吨碳纤维全产业链项目", "吉林化纤 20万吨碳纤维全产业链项日", 1), encoding="utf-8"
    )
    proc = run_cli("build", "--check", "--plan", str(changed))
    assert proc.returncode != 0
    assert no_traceback(proc)
    # the reviewed English text was written for the old name: the build names the entry that changed
    assert "B07-01" in proc.stderr


def test_check_names_the_differing_file(tmp_path: Path):
    text = paths.PLAN.read_text(encoding="utf-8")
    changed = tmp_path / "plan.txt"
    # a change inside a description only: the build succeeds but differs from the committed files
    changed.write_text(text.replace("建设年产 15万吨碳纤维原丝", "建设年产 16万吨碳纤维原丝", 1), encoding="utf-8")
    proc = run_cli("build", "--check", "--plan", str(changed))
    assert proc.returncode == 6, proc.stderr
    assert "differs from the build: data/projects.geojson" in proc.stderr
    assert no_traceback(proc)


def test_build_check_passes_from_the_cli():
    proc = run_cli("build", "--check")
    assert proc.returncode == 0, proc.stderr
    assert "up to date" in proc.stdout


def test_missing_empty_and_boxless_plan_give_one_line_errors(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    boxless = tmp_path / "boxless.txt"
    boxless.write_text("第一章 总则\n这是一份没有专栏的文本。\n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage")
    cases = {
        tmp_path / "missing.txt": "plan file not found",
        empty: "plan file is empty",
        boxless: "no boxes (专栏) found",
        binary: "not UTF-8",
    }
    for path, message in cases.items():
        proc = run_cli("build", "--plan", str(path))
        assert proc.returncode == 2, (path, proc.stderr)
        assert no_traceback(proc)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and message in lines[0], lines


def test_a_stale_output_raises_build_check_error(tmp_path: Path):
    stale = tmp_path / "projects.geojson"
    stale.write_text("{}\n", encoding="utf-8")
    with pytest.raises(BuildCheckError) as info:
        require_up_to_date({stale: "[]\n", tmp_path / "missing.json": "{}\n"})
    assert info.value.exit_code == 6 and len(info.value.stale) == 2

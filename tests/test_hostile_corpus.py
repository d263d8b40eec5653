"""The hostile-input corpus: every case gives its expected named error (or is accepted), never a traceback."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import no_traceback, run_cli

from geo.core.errors import AtlasError, GazetteerError, InputFileError, ValidationError
from geo.core.validate import MAX_BYTES
from geo.layers.checks import validate_file

CORPUS = Path(__file__).resolve().parent / "corpus"
with (CORPUS / "MANIFEST.csv").open(encoding="utf-8") as _manifest:
    CASES = list(csv.DictReader(_manifest))
ERRORS = {"InputFileError": InputFileError, "ValidationError": ValidationError, "GazetteerError": GazetteerError}


def test_corpus_is_big_enough():
    assert len(CASES) >= 30
    assert {c["expect"] for c in CASES} >= {"valid", "InputFileError", "ValidationError", "GazetteerError"}


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_case_gives_its_named_error(case):
    path = CORPUS / case["file"]
    kind = case["kind"] if case["kind"] not in ("list", "rules") else None
    if case["expect"] == "valid":
        validate_file(path, kind=kind)
        return
    with pytest.raises(ERRORS[case["expect"]]) as info:
        validate_file(path, kind=kind)
    error = info.value
    text = " ".join([str(error), error.one_line(), *getattr(error, "problems", [])])
    assert case["message"] in text, text[:500]
    assert path.name in text or str(path) in text  # the message names the file


def test_fifty_megabyte_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "huge_projects.geojson"
    with big.open("w", encoding="utf-8") as handle:
        handle.write('{"type": "FeatureCollection", "padding": "')
        handle.write("x" * (50 * 1024 * 1024))
        handle.write('", "features": []}')
    assert big.stat().st_size > MAX_BYTES
    with pytest.raises(InputFileError, match="over the 40 MB limit"):
        validate_file(big)


def test_cli_reports_every_case_without_traceback():
    files = [str(CORPUS / c["file"]) for c in CASES if c["kind"] not in ("list", "rules")]
    proc = run_cli("validate", *files)
    assert proc.returncode == 3
    assert no_traceback(proc)
    for c in CASES:
        if c["expect"] != "valid" and c["kind"] not in ("list", "rules"):
            assert c["file"] in proc.stderr, c["file"]


def test_cli_names_file_feature_and_field(tmp_path):
    bad = tmp_path / "projects.geojson"
    data = json.loads((CORPUS / "unknown_precision_projects.geojson").read_text(encoding="utf-8"))
    bad.write_text(json.dumps(data), encoding="utf-8")
    proc = run_cli("validate", str(bad))
    assert proc.returncode == 3 and no_traceback(proc)
    line = proc.stderr.strip().splitlines()[0]
    assert str(bad) in line and "feature 0 (B01-01)" in line and "precision" in line


def test_committed_data_is_valid():
    proc = run_cli(
        "validate",
        "data/projects.geojson",
        "data/boundaries/counties.geojson",
        "data/boundaries/city.geojson",
        "data/boundaries/water.geojson",
        "layers/boards.geojson",
        "layers/layout.geojson",
        "layers/featured_towns.geojson",
        "layers/transport.geojson",
        "layers/counties.geojson",
        "data/board_rules.csv",
        "data/gazetteer/places.csv",
    )
    assert proc.returncode == 0, proc.stderr
    assert "data/projects.geojson: valid as projects" in proc.stdout
    assert "layers/transport.geojson: valid as transport" in proc.stdout


def test_cli_says_when_only_the_generic_schema_was_used(tmp_path):
    """A projects file under another name passes the generic layer schema; the CLI must say so, not just 'valid'."""
    other = tmp_path / "mine.geojson"
    other.write_bytes((CORPUS.parent.parent / "data" / "projects.geojson").read_bytes())
    proc = run_cli("validate", str(other))
    assert proc.returncode == 0 and "valid as layer" in proc.stdout and "--kind projects" in proc.stdout


def test_every_named_error_is_an_atlas_error():
    for error in ERRORS.values():
        assert issubclass(error, AtlasError)

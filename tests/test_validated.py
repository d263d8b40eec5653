"""geo/core/validated.py: a file's bytes that passed validation are not validated again; anything else is."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from geo import atlas as atlas_module
from geo.atlas import load_atlas
from geo.core import validated
from geo.core.errors import AtlasError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def copy(tmp_path, monkeypatch):
    """A copy of the bundled data and layers, and an empty record folder."""
    monkeypatch.setenv(validated.CACHE_ENV, str(tmp_path / "cache"))
    shutil.copytree(ROOT / "data", tmp_path / "atlas" / "data")
    shutil.copytree(ROOT / "layers", tmp_path / "atlas" / "layers")
    return tmp_path / "atlas"


def _counting(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = atlas_module.validate_geojson_file

    def counted(path, kind=None):
        calls.append(kind)
        return real(path, kind=kind)

    monkeypatch.setattr(atlas_module, "validate_geojson_file", counted)
    return calls


def test_the_same_bytes_are_validated_once_and_load_the_same(copy, monkeypatch):
    calls = _counting(monkeypatch)
    first = load_atlas(copy)
    assert "projects" in calls
    calls.clear()
    second = load_atlas(copy)
    assert calls == ["counties", "counties"]  # the counties' GCJ-02 check reads more than the file: always run
    assert second.projects.equals(first.projects) and second.transport == first.transport


def test_changed_bytes_are_validated_again_and_a_failure_is_not_recorded(copy, monkeypatch):
    load_atlas(copy)
    path = copy / "data" / "projects.geojson"
    fc = json.loads(path.read_text(encoding="utf-8"))
    fc["features"][0]["properties"]["precision"] = "two"  # a schema error
    path.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    for _ in range(2):  # the broken file is reported every time (never recorded as valid)
        with pytest.raises(AtlasError) as info:
            load_atlas(copy)
        assert any("precision" in p for p in info.value.problems)


def test_a_new_county_table_or_kind_gives_a_new_key(copy):
    path = copy / "data" / "projects.geojson"
    before = validated.key(path, "projects")
    assert validated.key(path, "transport") != before
    assert validated.key(copy / "data" / "counties.geojson", "counties") is None
    table = copy / "data" / "counties.csv"
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert validated.key(path, "projects") != before


def test_an_unwritable_record_folder_records_nothing(copy, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(validated.CACHE_ENV, str(blocker))  # a file where the folder should be
    calls = _counting(monkeypatch)
    load_atlas(copy)
    load_atlas(copy)
    assert calls.count("projects") == 2

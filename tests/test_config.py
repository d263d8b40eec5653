"""One configuration object: every path under one root, every environment variable read in one place."""

from __future__ import annotations

from pathlib import Path

from geo.core import config
from geo.core.config import REPO_ROOT, Config, for_root, paths


def test_paths_follow_atlas_data_root(monkeypatch, tmp_path):
    monkeypatch.delenv(config.DATA_ROOT_ENV, raising=False)
    assert paths.PROJECTS == REPO_ROOT / "data" / "projects.geojson"
    monkeypatch.setenv(config.DATA_ROOT_ENV, str(tmp_path))
    assert paths.PROJECTS == tmp_path / "data" / "projects.geojson"
    assert paths.COUNTY_LAYER == tmp_path / "layers" / "counties.geojson"
    assert paths.SCHEMAS == REPO_ROOT / "schemas"  # code, not data


def test_every_environment_variable_is_read_by_config():
    env = {
        config.DATA_ROOT_ENV: "/x",
        config.OFFLINE_ENV: "1",
        config.TIANDITU_ENV: "key",
        config.DB_ENV: "sqlite:///e.db",
        config.DIR_ENV: "/d",
        config.TOKEN_ENV: "token",
    }
    c = Config.from_env(env)
    assert (c.ROOT, c.offline, c.tianditu_key, c.db_url, c.editor_token) == (
        Path("/x"),
        True,
        "key",
        "sqlite:///e.db",
        "token",
    )
    assert c.SQLITE == Path("/d") / "curation.sqlite"
    assert Config.from_env({}) == Config()


def test_for_root_keeps_the_layout(tmp_path):
    c = for_root(tmp_path)
    assert c.BOARDS == tmp_path / "layers" / "boards.geojson" and c.rel(c.BOARDS) == "layers/boards.geojson"


def test_no_module_outside_config_reads_the_environment():
    root = Path(__file__).resolve().parent.parent / "geo"
    readers = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p.name != "config.py"
        and ("os.environ" in p.read_text(encoding="utf-8") or "getenv" in p.read_text(encoding="utf-8"))
    ]
    assert readers == []

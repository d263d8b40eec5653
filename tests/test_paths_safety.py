"""Every input and output path is checked before work starts: special files, size limits, unwritable targets."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys

import pytest
from conftest import ROOT, no_traceback, run_cli

from geo.core import io as geo_io
from geo.core import safepath
from geo.core.errors import InputFileError, OutputPathError, StorageError
from geo.curation.storeguard import open_store_or_none

LIST = "项目名称\n磐石明城新型金属材料小镇\n"
TIMEOUT = 60  # a hang (FIFO) or a 5 GB read (/dev/zero) would blow this


@pytest.fixture
def zero_link(tmp_path):
    def make(name):
        link = tmp_path / name
        link.symlink_to("/dev/zero")
        return link

    return make


@pytest.fixture
def fifo(tmp_path):
    def make(name):
        path = tmp_path / name
        os.mkfifo(path)
        return path

    return make


# --- inputs -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["zero_projects.geojson", "zero.json", "zero.csv"])
def test_validate_refuses_a_link_to_dev_zero_at_once(zero_link, name):
    proc = run_cli("validate", str(zero_link(name)), timeout=TIMEOUT)
    assert proc.returncode == 2 and no_traceback(proc)
    assert name in proc.stderr and "is a device" in proc.stderr


@pytest.mark.parametrize("name", ["pipe_layer.geojson", "pipe.csv"])
def test_validate_refuses_a_fifo_without_hanging(fifo, name):
    proc = run_cli("validate", str(fifo(name)), timeout=TIMEOUT)  # nobody writes: opening it would block forever
    assert proc.returncode == 2 and no_traceback(proc)
    assert "FIFO" in proc.stderr and name in proc.stderr


@pytest.mark.parametrize("special", ["fifo", "zero"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_geocode_file_refuses_special_inputs(tmp_path, fifo, zero_link, special, suffix):
    source = fifo(f"in{suffix}") if special == "fifo" else zero_link(f"in{suffix}")
    out = tmp_path / "out.geojson"
    proc = run_cli("geocode-file", str(source), "--name-col", "项目名称", "-o", str(out), timeout=TIMEOUT)
    assert proc.returncode == 2 and no_traceback(proc)
    assert source.name in proc.stderr and not out.exists()


@pytest.mark.parametrize("special", ["fifo", "zero"])
def test_library_readers_refuse_special_files(fifo, zero_link, special):
    from geo.core.tables import read_table
    from geo.layers.userlist import read_table_file

    for reader, name in ((read_table_file, "t.csv"), (geo_io.read_json, "t.geojson"), (read_table, "r.csv")):
        path = fifo(name) if special == "fifo" else zero_link(name)
        with pytest.raises(InputFileError, match=r"FIFO|device"):
            reader(path)
        path.unlink()


def test_size_limit_is_configurable_and_checked_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big_layer.geojson"
    big.write_bytes(b'{"type": "FeatureCollection", "features": [{"type": "Feature"}]}' + b" " * 3 * 1024 * 1024)
    monkeypatch.setenv(safepath.MAX_INPUT_ENV, "2")
    from geo.layers.checks import validate_file

    with pytest.raises(InputFileError) as info:
        validate_file(big)
    assert "over the 2 MB limit" in str(info.value) and safepath.MAX_INPUT_ENV in str(info.value)
    with pytest.raises(InputFileError, match="over the 2 MB limit"):
        geo_io.read_json(big)
    monkeypatch.setenv(safepath.MAX_INPUT_ENV, "4")
    with pytest.raises(Exception) as other:  # under the raised limit the file is read (and judged on content)
        validate_file(big)
    assert "limit" not in str(other.value)


@pytest.mark.parametrize("value", ["abc", "-1", "0", "nan", "inf"])
def test_a_bad_size_limit_setting_is_a_named_error(tmp_path, monkeypatch, value):
    path = tmp_path / "x.json"
    path.write_text("{}", encoding="utf-8")
    monkeypatch.setenv(safepath.MAX_INPUT_ENV, value)
    with pytest.raises(InputFileError, match=safepath.MAX_INPUT_ENV):
        geo_io.read_json(path)


def test_read_stops_at_the_limit_even_if_the_file_grew_after_the_check(tmp_path, monkeypatch):
    path = tmp_path / "grows.json"
    path.write_bytes(b"{}")
    real = safepath.check_input
    monkeypatch.setattr(safepath, "check_input", lambda p, **k: (path.write_bytes(b" " * 5000), real(p, **k))[1])
    with pytest.raises(InputFileError, match="over the 4096-byte limit"):
        safepath.read_input_bytes(path, max_bytes=4096)


# --- outputs ------------------------------------------------------------------------------------------------------


def _targets(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    directory = tmp_path / "a_dir"
    directory.mkdir()
    return {
        "directory": (directory, "is a directory"),
        "file-in-the-way": (blocker / "out.geojson", "is a file, not a directory"),
        "file-in-the-way-deeper": (blocker / "sub" / "out.geojson", "is a file, not a directory"),
    }


@pytest.mark.parametrize("case", ["directory", "file-in-the-way", "file-in-the-way-deeper"])
def test_geocode_file_output_targets(tmp_path, case):
    source = tmp_path / "list.csv"
    source.write_text(LIST, encoding="utf-8")
    target, reason = _targets(tmp_path)[case]
    proc = run_cli("geocode-file", str(source), "--name-col", "项目名称", "-o", str(target))
    assert proc.returncode == 9 and no_traceback(proc), proc.stderr
    assert str(target) in proc.stderr and reason in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("case", ["directory", "file-in-the-way", "file-in-the-way-deeper"])
def test_corrections_export_targets(tmp_path, case):
    target, reason = _targets(tmp_path)[case]
    proc = run_cli("corrections", "export", "--db", str(tmp_path / "c.sqlite"), "--file", str(target))
    assert proc.returncode == 9 and no_traceback(proc), proc.stderr
    assert str(target) in proc.stderr and reason in proc.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a 0o555 directory: it is not read-only for root")
def test_read_only_directory_is_refused_for_a_normal_user(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        with pytest.raises(OutputPathError, match="read-only"):
            geo_io.atomic_write_text(ro / "x.csv", "a")
        with pytest.raises(StorageError, match="read-only"):
            safepath.check_store_path(ro / "c.sqlite")
    finally:
        ro.chmod(0o755)


def test_read_only_place_is_refused_by_what_the_os_reports(tmp_path, monkeypatch):
    """As root a chmod-ed directory stays writable, so this simulates the answer a read-only mount (EROFS) gives."""
    real = os.access
    monkeypatch.setattr(safepath.os, "access", lambda p, mode: False if str(p) == str(tmp_path) else real(p, mode))
    with pytest.raises(OutputPathError) as info:
        geo_io.atomic_write_text(tmp_path / "x.csv", "a")
    assert "read-only" in str(info.value) and "x.csv" in info.value.one_line()
    with pytest.raises(StorageError, match="read-only"):
        safepath.check_store_path(tmp_path / "c.sqlite")


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_failing_write_is_one_line_and_keeps_the_old_file(tmp_path, monkeypatch, code):
    target = tmp_path / "keep.csv"
    target.write_text("old", encoding="utf-8")

    def failing_fsync(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(geo_io.os, "fsync", failing_fsync)
    with pytest.raises(OutputPathError) as info:
        geo_io.atomic_write_text(target, "new")
    assert "keep.csv" in info.value.one_line() and info.value.exit_code == 9
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"]  # no temporary file left behind


def test_output_equal_to_input_is_refused_unless_forced(tmp_path):
    same = tmp_path / "same.csv"
    same.write_text(LIST, encoding="utf-8")
    proc = run_cli("geocode-file", str(same), "--name-col", "项目名称", "-o", str(same))
    assert proc.returncode == 9 and no_traceback(proc)
    assert "is the input file" in proc.stderr and "--force" in proc.stderr
    assert same.read_text(encoding="utf-8") == LIST  # the user's CSV is untouched
    link = tmp_path / "alias.csv"
    link.symlink_to(same)
    proc = run_cli("geocode-file", str(same), "--name-col", "项目名称", "-o", str(link))
    assert proc.returncode == 9 and same.read_text(encoding="utf-8") == LIST  # the same file by another name
    proc = run_cli("geocode-file", str(same), "--name-col", "项目名称", "-o", str(same), "--force")
    assert proc.returncode == 0, proc.stderr
    assert '"FeatureCollection"' in same.read_text(encoding="utf-8")


# --- the curation database -----------------------------------------------------------------------------------------


def test_database_under_a_file_or_at_a_directory_is_a_storage_error(tmp_path):
    from geo.curation.store import open_store

    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StorageError, match="is a file, not a directory"):
        open_store(str(blocker / "curation.sqlite"))
    with pytest.raises(StorageError, match="is a directory"):
        open_store(str(tmp_path))
    proc = run_cli("corrections", "list", "--db", str(blocker / "c.sqlite"))
    assert proc.returncode == 7 and no_traceback(proc) and "a_file" in proc.stderr


def test_open_store_or_none_never_raises(tmp_path, monkeypatch):
    corrupt = tmp_path / "curation.sqlite"
    corrupt.write_bytes(os.urandom(8192))
    store, notice = open_store_or_none(str(corrupt))
    assert store is None and "read-only" in notice and "not a database" in notice
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(blocker))
    monkeypatch.delenv("ATLAS_DB_URL", raising=False)
    store, notice = open_store_or_none()
    assert store is None and "not_a_dir" in notice
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "fresh"))
    store, notice = open_store_or_none()
    assert notice is None and store.current() == {}


def test_full_database_during_import_names_the_cause(tmp_path, monkeypatch):
    """SQLITE_FULL, as a full disk gives it (max_page_count caps the file): not 'cannot rollback'."""
    from geo.curation import store as store_module
    from geo.curation.corrections import import_rows

    db = tmp_path / "full.sqlite"
    store = store_module.SQLiteStore(db)
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]
    real_connect = sqlite3.connect

    def capped(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(store_module.sqlite3, "connect", capped)
    rows = [
        {"project_id": "B05-05", "lon": "126.46815", "lat": "44.08749", "precision": "2", "adcode": "220203"}
        | {"editor": "王", "source": "现场" * 2000, "comment": "x" * 20000, "_line": "2"}
    ]
    with pytest.raises(StorageError) as info:
        import_rows(store, rows, where="c.csv")
    assert "full" in str(info.value) and "rollback" not in str(info.value)


def test_broken_pipe_is_quiet():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo", "stats", "--by", "county"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader goes away before the command writes (like `| head` that already quit)
    with proc.stderr:
        err = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert code == 141

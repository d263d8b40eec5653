"""`geocode-file` streams: chunks of rows in, features written as they are made, memory bounded, a progress line."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, no_traceback, run_cli

from geo.core.io import dumps, feature_collection
from geo.layers import userlist
from geo.layers.userlist import geocode_file, geocode_rows, read_table_file


def _write_list(path: Path, projects: dict, rows: int) -> None:
    """A list of real project names with every 7th row a name that cannot be geocoded."""
    names = [(f["properties"]["name"], f["properties"].get("description") or "") for f in projects["features"]]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["项目名称", "说明"])
        for i in range(rows):
            name, desc = names[i % len(names)]
            w.writerow(["？？", ""] if i % 7 == 6 else [name, desc[:80]])


def test_streamed_output_is_what_the_whole_list_at_once_gives(tmp_path, monkeypatch, projects, geocoder):
    src = tmp_path / "list.csv"
    _write_list(src, projects, 53)
    monkeypatch.setattr(userlist, "CHUNK_ROWS", 10)  # several chunks, the last one short
    seen: list[int] = []
    out = tmp_path / "out.geojson"
    report = geocode_file(src, out, name_col="项目名称", desc_col="说明", progress=seen.append, geocoder=geocoder)
    assert seen == [10, 20, 30, 40, 50, 53]

    features, whole = geocode_rows(read_table_file(src), "项目名称", "说明", source=str(src), geocoder=geocoder)
    expected = dumps(feature_collection(features, name="list", source="geocoded from list.csv"))
    assert out.read_text(encoding="utf-8") == expected
    assert (report.total, report.ok, report.problems) == (whole.total, whole.ok, whole.problems)
    assert report.total == 53 and report.problems  # the bad rows are reported by their own row numbers
    assert all(f"row {i + 2}:" in " ".join(report.problems) for i in range(6, 53, 7))


def test_nothing_geocoded_still_writes_valid_geojson(tmp_path, geocoder):
    src = tmp_path / "bad.csv"
    src.write_text("项目名称\n？？\n！！\n", encoding="utf-8")
    out = tmp_path / "out.geojson"
    report = geocode_file(src, out, name_col="项目名称", geocoder=geocoder)
    assert report.ok == 0 and report.total == 2
    assert json.loads(out.read_text(encoding="utf-8"))["features"] == []


def test_header_only_and_missing_column_leave_no_output(tmp_path, geocoder):
    src = tmp_path / "h.csv"
    src.write_text("项目名称\n", encoding="utf-8")
    proc = run_cli("geocode-file", str(src), "--name-col", "项目名称", "-o", str(tmp_path / "o.geojson"))
    assert proc.returncode == 5 and no_traceback(proc)
    src.write_text("名字\n丰满区\n", encoding="utf-8")
    proc = run_cli("geocode-file", str(src), "--name-col", "项目名称", "-o", str(tmp_path / "o.geojson"))
    assert proc.returncode != 0 and "项目名称" in proc.stderr and no_traceback(proc)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.csv"]  # no output, no temporary file left


def test_progress_line_only_when_asked_or_on_a_terminal(tmp_path, projects):
    src = tmp_path / "list.csv"
    _write_list(src, projects, 30)
    quiet = run_cli("geocode-file", str(src), "--name-col", "项目名称", "-o", str(tmp_path / "a.geojson"))
    assert quiet.returncode == 0 and "rows read" not in quiet.stderr  # stderr is a pipe here, not a terminal
    loud = run_cli("geocode-file", str(src), "--name-col", "项目名称", "-o", str(tmp_path / "b.geojson"), "--progress")
    assert loud.returncode == 0 and "geocode-file: 30 rows read" in loud.stderr
    assert (tmp_path / "a.geojson").read_bytes() == (tmp_path / "b.geojson").read_bytes()


@pytest.mark.slow
def test_a_large_list_geocodes_in_bounded_memory(tmp_path, projects):
    """40,000 rows (the 100k figures are in docs/RELIABILITY.md): the child's peak RSS must stay under 300 MB.
    Before streaming, 100k rows took 1.3 GB — about 12 MB per 1,000 rows over the interpreter — so 40k rows would
    have taken ~600 MB: this bound fails for a version that holds every row and feature at once."""
    src = tmp_path / "big.csv"
    _write_list(src, projects, 40_000)
    # VmHWM, the peak RSS of this process image: getrusage's ru_maxrss would carry over the peak of the forking
    # pytest process (Linux keeps it across exec), which is itself hundreds of MB late in a full run
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from geo.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "hwm = [l for l in Path('/proc/self/status').read_text().splitlines() if l.startswith('VmHWM:')][0]\n"
        "print('MAXRSS', hwm.split()[1])\n"
        "sys.exit(rc)\n"
    )
    args = ["geocode-file", str(src), "--name-col", "项目名称", "--desc-col", "说明", "-o", str(tmp_path / "o.geojson")]
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    peak_mb = int(proc.stdout.split("MAXRSS")[1]) / 1024
    assert peak_mb < 300, f"peak RSS {peak_mb:.0f} MB"
    assert len(json.loads((tmp_path / "o.geojson").read_text(encoding="utf-8"))["features"]) > 30_000

"""Killing a process (SIGKILL) in the middle of curation saves leaves the SQLite store consistent.

A child process saves edits in a loop through ``geo.curation.store.SQLiteStore`` and prints one line per committed
save (the acknowledgement an editor sees). The parent kills it with SIGKILL — once at a random moment, once while a
save is inside its transaction (edit row written, not committed) — then opens the file and checks: SQLite's
``integrity_check`` is ``ok``; every acknowledged edit is there; nothing else is, except possibly the one save that
was committed but not yet acknowledged; every project's state points at its newest edit, versions run 1..n.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = ["B01-01", "B02-03", "B05-05"]

CHILD = r"""
import sys, time
from geo.curation.store import NewLocation, SQLiteStore

path, mode = sys.argv[1], sys.argv[2]
projects = sys.argv[3].split(",")
store = SQLiteStore(path)
versions = {p: 0 for p in projects}
current = {}

def inside():
    # the edit row and the state update are written, the COMMIT is not: say so, then give the parent time to kill
    print(f"INTX {current['i']}", flush=True)
    time.sleep(30)

for i in range(100_000):
    project = projects[i % len(projects)]
    current["i"] = i
    store.before_commit = inside if (mode == "intx" and i == 40) else None
    store.propose(project, versions[project], NewLocation(126.0 + i * 1e-6, 44.0, 2, "220203"), None,
                  editor="kill-test", source="test", comment=f"edit {i}")
    versions[project] += 1
    print(f"ACK {i} {project} {versions[project]}", flush=True)
"""


def _run_and_kill(db: Path, mode: str) -> tuple[list[tuple[int, str, int]], int | None]:
    """Start the saver, SIGKILL it (after 20..60 acknowledgements, or inside save 40's transaction)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), mode, ",".join(PROJECTS)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    acks: list[tuple[int, str, int]] = []
    in_tx = None
    kill_after = random.Random(15).randint(20, 60)
    deadline = time.time() + 60
    try:
        for line in proc.stdout:
            if time.time() > deadline:
                raise AssertionError("the saver never reached the kill point")
            word, *rest = line.split()
            if word == "ACK":
                acks.append((int(rest[0]), rest[1], int(rest[2])))
                if mode == "random" and len(acks) >= kill_after:
                    break
            elif word == "INTX":
                in_tx = int(rest[0])
                break
        proc.send_signal(signal.SIGKILL)
        # lines already printed before the kill are acknowledgements too
        for line in proc.stdout.read().splitlines():
            if line.startswith("ACK "):
                _, i, project, version = line.split()
                acks.append((int(i), project, int(version)))
    finally:
        proc.kill()
        proc.wait(10)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    return acks, in_tx


@pytest.mark.parametrize("mode", ["random", "intx"])
def test_sigkill_during_saves_keeps_every_acknowledged_edit_and_no_half_edit(tmp_path, mode):
    db = tmp_path / "curation.sqlite"
    acks, in_tx = _run_and_kill(db, mode)
    assert len(acks) >= 20
    if mode == "intx":
        assert in_tx == 40 and len(acks) == 40

    conn = sqlite3.connect(db)  # a hot journal left by the kill is rolled back here
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        edits = conn.execute("SELECT id, project_id, version, comment FROM edits").fetchall()
        state = {p: (v, e) for p, v, e in conn.execute("SELECT project_id, version, current_edit FROM project_state")}
    finally:
        conn.close()

    stored = {int(comment.split()[1]): (project, version) for _id, project, version, comment in edits}
    acked = {i: (project, version) for i, project, version in acks}
    # every acknowledged edit is there, as acknowledged
    for i, expected in acked.items():
        assert stored.get(i) == expected, f"acknowledged edit {i} lost or changed"
    # nothing else, except the one save that may have committed just before the kill and not been acknowledged yet
    extra = set(stored) - set(acked)
    if mode == "intx":
        assert extra == set(), f"the uncommitted save {in_tx} is in the database: a half edit"
    else:
        assert extra <= {max(acked) + 1}
    # no half edit: each project's state points at its newest edit, and its versions run 1..n without a gap
    by_project: dict[str, list[tuple[int, int]]] = {}
    for edit_id, project, version, _comment in edits:
        by_project.setdefault(project, []).append((version, edit_id))
    assert set(state) == set(by_project)
    for project, rows in by_project.items():
        rows.sort()
        assert [v for v, _ in rows] == list(range(1, len(rows) + 1)), project
        assert state[project] == rows[-1], f"{project}: state does not point at its newest edit"

    # and the store opens and takes the next save where the acknowledged history left off
    from geo.curation.store import NewLocation, SQLiteStore

    store = SQLiteStore(db)
    project = PROJECTS[0]
    edit = store.propose(
        project, store.version(project), NewLocation(126.5, 44.0, 2, "220203"), None, editor="after", source="test"
    )
    assert edit.version == len(by_project[project]) + 1

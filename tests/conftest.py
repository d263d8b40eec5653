"""Shared fixtures: repository paths, the built data, and a helper that runs the CLI in a subprocess."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.places.gazetteer import load_gazetteer
from geo.places.geocoder import Geocoder
from geo.plan.boxes import read_plan

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_cli(*args: str, cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess:
    """``python -m geo ARGS`` as a user would run it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def projects() -> dict:
    return json.loads((ROOT / "data" / "projects.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def project_by_id(projects) -> dict:
    return {f["id"]: f for f in projects["features"]}


@pytest.fixture(scope="session")
def plan_lines() -> list[str]:
    return read_plan(ROOT / "data" / "plan" / "jilin-14th-five-year-plan.txt")


@pytest.fixture(scope="session")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="session")
def geocoder(gazetteer):
    return Geocoder(gazetteer)


def no_traceback(proc: subprocess.CompletedProcess) -> bool:
    return "Traceback" not in proc.stderr and "Traceback" not in proc.stdout


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium for the browser tests: required where ATLAS_REQUIRE_BROWSER=1 (the README's test command)."""
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        if os.environ.get("ATLAS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {path}: the browser tests must run (install Debian's chromium)")
        pytest.skip(f"Chromium not found at {path} (set ATLAS_REQUIRE_BROWSER=1 to make this a failure)")
    return path


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(autouse=True)
def no_streamlit_deprecation():
    """Fail a test during which Streamlit reported a deprecation (e.g. ``st.components.v1.html``, removed after
    2026-06-01). Streamlit does not use ``warnings`` for these: ``streamlit.deprecation_util`` logs them (and may show
    them in the page), so pytest's ``filterwarnings = error`` alone would never see them."""
    logger = logging.getLogger("streamlit.deprecation_util")
    recorder = _Recorder()
    logger.addHandler(recorder)
    try:
        yield recorder
    finally:
        logger.removeHandler(recorder)
    if recorder.messages:
        pytest.fail("Streamlit deprecation: " + " | ".join(" ".join(m.split()) for m in recorder.messages))

"""The server's warm-up thread gives way to the server: a short GIL switch interval and a lower priority, then back."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ui import warm

ROOT = Path(__file__).resolve().parent.parent


def test_yielding_switches_the_gil_often_and_restores_the_interval() -> None:
    before = sys.getswitchinterval()
    with warm.yielding():
        assert sys.getswitchinterval() == pytest.approx(warm.SWITCH_S)
    assert sys.getswitchinterval() == pytest.approx(before)


def test_yielding_restores_the_interval_when_the_warm_up_fails() -> None:
    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError), warm.yielding():
        raise RuntimeError("import failed")
    assert sys.getswitchinterval() == pytest.approx(before)


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no per-thread priority on this system")
def test_yielding_lowers_only_its_own_threads_priority() -> None:
    seen: dict[str, int] = {}

    def body() -> None:
        tid = threading.get_native_id()
        seen["outside"] = os.getpriority(os.PRIO_PROCESS, tid)
        with warm.yielding():
            seen["inside"] = os.getpriority(os.PRIO_PROCESS, tid)
            seen["main"] = os.getpriority(os.PRIO_PROCESS, main)

    main = threading.get_native_id()
    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    assert seen["inside"] == min(seen["outside"] + warm.NICE, 19)
    assert seen["main"] == os.getpriority(os.PRIO_PROCESS, main)


def test_what_a_page_load_imports_leaves_out_the_export_chart_and_english_only_libraries() -> None:
    """A fresh interpreter importing every module of a script run (the warm-up's list) and drawing the default
    map does not load the libraries only an export, the indicators chart, a choropleth or English names need."""
    code = (
        "import sys\n"
        "from ui import warm\n"
        "for name in warm.MODULES: __import__(name)\n"
        "warm.default_view()\n"
        "print('loaded:' + ','.join(sorted(m for m in LAZY if m in sys.modules)))\n"
    ).replace("LAZY", repr(("altair", "matplotlib", "openpyxl", "psycopg", "pypinyin", "segno")))
    cmd = [sys.executable, "-c", code]
    out = subprocess.run(cmd, check=False, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "loaded:\n" in out.stdout, out.stdout[-2000:]


def test_the_warm_up_takes_streamlits_first_element_check_off_the_first_run() -> None:
    from streamlit import delta_generator

    delta_generator._use_warning_has_been_displayed = False
    warm._first_delta()
    assert delta_generator._use_warning_has_been_displayed  # the first script run's element skips inspect.stack()

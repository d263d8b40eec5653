"""The server's warm-up thread gives way to the server: a short GIL switch interval and a lower priority, then back."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from ui import warm


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

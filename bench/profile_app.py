"""Profile one filter change and one language switch of the real app in AppTest (cProfile, script thread only).

    .venv/bin/python bench/profile_app.py [--top 25] [--runs 5]

The app is run through a wrapper script that profiles each script run; the stats of the measured runs are printed
(cumulative time, top entries) with the median script time of each kind of change. The session is first brought to
the page a browser shows once the map has drawn and the person has scrolled to the statistics (the map frame's
signals, ui/progressive.py); ``--unscrolled``: the statistics not yet drawn, as after a page load.
"""

from __future__ import annotations

import argparse
import os
import pstats
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from geo.atlas import load_atlas  # noqa: E402
from ui.progressive import MAP_KEY  # noqa: E402

WRAPPER = """
import cProfile, runpy, sys, time
sys.path.insert(0, {root!r})
_p = cProfile.Profile()
_t = time.perf_counter()
_p.enable()
try:
    runpy.run_path({app!r}, run_name="__main__")
finally:
    _p.disable()
    import streamlit as st
    st.session_state["_prof"] = _p
    st.session_state["_prof_s"] = time.perf_counter() - _t
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--unscrolled", action="store_true", help="the panels below the map not drawn")
    args = ap.parse_args()
    os.environ.setdefault("ATLAS_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        wrapper = Path(tmp) / "profiled_app.py"
        wrapper.write_text(WRAPPER.format(root=str(ROOT), app=str(ROOT / "app.py")))
        at = AppTest.from_file(str(wrapper), default_timeout=120).run()
        assert not at.exception, at.exception
        at.session_state[MAP_KEY] = {"drawn": True, "below": not args.unscrolled}  # as the map frame sends them
        at.run()
        sectors = sorted({s["sector"] for s in load_atlas().sectors})  # a new selection each run (no cache hit)

        def widget(field):
            for kind in ("multiselect", "radio"):
                for el in getattr(at, kind):
                    if el.key and el.key.startswith(f"w.{field}."):
                        return el
            raise AssertionError(field)

        for label, change in (
            ("filter change", lambda i: widget("sectors").set_value([sectors[i % len(sectors)]])),
            ("language switch", lambda i: at.radio(key="w.lang").set_value("en" if i % 2 == 0 else "zh")),
        ):
            times, total = [], None
            for i in range(args.runs):
                change(i)
                at.run()
                assert not at.exception, at.exception
                times.append(at.session_state["_prof_s"])
                stats = pstats.Stats(at.session_state["_prof"])
                total = stats if total is None else total.add(stats)
            print(
                f"\n## {label}: script time median {statistics.median(times) * 1000:.0f} ms "
                f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs)"
            )
            total.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()

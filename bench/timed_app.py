"""Run the app named by BENCH_APP as Streamlit's main script and log each script run: "<start epoch s> <seconds>".

Used by bench/app_bench.py for both the atlas and the naive app (copied next to a ``static`` link to the repository's
static/ folder, so both serve the same local Leaflet files).
"""

import os
import runpy
import sys
import time
from pathlib import Path

APP = Path(os.environ["BENCH_APP"])
sys.path.insert(0, str(APP.resolve().parent.parent if APP.parent.name == "bench" else APP.resolve().parent))
_start, _t = time.time(), time.perf_counter()
try:
    runpy.run_path(str(APP), run_name="__main__")
finally:
    with open(os.environ["BENCH_TIMING_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{_start:.4f} {time.perf_counter() - _t:.4f}\n")

"""The server's warm-up: while the first browser still loads the page, import the app's libraries and fill the shared
caches (the atlas, the default view's base map and selection layer) in a background thread.

``serve.py`` starts it as it is imported, before the server starts (a cold start 0.1 s sooner than from the
``st.App`` lifespan: 4 interleaved pairs, medians 2.97 vs 3.10 s); ``app.py`` calls ``wait()`` before its own
imports, so a script run never imports a module the warm-up is importing at the same moment (a concurrent circular import can
hand out a half-initialised module). Without ``serve.py`` (``streamlit run app.py``, AppTest) nothing is started and
``wait()`` returns at once. A failure only logs: the first script run then does the work and shows any error.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import sys
import threading
import time
from collections.abc import Iterator

#: What a script run imports (app.py and the panels), heaviest libraries first.
MODULES = (
    "geopandas",
    "streamlit.emojis",
    "pyarrow",
    "folium",
    "streamlit_folium",
    "geo.render.map",
    "ui.data",
    "ui.selection",
    "ui.map",
    "ui.sidebar",
    "ui.progressive",
    "ui.details",
    "ui.edit",
    "ui.export",
    "ui.indicators",
    "ui.present",
    "ui.stats",
    "ui.table",
)
#: While it runs, the warm-up hands the GIL back every 0.5 ms (Python's default: 5 ms) and runs at a lower CPU
#: priority: the server thread that sends the browser Streamlit's frontend waits on the GIL at each of its many small
#: reads and writes. Measured (bench/profile_startup.py, plan scale): the first script run started 2.56 s after
#: process start with the defaults, 1.63–1.75 s with these (1.52 s with no warm-up at all).
SWITCH_S = 0.0005
NICE = 10
#: The English default view waits until a first page has drawn its map (or this long), so it never competes with it;
#: it is left out above LARGE_SELECTION projects, where building it takes seconds of background CPU (at 100k the
#: filter change measured 1.1–1.6 s with it and without it: no gain was measured either way).
ENGLISH_AFTER_S = 30.0
#: serve.py starts the warm-up as it is imported, before Streamlit's runtime exists; registering st_folium's component
#: waits for it (at most this long).
RUNTIME_WAIT_S = 30.0
_imported = threading.Event()
_started = threading.Event()
_page_drawn = threading.Event()
_lock = threading.Lock()
LOG = logging.getLogger("atlas.warm")


def start() -> threading.Thread | None:
    """Start the warm-up thread (once per process)."""
    with _lock:
        if _started.is_set():
            return None
        _started.set()
    thread = threading.Thread(target=_run, name="atlas-warm-up", daemon=True)
    thread.start()
    return thread


def page_drawn() -> None:
    """A page has drawn its map (ui/progressive.py): the warm-up may go on with what a first page does not need."""
    _page_drawn.set()


def wait(timeout: float = 120.0) -> None:
    """Until the warm-up's imports are done (at once when no warm-up was started)."""
    if _started.is_set():
        _imported.wait(timeout)


@contextlib.contextmanager
def yielding() -> Iterator[None]:
    """The calling thread at a lower CPU priority (Linux: per thread) and the GIL switched often, until it exits."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_S)
    tid = threading.get_native_id()
    try:
        before = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, before + NICE)
    except (AttributeError, OSError):  # no per-thread priority here: the switch interval still helps
        before = None
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
        if before is not None:
            with contextlib.suppress(OSError):  # raising a priority back may need a privilege the thread lacks
                os.setpriority(os.PRIO_PROCESS, tid, before)


def _run() -> None:
    with yielding():
        _warm()


def _warm() -> None:
    t0 = time.perf_counter()
    try:
        for name in MODULES:
            importlib.import_module(name)
        _register_components()
        _first_delta()
    except Exception:  # the script run imports again and shows the error
        LOG.exception("warm-up: import failed")
    finally:
        _imported.set()
    t1 = time.perf_counter()
    try:
        from geo.render.options import LARGE_SELECTION  # noqa: PLC0415 - imported above with geo.render.map

        if default_view() <= LARGE_SELECTION:
            _page_drawn.wait(ENGLISH_AFTER_S)
            default_view("en")  # the first switch to English then draws from the caches too (0.45 s → 0.02 s)
    except Exception:  # e.g. a broken data file: the first run reports it with its message
        LOG.warning("warm-up: default view not cached", exc_info=True)
    LOG.info("warm-up: imports %.2f s, default view %.2f s", t1 - t0, time.perf_counter() - t1)


def _register_components() -> None:
    """Register st_folium's component with the runtime: ``declare_component`` registers only inside a script run,
    and the warm-up imported streamlit_folium outside one (its files would be 404 to the browser)."""
    import streamlit_folium  # noqa: PLC0415 - imported by the warm-up thread
    from streamlit.runtime import Runtime, get_instance  # noqa: PLC0415

    deadline = time.monotonic() + RUNTIME_WAIT_S
    while not Runtime.exists() and time.monotonic() < deadline:  # started at serve.py's import: the server follows
        time.sleep(0.01)
    component = streamlit_folium._component_func
    registry = get_instance().component_registry
    if registry.get_component_path(component.name) is None:
        registry.register_component(component)


def _first_delta() -> None:
    """Streamlit's once-per-process check before its first element (``is_repl``: ``inspect.stack()`` of the
    caller, 0.25 s in a script run's deep stack), done here on the warm-up's short one."""
    from streamlit import delta_generator  # noqa: PLC0415 - imported by the warm-up thread

    check = getattr(delta_generator, "_maybe_print_use_warning", None)
    if check is not None:
        check()


def default_view(lang: str = "zh") -> int:
    """The atlas, and the base map and selection layer of a first visit (no URL parameters) in ``lang`` in the
    shared caches (with the statistics of that selection for the first language); the number of projects."""
    from geo.analysis.viewstate import ViewState  # noqa: PLC0415 - imported by the warm-up thread
    from geo.core.config import current  # noqa: PLC0415
    from geo.curation.store import default_sqlite_path  # noqa: PLC0415
    from geo.plans import plan_choices  # noqa: PLC0415
    from geo.render.basemaps import default_basemap  # noqa: PLC0415
    from ui.data import atlas_at  # noqa: PLC0415
    from ui.map import map_args, map_options  # noqa: PLC0415
    from ui.selection import _select, board_rows, county_rows, sector_board, selection_key  # noqa: PLC0415

    data, version = atlas_at(str(plan_choices()[""].root))
    view = ViewState().with_(basemap=default_basemap(), lang=lang)
    options = map_options(view, view.layers)
    if current().db_url or default_sqlite_path().exists():  # corrections may apply: the run computes its own
        map_args(data, data.projects, options, version)
        return len(data.projects)
    key = selection_key(view, "", version)
    selection, _ = _select(key, data.projects, data.transport_frame, view)
    map_args(data, selection, options, version, selection_key=key)
    if lang != ViewState().lang:
        return len(data.projects)  # the statistics do not depend on the language
    board_rows(key, selection)  # the statistics tab, shown first
    county_rows(key, selection, data.counties)
    sector_board(key, view.counting, selection)
    return len(data.projects)

"""The loaded atlas kept out of Python's cycle collector, so Streamlit's collection after every script run is cheap.

Streamlit runs ``gc.collect(2)`` after each script run (``runner.postScriptGC``), on the script thread and holding the
GIL: the server cannot send the run's messages meanwhile. It walks every tracked object: ~46 ms with the app's
libraries and the plan loaded, ~0.6 s with 100,000 projects, where it delayed each filter's map by up to 0.9 s.
``settle()`` moves what exists once an atlas has loaded (libraries, the atlas) into the permanent generation
(``gc.freeze``); the collections then walk only what later runs allocate. Frozen objects are still freed when no
longer referenced; the next ``settle()`` (another atlas loaded) unfreezes first, so cycles left since are collected.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def loading() -> Iterator[None]:
    """No cycle collection while an atlas loads: everything it allocates lives on, and each automatic full
    collection walks it all again (100,000 projects: 6.4 → 4.6 s to load; the plan: no change). ``settle()`` after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def settle() -> None:
    """Collect what is garbage now, then freeze the rest (measured: bench/results/profile-startup.md)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()

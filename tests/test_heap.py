"""The loaded atlas is kept out of the collection Streamlit runs after every script run (ui/heap.py)."""

from __future__ import annotations

import gc
import shutil
import weakref

import pytest
from conftest import ROOT

from ui import heap


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture(autouse=True)
def _unfrozen():
    yield
    gc.unfreeze()  # the rest of the test session collects as usual


def _walked(obj) -> bool:
    """Whether the cycle collector still walks ``obj`` (frozen objects are left out of gc.get_objects())."""
    return any(o is obj for o in gc.get_objects())


def test_settle_freezes_what_exists_and_a_later_settle_collects_cycles_left_since():
    kept = [{"n": i} for i in range(1000)]
    a, b = Node(), Node()
    a.other, b.other = b, a  # a reference cycle: only the cycle collector frees it
    gone = weakref.ref(a)
    heap.settle()
    assert not _walked(kept) and gc.get_freeze_count() >= 1000
    del a, b
    gc.collect()
    assert gone() is not None  # frozen: a full collection leaves it alone (that is the point)
    heap.settle()  # another atlas loaded: unfreeze, collect, freeze
    assert gone() is None
    assert not _walked(kept)


def test_loading_pauses_the_collector_and_restores_it():
    assert gc.isenabled()
    with heap.loading():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), heap.loading():
        raise RuntimeError("a broken file")
    assert gc.isenabled()
    gc.disable()
    try:
        with heap.loading():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_a_loaded_atlas_is_frozen(tmp_path):
    from ui.data import atlas_at

    for name in ("data", "layers"):  # a root of its own: the cache loads it here, not in an earlier test
        shutil.copytree(ROOT / name, tmp_path / name)
    data, _ = atlas_at(str(tmp_path))
    assert len(data.projects) > 200
    assert gc.isenabled()
    assert not _walked(data.projects) and not _walked(data.county_layer)
    fresh = Node()  # made after the load: walked as usual
    assert _walked(fresh)

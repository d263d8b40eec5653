"""The map's colours stay distinguishable for people with colour-vision deficiencies.

Each colour is simulated for protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009 at full
severity, via ``colorspacious``) and for normal vision; the distance between two colours is ΔE in CAM02-UCS
(Luo et al. 2006), where ΔE ≈ 1 is about one just-noticeable difference for large patches.

Bounds, the smallest ΔE between any two colours of a set under any of the four simulations:

* the six main clusters: **≥ 10** — small marks (8–18 px circles, donut segments) need several JNDs to be told
  apart at a glance; the Okabe–Ito set they use reaches ~11 (its closest pair under tritanopia), matplotlib's tab20
  gives 1.6 (orange and green under protanopia), so the bound separates a safe palette from the old one;
* all sixteen sectors: **≥ 6** — distinct side by side, not always at a glance: 16 colours cannot all be ≥ 10 apart
  under every simulation and still read on the paper basemap, so the legend's order (the six clusters first) and
  its labels are the second channel; tab20 gives 1.6;
* the transport modes: **≥ 10** among themselves, and **≥ 8** from every board outline colour, so a line is never
  read as a board;
* every sector and mode colour against the offline basemap's paper (#f3f1ec): **≥ 20**, so it reads on a projector
  (the palest, the water sector's Tol cyan, is ~21.5; white would be ~3). The airport's yellow is exempt: it fills an
  icon with a black outline and glyph.
"""

from __future__ import annotations

import itertools

import matplotlib
import numpy as np
import pytest

from geo.core.tables import read_table
from geo.render.style import BOARD_COLORS, MODE_STYLE, sector_colors

cs = pytest.importorskip("colorspacious")

SIMULATIONS = {
    "normal": None,
    "protanopia": "protanomaly",
    "deuteranopia": "deuteranomaly",
    "tritanopia": "tritanomaly",
}
PAPER = "#f3f1ec"
CLUSTER_MIN, SECTOR_MIN, MODE_MIN, MODE_BOARD_MIN, PAPER_MIN = 10.0, 6.0, 10.0, 8.0, 20.0


def _rgb(color: str) -> np.ndarray:
    return np.array(matplotlib.colors.to_rgb(color))


def _seen(color: str, cvd: str | None) -> np.ndarray:
    """The colour as seen with the deficiency (sRGB in 0..1)."""
    if cvd is None:
        return _rgb(color)
    space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
    return np.clip(cs.cspace_convert(_rgb(color), space, "sRGB1"), 0, 1)


def delta(a: str, b: str) -> float:
    """The smallest CAM02-UCS ΔE between two colours under normal vision and the three simulations."""
    return min(float(cs.deltaE(_seen(a, k), _seen(b, k), input_space="sRGB1")) for k in SIMULATIONS.values())


def closest(colors: dict[str, str]) -> tuple[float, tuple[str, str]]:
    """The closest pair of a set (by ``delta``) and its distance."""
    return min((delta(colors[a], colors[b]), (a, b)) for a, b in itertools.combinations(colors, 2))


def _sectors() -> list[dict[str, str]]:
    from geo.core.config import paths

    return read_table(paths.DATA / "sectors.csv", ("sector", "kind", "zh", "en"))


def _tab20(codes: list[str]) -> dict[str, str]:
    cmap = matplotlib.colormaps["tab20"]
    return {code: matplotlib.colors.to_hex(cmap(i % 20)) for i, code in enumerate(codes)}


def test_the_six_clusters_come_first_and_are_six() -> None:
    kinds = [s["kind"] for s in _sectors()]
    assert kinds[:6] == ["cluster"] * 6 and "cluster" not in kinds[6:]


def test_the_six_clusters_are_far_apart_under_every_simulation() -> None:
    codes = [s["sector"] for s in _sectors()]
    six = dict(list(sector_colors(codes).items())[:6])
    d, pair = closest(six)
    assert d >= CLUSTER_MIN, f"{pair} only ΔE {d:.1f} apart"


def test_every_sector_colour_is_distinct_under_every_simulation() -> None:
    codes = [s["sector"] for s in _sectors()]
    colors = sector_colors(codes)
    assert len(set(colors.values())) == len(codes)
    d, pair = closest(colors)
    assert d >= SECTOR_MIN, f"{pair} only ΔE {d:.1f} apart"


def test_the_old_tab20_palette_fails_both_bounds() -> None:
    """The check can fail: tab20's greens and oranges collapse under protanopia."""
    codes = [s["sector"] for s in _sectors()]
    old = _tab20(codes)
    six, _pair = closest(dict(list(old.items())[:6]))
    every, _ = closest(old)
    assert six < CLUSTER_MIN and every < SECTOR_MIN
    assert delta("#ff7f0e", "#2ca02c") < 3  # tab20 orange vs green, under protanopia


def test_transport_modes_are_distinct_and_not_board_colours() -> None:
    modes = {mode: color for mode, (color, _dash) in MODE_STYLE.items()}
    distinct = {color: mode for mode, color in modes.items()}  # metro/BRT/tram share urban transit's colour
    d, pair = closest({mode: color for color, mode in distinct.items()})
    assert d >= MODE_MIN, f"{pair} only ΔE {d:.1f} apart"
    for mode, color in modes.items():
        for board, board_color in BOARD_COLORS.items():
            assert delta(color, board_color) >= MODE_BOARD_MIN, (mode, board)


def test_every_colour_reads_on_the_paper_basemap() -> None:
    codes = [s["sector"] for s in _sectors()]
    # the airport's yellow is the fill of an icon with a black outline and a black glyph: the outline reads
    lines = {m: c for m, (c, _d) in MODE_STYLE.items() if m != "airport"}
    everything = {**sector_colors(codes), **lines}
    for name, color in everything.items():
        assert delta(color, PAPER) >= PAPER_MIN, name
    assert delta("#ffffff", PAPER) < PAPER_MIN  # white would not

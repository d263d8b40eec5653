"""The side panel of a slide: legend sections flowed into columns, text wrapped to its width by measurement."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

#: (kind, colour, dashes): dot = site, ring = town/zone, badge = county count, line, board, airport; None = no swatch.
Swatch = tuple[str, str, tuple[float, ...] | None] | None
TOKEN = re.compile(r"[A-Za-z0-9$\\{}()\[\]<>/&.,:;'’“”\"_=+%?!@#*^|~-]+\s*|\s+|.")


@dataclass
class Section:
    """A heading and its entries (swatch, text), e.g. the sectors present with their counts."""

    title: str
    items: list[tuple[Swatch, str]] = field(default_factory=list)
    gid: str = "legend"


def wrap(text: str, width_px: float, make: Any, renderer: RendererBase, tail: str = "") -> list[str]:
    """``text`` broken into lines no wider than ``width_px`` (at spaces in English, between characters in Chinese).

    ``make(s)`` returns a Text artist of ``s`` in the final style; it is removed after measuring. ``tail`` (e.g.
    ' — 0 个项目') is never broken: it ends the last line, or makes a line of its own.
    """
    probe: Text = make("")
    lines: list[str] = []
    line = ""
    for token in TOKEN.findall(text):
        candidate = line + token
        probe.set_text(candidate.rstrip())
        if line and probe.get_window_extent(renderer).width > width_px:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line = candidate
    if line.strip():
        lines.append(line.rstrip())
    lines = lines or [""]
    if tail:
        probe.set_text(lines[-1] + tail)
        if probe.get_window_extent(renderer).width > width_px and lines[-1]:
            lines.append(tail.strip())
        else:
            lines[-1] += tail
    probe.remove()
    return lines


def _swatch(fig: Figure, swatch: Swatch, x: float, y: float, size: float) -> list[Any]:
    """The symbol of one legend entry, centred at x, y (figure fractions), ``size`` points tall."""
    if swatch is None:
        return []
    kind, colour, dashes = swatch
    w = size * 1.8 / 72 / fig.get_figwidth()
    common = {"transform": fig.transFigure, "zorder": 5}
    if kind in ("line", "board"):
        art = Line2D([x - w / 2, x + w / 2], [y, y], color=colour, lw=size * 0.22, **common)
        if dashes:
            art.set_dashes(dashes)
        return [fig.add_artist(art)]
    if kind == "airport":
        dot = Line2D([x], [y], marker="o", ms=size * 1.2, mfc="#ffd92f", mec="#111111", mew=1.2, **common)
        sign = fig.text(x, y, "✈", ha="center", va="center", fontsize=size * 0.75, parse_math=False, zorder=6)
        return [fig.add_artist(dot), sign]
    if kind == "badge":
        h = size * 0.95 / 72 / fig.get_figheight()
        ww = size * 0.95 / 72 / fig.get_figwidth()
        box = Rectangle((x - ww / 2, y - h / 2), ww, h, facecolor=colour, edgecolor="white", **common)
        return [fig.add_artist(box)]
    ring = kind == "ring"
    dot = Line2D(
        [x],
        [y],
        marker="o",
        ms=size * 0.8,
        mfc="none" if ring else colour,
        mec=colour,
        mew=2 if ring else 0.5,
        ls="none",
        **common,
    )
    return [fig.add_artist(dot)]


def draw_columns(
    fig: Figure,
    renderer: RendererBase,
    columns: Sequence[tuple[float, float, float, float, Sequence[Section]]],
    size: float,
) -> tuple[list[Any], bool]:
    """Each column (x0, x1, top, bottom in figure fractions, sections) drawn top-down.

    Returns the artists and whether everything fitted above each column's bottom.
    """
    artists: list[Any] = []
    fits = True
    line_h = size * 1.5 / 72 / fig.get_figheight()
    fig_w_px = fig.get_figwidth() * fig.dpi
    for x0, x1, top, bottom, sections in columns:
        y = top
        text_x = x0 + size * 2.2 / 72 / fig.get_figwidth()
        width_px = (x1 - text_x) * fig_w_px
        for section in sections:
            heading = fig.text(
                x0, y, section.title, fontsize=size * 1.08, weight="bold", va="top", parse_math=False, gid="legend"
            )
            artists.append(heading)
            y -= line_h * 1.25
            for swatch, text in section.items:
                indent = text_x if swatch is not None else x0

                def make(s: str, _x: float = indent, _y: float = y, _gid: str = section.gid) -> Text:
                    return fig.text(_x, _y, s, fontsize=size, va="center", parse_math=False, gid=_gid, color="#222222")

                lines = wrap(text, (x1 - indent) * fig_w_px if swatch is None else width_px, make, renderer)
                artists += _swatch(fig, swatch, x0 + size * 0.9 / 72 / fig.get_figwidth(), y, size)
                for i, line in enumerate(lines):
                    artists.append(make(line, indent, y - i * line_h))
                y -= line_h * len(lines)
            y -= line_h * 0.6
        fits = fits and y + line_h * 0.6 >= bottom
    return artists, fits

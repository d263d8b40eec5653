"""Map furniture of a slide: a scale bar measured in UTM metres, a north arrow to true north, a QR code."""

from __future__ import annotations

import math

import numpy as np
import segno
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrow, Rectangle
from pyproj import Transformer

from geo.core.crs import WGS84

#: The map is drawn in UTM zone 52N (metres, conformal): a length on the map is a length on the ground (±0.1 %).
SLIDE_CRS = "EPSG:32652"
NICE = (1, 2, 2.5, 5)


def nice_km(span_m: float, share: float = 0.22) -> float:
    """The round length (1, 2, 2.5 or 5 × 10ⁿ km) nearest below ``share`` of the map's width."""
    target = max(span_m * share / 1000, 0.001)
    power = 10 ** math.floor(math.log10(target))
    return max(n * power for n in NICE if n * power <= target)


def scale_bar(ax: Axes, km: float, fontsize: float, label: str) -> list[Rectangle]:
    """A two-part black/white bar of ``km`` kilometres at the lower left (gid ``scalebar``, ``scalebar_km`` on it)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    left, bottom = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.05
    height = (y1 - y0) * 0.012
    half = km * 1000 / 2
    bars = []
    for i, colour in enumerate(("#222222", "#ffffff")):
        bar = Rectangle((left + i * half, bottom), half, height, facecolor=colour, edgecolor="#222222", lw=1, zorder=30)
        bar.set_gid("scalebar")
        bar.scalebar_km = km  # type: ignore[attr-defined]  # what the label states, for the tests
        ax.add_patch(bar)
        bars.append(bar)
    for x, text in ((left, "0"), (left + km * 1000, label)):
        ax.text(
            x, bottom + height * 1.8, text, ha="center", va="bottom", fontsize=fontsize, parse_math=False, zorder=30
        )
    ax.add_patch(
        Rectangle(
            (left - (x1 - x0) * 0.015, bottom - height * 1.5),
            km * 1000 + (x1 - x0) * 0.05,
            height * 6.5,
            facecolor="white",
            alpha=0.75,
            edgecolor="none",
            zorder=29,
            gid="scalebar_box",
        )
    )
    return bars


def true_north(x: float, y: float) -> float:
    """The angle (degrees, counter-clockwise from the map's up) of true north at map point x, y (UTM metres)."""
    to_geo = Transformer.from_crs(SLIDE_CRS, WGS84, always_xy=True)
    to_map = Transformer.from_crs(WGS84, SLIDE_CRS, always_xy=True)
    lon, lat = to_geo.transform(x, y)
    nx, ny = to_map.transform(lon, lat + 0.05)
    return math.degrees(math.atan2(-(nx - x), ny - y))


def north_arrow(ax: Axes, fontsize: float) -> FancyArrow:
    """An arrow with N at the upper right of the map, turned to true north at the map's centre (gid ``north``)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    angle = math.radians(true_north((x0 + x1) / 2, (y0 + y1) / 2))
    length = (y1 - y0) * 0.07
    cx, cy = x1 - (x1 - x0) * 0.05, y1 - (y1 - y0) * 0.16
    dx, dy = -math.sin(angle) * length, math.cos(angle) * length
    arrow = FancyArrow(
        cx - dx / 2,
        cy - dy / 2,
        dx,
        dy,
        width=length * 0.12,
        head_width=length * 0.42,
        head_length=length * 0.45,
        length_includes_head=True,
        color="#222222",
        zorder=30,
    )
    arrow.set_gid("north")
    arrow.north_angle = math.degrees(angle)  # type: ignore[attr-defined]
    ax.add_patch(arrow)
    ax.text(
        cx + dx * 0.75,
        cy + dy * 0.75,
        "N",
        ha="center",
        va="bottom",
        fontsize=fontsize,
        weight="bold",
        parse_math=False,
        zorder=30,
        gid="north_label",
    )
    return arrow


def qr_matrix(url: str) -> np.ndarray:
    """The QR code of ``url`` as a 0/1 matrix with its 4-module quiet zone (segno, error correction M)."""
    code = segno.make(url, error="m", micro=False)
    return np.array([list(row) for row in code.matrix_iter(scale=1, border=4)], dtype=np.uint8)


def qr_code(fig: Figure, url: str, rect: tuple[float, float, float, float]) -> Axes:
    """The QR code of ``url`` drawn as square modules in ``rect`` (figure fractions; gid ``qr``)."""
    ax = fig.add_axes(rect)
    ax.set_gid("qr")
    ax.imshow(1 - qr_matrix(url), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.qr_url = url  # type: ignore[attr-defined]
    return ax

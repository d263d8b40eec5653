"""Map labels on a matplotlib axes placed by priority without overlaps: shifted to a free spot or left out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib.patheffects as pe
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.text import Text
from matplotlib.transforms import Bbox

#: Offsets (in font heights) tried around the anchor, nearest first.
OFFSETS = (
    (0, 0),
    (0, 1.2),
    (0, -1.2),
    (1, 0.6),
    (-1, 0.6),
    (1, -0.6),
    (-1, -0.6),
    (0, 2.4),
    (0, -2.4),
    (1.6, 1.8),
    (-1.6, 1.8),
    (1.6, -1.8),
    (-1.6, -1.8),
    (0, 3.6),
    (0, -3.6),
)
HALO = [pe.withStroke(linewidth=3, foreground="white")]
#: Offsets of a number beside a point (never on it).
BESIDE = ((0.3, 0.75), (-0.3, 0.75), (0.3, -0.75), (-0.3, -0.75), (0.55, 0), (-0.55, 0), (0, 1.3), (0, -1.3))


@dataclass
class Label:
    """One label: a name and, optionally, a count badge under it (drawn and kept or dropped together)."""

    x: float  # anchor, data coordinates
    y: float
    text: str
    kind: str  # "county", "board" … (the artists' gid is "label:<kind>")
    priority: float  # lower first
    style: dict[str, Any] = field(default_factory=dict)
    badge: str | None = None  # e.g. the number of county-level projects
    badge_color: str = "#1f6f8b"
    short: str | None = None  # a shorter form tried when the name fits nowhere ("Chuanying" for "Chuanying District")
    offsets: tuple[tuple[float, float], ...] = OFFSETS  # where to try it, in font heights (x in 2.2 of them)


def _extent(artist: Text, renderer: RendererBase, pad: float) -> Bbox:
    box = artist.get_window_extent(renderer)
    if artist.get_bbox_patch() is not None:
        if hasattr(artist, "update_positions"):  # an annotation: place its text at the offset first
            artist.update_positions(renderer)
        artist.update_bbox_position_size(renderer)
        box = Bbox.union([box, artist.get_bbox_patch().get_window_extent(renderer)])
    return box.expanded(1, 1).padded(pad)


def _free(box: Bbox, taken: Sequence[Bbox], frame: Bbox) -> bool:
    inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    return inside and not any(box.overlaps(other) for other in taken)


def place_labels(
    ax: Axes, labels: Sequence[Label], renderer: RendererBase, obstacles: Sequence[Bbox] = (), pad: float = 2.0
) -> tuple[list[Text], list[Label]]:
    """Draw the labels by priority, each at the first free offset; those with none are removed.

    Returns the artists drawn (names and badges, gid ``label:<kind>`` and ``badge:<kind>``) and the labels left out.
    Every text is drawn literally (``parse_math=False``): a ``$`` in a name is a dollar sign, not mathtext.
    """
    taken: list[Bbox] = list(obstacles)
    frame = ax.get_window_extent(renderer)
    drawn: list[Text] = []
    dropped: list[Label] = []
    units: list[tuple[Label, list[Text]]] = []
    for label in sorted(labels, key=lambda lb: lb.priority):
        size = float(label.style.get("fontsize", 12))
        placed = False
        tries = [(label.text, o) for o in label.offsets]
        if label.short and label.short != label.text:
            tries += [(label.short, o) for o in label.offsets]
        for text, (dx, dy) in tries:
            offset = (dx * size * 2.2, dy * size)
            name = ax.annotate(
                text,
                (label.x, label.y),
                xytext=offset,
                textcoords="offset points",
                ha="center",
                va="center",
                parse_math=False,
                path_effects=HALO,
                gid=f"label:{label.kind}",
                zorder=20,
                annotation_clip=False,
                **label.style,
            )
            parts = [name]
            if label.badge is not None:
                parts.append(
                    ax.annotate(
                        label.badge,
                        (label.x, label.y),
                        xytext=(offset[0], offset[1] - size * 1.6),
                        textcoords="offset points",
                        ha="center",
                        va="center",
                        parse_math=False,
                        fontsize=size * 0.9,
                        color="white",
                        weight="bold",
                        gid=f"badge:{label.kind}",
                        zorder=21,
                        annotation_clip=False,
                        bbox={"boxstyle": "round,pad=0.3", "fc": label.badge_color, "ec": "white", "lw": 1.2},
                    )
                )
            boxes = [_extent(p, renderer, pad) for p in parts]
            if all(_free(b, taken, frame) for b in boxes):
                taken.extend(boxes)
                drawn.extend(parts)
                units.append((label, parts))
                placed = True
                break
            for p in parts:
                p.remove()
        if not placed:
            dropped.append(label)
    # measured again as drawn (an annotation settles its offset at draw time): a label that now touches one before
    # it, or an obstacle, is left out after all
    ax.figure.canvas.draw()
    kept: list[Bbox] = list(obstacles)
    for label, parts in units:
        boxes = [(p.get_bbox_patch() or p).get_window_extent(renderer) for p in parts]
        if any(b.overlaps(k) for b in boxes for k in kept):
            for p in parts:
                p.remove()
                drawn.remove(p)
            dropped.append(label)
        else:
            kept.extend(boxes)
    return drawn, dropped

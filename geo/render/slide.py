"""A slide or print of a selection (PNG 1920×1080, PDF A4/A3 landscape): map, title, legend, scale, north, QR.

Drawn with matplotlib alone (no browser, no network) in UTM 52N metres, so the scale bar is a true length. Every
text is drawn literally (``parse_math=False``): names with ``$`` or ``<script>`` print as written.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd
from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from shapely.ops import polylabel

from geo.analysis.viewstate import ViewState
from geo.core.crs import METRIC, WGS84
from geo.core.domain import Precision
from geo.core.i18n import t
from geo.render.slidelabels import BESIDE, Label, place_labels
from geo.render.slidelegend import (
    BADGE,
    board_section,
    count_section,
    note_section,
    sector_section,
    symbol_section,
    transport_section,
)
from geo.render.slidemarks import nice_km, north_arrow, qr_code, scale_bar
from geo.render.slidepanel import draw_columns, wrap
from geo.render.slidetext import slide_title, source_line
from geo.render.style import BOARD_COLORS, MODE_STYLE, sector_colors
from geo.render.wording import Labels

CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "SimHei")
#: page → (width, height) in inches: a 1920×1080 PNG at 100 dpi, ISO A4 and A3 landscape.
PAGES = {"png": (19.2, 10.8), "pdf_a4": (297 / 25.4, 210 / 25.4), "pdf_a3": (420 / 25.4, 297 / 25.4)}
DPI = 100
MAP_BOTTOM = 0.075  # figure fraction of the map's foot; the source line sits below, the title above the map
MARGIN = 0.012
COUNTY_FILL, OUTSIDE_FILL, WATER = "#fbfaf5", "#e6ebee", "#8fbfe0"


def cjk_font() -> str | None:
    """The first installed font that can draw Chinese (the test setup installs WenQuanYi Micro Hei)."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


@dataclass(frozen=True)
class Layers:
    """The atlas layers a slide draws, in UTM metres."""

    counties: gpd.GeoDataFrame
    city: gpd.GeoDataFrame
    water: gpd.GeoDataFrame | None
    boards: gpd.GeoDataFrame
    transport: gpd.GeoDataFrame

    @classmethod
    def of(cls, data: Any) -> Layers:
        def frame(fc: dict[str, Any] | None) -> gpd.GeoDataFrame | None:
            if not fc or not fc.get("features"):
                return None
            return gpd.GeoDataFrame.from_features(fc["features"], crs=WGS84).to_crs(METRIC)

        boards = frame(data.boards)
        return cls(
            counties=data.counties.to_crs(METRIC),
            city=data.city.to_crs(METRIC),
            water=frame(data.water),
            boards=boards if boards is not None else gpd.GeoDataFrame(geometry=[], crs=METRIC),
            transport=data.transport_frame.to_crs(METRIC),
        )


def county_counts(selection: gpd.GeoDataFrame) -> dict[str, int]:
    """adcode → number of county-level projects of the selection (a project naming two counties counts in both)."""
    level3 = selection[selection["precision"] == Precision.COUNTY]
    if level3.empty:
        return {}
    return {str(k): int(v) for k, v in level3["adcodes"].explode().dropna().astype(str).value_counts().items()}


def frame_bounds(
    selection: gpd.GeoDataFrame, layers: Layers, counts: dict[str, int], view: ViewState | None
) -> tuple[float, float, float, float]:
    """The extent (UTM) of what the slide shows: located projects, counties with counts or chosen, else the city."""
    # lines that run on beyond the city (to Changchun, Yanji …) are framed within reach of the city only
    reach = layers.city.geometry.union_all().buffer(25_000)
    parts = [selection[selection.geometry.notna()].to_crs(METRIC).geometry.intersection(reach)]
    chosen = set(counts) | set(view.counties if view else ())
    parts.append(layers.counties[layers.counties["adcode"].astype(str).isin(chosen)].geometry)
    shown = gpd.GeoSeries(pd.concat(parts), crs=METRIC)
    shown = shown[shown.notna() & ~shown.is_empty]
    x0, y0, x1, y1 = (shown if len(shown) else layers.city.geometry).total_bounds
    pad = max(x1 - x0, y1 - y0, 30_000) * 0.08  # context around what is shown
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


def fit_aspect(bounds: tuple[float, float, float, float], aspect: float) -> tuple[float, float, float, float]:
    """``bounds`` grown (never shrunk) to width/height = ``aspect``, centred."""
    x0, y0, x1, y1 = bounds
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        grow = (h * aspect - w) / 2
        return x0 - grow, y0, x1 + grow, y1
    grow = (w / aspect - h) / 2
    return x0, y0 - grow, x1, y1 + grow


def _dashes(pattern: str | None, lw: float) -> tuple[float, ...] | None:
    """An SVG dash array ('8 6', in pixels of a 3-px line) as matplotlib dashes (in line widths)."""
    if not pattern:
        return None
    return tuple(float(v) / 3 for v in pattern.split())


def _base(ax: Any, layers: Layers, view: ViewState | None, span: float) -> None:
    ax.set_facecolor(OUTSIDE_FILL)
    layers.counties.plot(ax=ax, color=COUNTY_FILL, edgecolor="#8a8a8a", linewidth=0.8, zorder=1)
    if view and view.counties:
        chosen = layers.counties[layers.counties["adcode"].astype(str).isin(view.counties)]
        chosen.plot(ax=ax, color="#fff1cc", edgecolor="#b08020", linewidth=1.6, zorder=1.5)
    layers.city.boundary.plot(ax=ax, color="#555555", linewidth=1.6, zorder=2)
    if layers.water is not None:
        areas = layers.water[layers.water.geom_type.isin(["Polygon", "MultiPolygon"])]
        rivers = layers.water[~layers.water.index.isin(areas.index)]
        if not areas.empty:
            areas.plot(ax=ax, color=WATER, edgecolor="#5b9bd5", linewidth=0.5, zorder=3)
        if not rivers.empty:
            rivers.plot(ax=ax, color="#5b9bd5", linewidth=1.1, zorder=3)
    for i, (_, row) in enumerate(layers.boards.iterrows()):  # each board inset by its own step: overlaps side by side
        colour = BOARD_COLORS.get(row.get("board"), "#333333")
        inset = row.geometry.buffer(-span * 0.004 * (i + 1))
        gpd.GeoSeries([inset if not inset.is_empty else row.geometry], crs=METRIC).boundary.plot(
            ax=ax, color=colour, linewidth=2.0, linestyle=(0, (5, 3)), alpha=0.9, zorder=4
        )


def _transport(ax: Any, layers: Layers, selected: set[str], size: float) -> set[str]:
    """The transport plan in one colour per mode (selected lines thicker); returns the modes drawn."""
    modes = set()
    for _, row in layers.transport.iterrows():
        modes.add(row["mode"])
        if row.geometry.geom_type == "Point":
            x, y = row.geometry.x, row.geometry.y
            ax.plot([x], [y], marker="o", ms=size * 1.5, mfc="#ffd92f", mec="#111111", mew=1.4, zorder=9, gid="airport")
            ax.text(
                x, y, "✈", ha="center", va="center", fontsize=size * 0.9, parse_math=False, zorder=9.5, clip_on=True
            )
            continue
        colour, dash = MODE_STYLE.get(row["mode"], ("#555555", "6 4"))
        lw = 3.6 if row["id"] in selected else 2.2
        for line in getattr(row.geometry, "geoms", [row.geometry]):
            xs, ys = line.xy
            (art,) = ax.plot(xs, ys, color=colour, lw=lw, alpha=0.9, zorder=6, solid_capstyle="round")
            dashes = _dashes(dash, lw)
            if dashes:
                art.set_dashes(dashes)
    return modes


def _projects(ax: Any, selection: gpd.GeoDataFrame, colors: dict[str, str], layers: Layers, size: float) -> list[Label]:
    """Sites as dots, towns/zones as rings in their sector colour; returns the numbers of places with several projects."""
    located = selection[selection.geometry.notna()].to_crs(METRIC)
    drawn_ids = set(layers.transport["id"])
    stacked: dict[tuple[int, int], int] = {}
    for _, row in located.iterrows():
        colour = colors.get(row.get("sector"), "#666666")
        geom = row.geometry
        if row["precision"] == Precision.LINE:
            if row["id"] not in drawn_ids:  # a line project that is not part of the transport plan
                for line in getattr(geom, "geoms", [geom]):
                    ax.plot(*line.xy, color=colour, lw=3, ls="--", zorder=7)
            continue
        points = list(getattr(geom, "geoms", [geom]))
        xs, ys = [p.x for p in points], [p.y for p in points]
        for p in points:
            key = (round(p.x / 200), round(p.y / 200))  # one place: within 200 m
            stacked[key] = stacked.get(key, 0) + 1
        if row["precision"] == Precision.SITE:
            ax.scatter(xs, ys, s=(size * 0.9) ** 2, color=colour, edgecolors="white", linewidths=0.8, zorder=11)
        else:
            ax.scatter(xs, ys, s=(size * 1.0) ** 2, facecolors="none", edgecolors=colour, linewidths=2.2, zorder=10)
    return [
        Label(kx * 200, ky * 200, str(n), "stack", 3, {"fontsize": size * 0.95, "weight": "bold"}, offsets=BESIDE)
        for (kx, ky), n in sorted(stacked.items())
        if n > 1
    ]


def _labels(ax: Any, data: Any, layers: Layers, counts: dict[str, int], lang: str, size: float) -> list[Label]:
    labels = []
    names = "name_en" if lang == "en" else "name"
    for _, row in layers.counties.iterrows():
        code = str(row["adcode"])
        n = counts.get(code, 0)
        x, y = layers.counties.loc[[_], "geometry"].iloc[0].representative_point().coords[0]
        if pd.notna(row.get("label_lon")):
            x, y = (
                gpd.GeoSeries.from_xy([row["label_lon"]], [row["label_lat"]], crs=WGS84)
                .to_crs(METRIC)
                .iloc[0]
                .coords[0]
            )
        labels.append(
            Label(
                x,
                y,
                str(row[names]),
                "county",
                (0 if n else 1) - float(row.get("area_km2") or 0) / 1e6 - n / 1e3,
                {"fontsize": size * 1.05, "weight": "bold", "color": "#222222"},
                badge=str(n) if n else None,
                badge_color=BADGE,
                short=str(row[names]).rsplit(" ", 1)[0] if lang == "en" else str(row.get("short") or row[names]),
            )
        )
    short = "short_en" if lang == "en" else "short_zh"
    for _, row in layers.boards.iterrows():
        geom = row.geometry
        part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        point = polylabel(part, tolerance=500)
        text = t("map.board_name", lang, name=row.get(short) or row.get("board"))
        style = {"fontsize": size * 0.95, "style": "italic", "color": BOARD_COLORS.get(row.get("board"), "#333")}
        labels.append(Label(point.x, point.y, text, "board", 2, style))
    return labels


def _rc() -> dict[str, Any]:
    font = cjk_font()
    # TrueType (Type 42) fonts in the PDF: subset and embedded, text stays extractable and searchable
    return {"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"], "pdf.fonttype": 42}


def _summary(selection: gpd.GeoDataFrame, counts: dict[str, int], lang: str) -> str:
    p = selection["precision"]
    return t(
        "slide.summary",
        lang,
        points=int(p.isin([Precision.SITE, Precision.TOWN]).sum()),
        lines=int((p == Precision.LINE).sum()),
        county=int((p == Precision.COUNTY).sum()),
        city=int((p == Precision.CITY).sum()),
        outside=int((p == Precision.OUTSIDE).sum()),
    )


def _wrapped(
    fig: Figure, renderer: Any, x: float, y: float, text: str, width: float, va: str, tail: str = "", **style: Any
) -> list:
    """``text`` wrapped to ``width`` (figure fraction) at x, y; lines go down from y (va top) or up (va bottom)."""

    def make(s: str) -> Any:
        return fig.text(x, y, s, va=va, parse_math=False, **style)

    lines = wrap(text, width * fig.get_figwidth() * fig.dpi, make, renderer, tail)
    step = style.get("fontsize", 10) * 1.3 / 72 / fig.get_figheight()
    if va == "bottom":
        lines = lines[::-1]
    sign = 1 if va == "bottom" else -1
    return [fig.text(x, y + sign * i * step, line, va=va, parse_math=False, **style) for i, line in enumerate(lines)]


def build_slide(
    selection: gpd.GeoDataFrame,
    data: Any,
    *,
    page: str = "png",
    lang: str = "zh",
    view: ViewState | None = None,
    share_url: str | None = None,
    today: date | None = None,
) -> Figure:
    """The slide as a matplotlib Figure (call inside ``slide_style()``); texts and marks carry gids for the tests."""
    w_in, h_in = PAGES[page]
    size = 13 * h_in / 10.8
    fig = Figure(figsize=(w_in, h_in), dpi=DPI, facecolor="white")
    renderer = FigureCanvasAgg(fig).get_renderer()
    layers = Layers.of(data)
    words = Labels(data, lang)
    colors = sector_colors([s["sector"] for s in data.sectors])
    counts = county_counts(selection)
    bounds = frame_bounds(selection, layers, counts, view)
    title = slide_title(view, data, len(selection), lang)
    head, _, count = title.rpartition(" — ")  # the count is never broken off on its own
    lines = _wrapped(
        fig, renderer, MARGIN, 0.985, head, 1 - 2 * MARGIN, "top", tail=f" — {count}", fontsize=size * 2, weight="bold"
    )
    for line in lines:
        line.set_gid("title")
    below = 0.985 - len(lines) * size * 2 * 1.3 / 72 / h_in - 0.006
    summary = _wrapped(
        fig,
        renderer,
        MARGIN,
        below,
        _summary(selection, counts, lang),
        1 - 2 * MARGIN,
        "top",
        fontsize=size * 1.05,
        color="#444444",
        gid="summary",
    )
    map_top = below - len(summary) * size * 1.05 * 1.3 / 72 / h_in - 0.02
    map_h = (map_top - MAP_BOTTOM) * h_in
    want = map_h * (bounds[2] - bounds[0]) / (bounds[3] - bounds[1]) / w_in
    map_w = min(max(want, 0.45), 0.60)
    ax = fig.add_axes((MARGIN, MAP_BOTTOM, map_w, map_top - MAP_BOTTOM), gid="map")
    x0, y0, x1, y1 = fit_aspect(bounds, map_w * w_in / map_h)
    _base(ax, layers, view, x1 - x0)
    msize = min(size, 13 * map_w * w_in / (0.45 * 19.2))  # map type in proportion to the map (A4 is narrower)
    modes = _transport(ax, layers, set(selection["id"]), msize)
    stacks = _projects(ax, selection, colors, layers, msize)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#999999")
    ax.apply_aspect()  # the frame as it will be drawn (geopandas asks for equal aspect), before anything is measured
    x0, x1 = ax.get_xlim()
    km = nice_km(x1 - x0)
    scale_bar(ax, km, msize * 0.85, f"{km:g} km")
    north_arrow(ax, msize)
    obstacles = [a.get_window_extent(renderer) for a in ax.patches if a.get_gid() in ("scalebar_box", "north")]
    obstacles += [a.get_window_extent(renderer) for a in ax.texts if a.get_gid() == "north_label"]
    obstacles += [a.get_window_extent(renderer) for a in ax.lines if a.get_gid() == "airport"]  # names never on ✈
    if selection.empty:
        note = ax.text(
            0.5,
            0.5,
            t("slide.empty", lang),
            transform=ax.transAxes,
            ha="center",
            va="center",
            parse_math=False,
            fontsize=size * 2,
            weight="bold",
            color="#444444",
            zorder=40,
            gid="empty",
            bbox={"boxstyle": "round,pad=0.6", "fc": "white", "ec": "#999999", "alpha": 0.92},
        )
        note.update_bbox_position_size(renderer)
        obstacles.append(note.get_bbox_patch().get_window_extent(renderer))
    place_labels(ax, _labels(ax, data, layers, counts, lang, msize) + stacks, renderer, obstacles)
    _wrapped(
        fig,
        renderer,
        MARGIN,
        0.012,
        source_line(lang, today or date.today(), share_url),
        1 - 2 * MARGIN,
        "bottom",
        fontsize=size * 0.72,
        color="#555555",
        gid="source",
    )
    left = MARGIN + map_w + 0.022
    right = 1 - MARGIN
    mid = (left + right) / 2
    qr_side = min((right - mid) * w_in, 0.2 * h_in) if share_url else 0.0
    qr_bottom = MAP_BOTTOM + size * 1.6 / 72 / h_in
    col_a = [
        s
        for s in (
            sector_section(selection, data, colors, lang),
            count_section(counts, words, lang),
            note_section(selection, words, lang),
        )
        if s
    ]
    col_b = [symbol_section(lang), board_section(layers.boards, lang), transport_section(modes, lang)]
    panel_size = size
    for _ in range(6):  # smaller type until the legend fits above the page's foot and the QR code
        columns = [
            (left, mid - 0.01, map_top, MAP_BOTTOM, col_a),
            (mid + 0.005, right, map_top, qr_bottom + (qr_side / h_in if qr_side else 0), col_b),
        ]
        artists, fits = draw_columns(fig, renderer, columns, panel_size)
        if fits:
            break
        for artist in artists:
            artist.remove()
        panel_size *= 0.9
    if share_url:
        qr_code(fig, share_url, (mid + 0.005, qr_bottom, qr_side / w_in, qr_side / h_in))
        cap_x = mid + 0.005 + qr_side / w_in + 0.006
        _wrapped(
            fig,
            renderer,
            cap_x,
            qr_bottom + qr_side / h_in * 0.6,
            t("slide.qr", lang),
            right - cap_x,
            "top",
            fontsize=size * 0.8,
            color="#444444",
            gid="qr_caption",
        )
    fig.slide_title = title  # type: ignore[attr-defined]
    return fig


@contextmanager
def slide_style() -> Iterator[None]:
    """The matplotlib settings of a slide (CJK font, embedded TrueType in PDFs); no warning per bold CJK text."""
    quiet = logging.getLogger("matplotlib.font_manager")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # WenQuanYi has no bold face: matplotlib warns on every bold text otherwise
    try:
        with rc_context(_rc()):
            yield
    finally:
        quiet.setLevel(level)


def render_slide(selection: gpd.GeoDataFrame, data: Any, *, page: str = "png", **kwargs: Any) -> bytes:
    """The slide of ``selection`` as PNG bytes (page "png") or PDF bytes ("pdf_a4", "pdf_a3")."""
    with slide_style():
        fig = build_slide(selection, data, page=page, **kwargs)
        buf = io.BytesIO()
        fmt = "png" if page == "png" else "pdf"
        meta = {"Title": fig.slide_title, "Creator": "Jilin Plan Atlas"} if fmt == "pdf" else {"Title": fig.slide_title}
        fig.savefig(buf, format=fmt, dpi=DPI, metadata=meta)
    return buf.getvalue()

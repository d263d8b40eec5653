"""A 1920×1080 PNG of a selection for slides, drawn with matplotlib (no browser, no network)."""

from __future__ import annotations

import io
from typing import Any

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.lines import Line2D

from geo.core.domain import PINNED, Precision
from geo.core.i18n import t
from geo.render.style import BOARD_COLORS, sector_colors

CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "SimHei")
WIDTH, HEIGHT, DPI = 1920, 1080, 100


def cjk_font() -> str | None:
    """The first installed font that can draw Chinese (the test setup installs WenQuanYi Micro Hei)."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


def render_png(
    selection: gpd.GeoDataFrame,
    *,
    counties: gpd.GeoDataFrame,
    boards: gpd.GeoDataFrame | None = None,
    water: gpd.GeoDataFrame | None = None,
    sectors: list[dict[str, str]] | None = None,
    title: str = "",
    lang: str = "zh",
    **_: Any,
) -> bytes:
    """Boundaries, boards, projects by sector and precision, legend, title and source line."""
    font = cjk_font()
    if font:
        plt.rcParams["font.family"] = [font, "DejaVu Sans"]
    sectors = sectors or []
    colors = sector_colors([s["sector"] for s in sectors])
    fig = plt.figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    ax = fig.add_axes((0.02, 0.06, 0.66, 0.84))
    ax.set_axis_off()
    counties.plot(ax=ax, color="#f7f5f0", edgecolor="#777777", linewidth=0.8)
    if water is not None and not water.empty:
        water.plot(ax=ax, color="#9fc5e8", edgecolor="#6fa8dc", linewidth=0.6)
    if boards is not None and not boards.empty:
        for _, row in boards.iterrows():
            gpd.GeoSeries([row.geometry]).boundary.plot(
                ax=ax, color=BOARD_COLORS.get(row["board"], "#333"), linewidth=1.6, linestyle="--"
            )
    for _, row in counties.iterrows():
        name = row.get("name_en") if lang == "en" else row.get("name")
        ax.annotate(str(name), (row["label_lon"], row["label_lat"]), ha="center", fontsize=11, color="#444444")
    points = selection[selection["precision"].isin(PINNED) & selection.geometry.notna()]
    lines = selection[(selection["precision"] == Precision.LINE) & selection.geometry.notna()]
    for code, group in points.groupby("sector"):
        c = colors.get(code, "#666666")
        exact = group[group["precision"] == Precision.SITE]
        town = group[group["precision"] == Precision.TOWN]
        if not town.empty:
            town.plot(ax=ax, marker="o", markersize=90, facecolor="none", edgecolor=c, linewidth=2)
        if not exact.empty:
            exact.plot(ax=ax, marker="o", markersize=70, color=c)
    for code, group in lines.groupby("sector"):
        group.plot(ax=ax, color=colors.get(code, "#444"), linewidth=2.5, linestyle="--")
    level3 = selection[selection["precision"] == Precision.COUNTY]
    counts = level3["adcodes"].explode().dropna().astype(str).value_counts() if not level3.empty else {}
    for _, row in counties.iterrows():
        n = int(counts.get(row["adcode"], 0)) if len(counts) else 0
        if n:
            ax.annotate(
                str(n),
                (row["label_lon"], row["label_lat"] - 0.07),
                ha="center",
                va="center",
                fontsize=12,
                color="white",
                weight="bold",
                bbox={"boxstyle": "circle,pad=0.35", "fc": "#1f6f8b", "ec": "white"},
            )
    fig.text(0.02, 0.93, title or t("png.title", lang), fontsize=28, weight="bold")
    fig.text(0.02, 0.02, t("png.source", lang), fontsize=11, color="#555555")
    present = [s for s in sectors if s["sector"] in set(selection["sector"].dropna())]
    handles = [
        Line2D(
            [0],
            [0],
            marker="o",
            color="w",
            markerfacecolor=colors[s["sector"]],
            markersize=12,
            label=s["en"] if lang == "en" else s["zh"],
        )
        for s in present
    ]
    handles += [
        Line2D([0], [0], marker="o", color="w", markerfacecolor="#555", markersize=12, label=t("precision.1", lang)),
        Line2D(
            [0],
            [0],
            marker="o",
            color="w",
            markerfacecolor="none",
            markeredgecolor="#555",
            markersize=12,
            label=t("precision.2", lang),
        ),
        Line2D(
            [0],
            [0],
            marker="o",
            color="w",
            markerfacecolor="#1f6f8b",
            markersize=14,
            label=t("legend.county_badge", lang),
        ),
        Line2D([0], [0], color="#333", linestyle="--", linewidth=2.5, label=t("precision.5", lang)),
    ]
    unmapped = int((selection["precision"] == Precision.CITY).sum())
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.70, 0.88),
        fontsize=13,
        frameon=False,
        title=t("legend.sectors", lang),
        title_fontsize=15,
    )
    fig.text(0.70, 0.10, t("png.summary", lang, n=len(selection), unmapped=unmapped), fontsize=13, color="#333333")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    plt.close(fig)
    return buf.getvalue()

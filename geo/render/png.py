"""A 1920×1080 PNG slide of a selection (kept for callers of ``render_png``; the drawing is geo.render.slide)."""

from __future__ import annotations

from typing import Any

import geopandas as gpd

from geo.render.slide import cjk_font, render_slide

__all__ = ["cjk_font", "render_png"]


def render_png(selection: gpd.GeoDataFrame, data: Any, **kwargs: Any) -> bytes:
    """The 16:9 slide of ``selection`` (title, map, legend, scale bar, north arrow, sources, optional QR code)."""
    return render_slide(selection, data, page="png", **kwargs)

"""Presentation mode: the guided sequence (four boards → six clusters → transport) and each step's map view."""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import shape

from geo.core.config import paths
from geo.core.domain import Precision
from geo.core.i18n import t
from geo.core.tables import read_table

MAP_PX = (1200, 720)
#: A cluster step shows at least this share of the city's extent, so a tight group of pins keeps its surroundings.
CONTEXT_SHARE = 0.45


def steps(root: str | Path | None = None) -> list[dict[str, str]]:
    """The steps of the atlas's data/presentation.csv in order ([] if the plan has none)."""
    return _steps(str(Path(root) / "data" / "presentation.csv") if root else str(paths.DATA / "presentation.csv"))


@lru_cache(maxsize=4)
def _steps(path: str) -> list[dict[str, str]]:
    if not Path(path).exists():
        return []
    rows = read_table(Path(path), ("step", "kind", "key", "title_zh", "title_en", "caption_zh", "caption_en", "lines"))
    return sorted(rows, key=lambda r: int(r["step"]))


def default_steps(data: Any) -> list[dict[str, str]]:
    """Steps for a plan without a reviewed presentation: one per sector with projects (largest first), then the
    transport network if it has drawn lines."""
    names = {s["sector"]: s for s in data.sectors}
    counts = data.projects["sector"].dropna().value_counts()
    out: list[dict[str, str]] = []

    def add(kind: str, key: str, zh: str, en: str, n: int) -> None:
        out.append(
            {
                "step": str(len(out) + 1),
                "kind": kind,
                "key": key,
                "title_zh": zh,
                "title_en": en,
                "caption_zh": t("present.count", "zh", n=n),
                "caption_en": t("present.count", "en", n=n),
                "lines": "",
            }
        )

    for code, n in counts.items():
        if code in names and code != "transport":
            add("cluster", str(code), names[code]["zh"], names[code]["en"], int(n))
    drawn = [f for f in data.transport["features"] if f["geometry"]]
    if drawn:
        add("transport", "transport", t("layer.transport", "zh"), t("layer.transport", "en"), len(drawn))
    return out


def fit(bounds: tuple[float, float, float, float], px: tuple[int, int] = MAP_PX) -> tuple[tuple[float, float], float]:
    """Centre (lat, lon) and a Web-Mercator zoom that shows ``bounds`` (lon/lat) in a map of ``px`` pixels."""
    x0, y0, x1, y1 = bounds
    dx = max(x1 - x0, 0.02)
    ymerc = [math.log(math.tan(math.pi / 4 + math.radians(v) / 2)) for v in (y0, y1)]
    dy = max(ymerc[1] - ymerc[0], 0.0005)
    zx = math.log2(px[0] / 256 * 360 / dx)
    zy = math.log2(px[1] / 256 * 2 * math.pi / dy)
    zoom = max(6.0, min(12.0, math.floor(2 * min(zx, zy) - 0.5) / 2))
    return ((y0 + y1) / 2, (x0 + x1) / 2), zoom


def step_view(step: dict[str, str], data: Any) -> dict[str, Any]:
    """The selection, layers, centre and zoom a step shows."""
    projects: gpd.GeoDataFrame = data.projects
    city = data.city.geometry.iloc[0]
    if step["kind"] == "board":
        feature = next(f for f in data.boards["features"] if f["properties"]["board"] == step["key"])
        geom = shape(feature["geometry"]) if feature["geometry"] else city
        selection = projects[projects["boards"].map(lambda b, k=step["key"]: k in (b or []))]
        layers = ["counties", "boards", "projects", "county_counts"]
    elif step["kind"] == "cluster":
        selection = projects[projects["sector"] == step["key"]]
        shown = shown_geometries(selection, data)
        geom = with_context(shapely.union_all(shown), city) if shown else city
        layers = ["counties", "projects", "county_counts"]
    else:
        selection = projects[projects["sector"] == "transport"]
        lines = [shape(f["geometry"]) for f in data.transport["features"] if f["geometry"]]
        geom = shapely.union_all(lines) if lines else city
        layers = ["counties", "transport", "projects"]
    center, zoom = fit(geom.bounds)
    return {"selection": selection, "layers": layers, "center": center, "zoom": zoom, "bounds": geom.bounds}


def shown_geometries(selection: gpd.GeoDataFrame, data: Any) -> list:
    """What a step draws: its located points and lines, and the label points of the counties whose badges it shows."""
    geoms = [g for g in selection.geometry.dropna() if not g.is_empty]
    county = selection[selection["precision"] == Precision.COUNTY]
    adcodes = {str(a) for codes in county.get("adcodes", []) for a in (codes or [])}
    for f in data.county_layer["features"]:
        p = f["properties"]
        if str(p.get("adcode")) in adcodes:
            geoms.append(shapely.Point(p["label_lon"], p["label_lat"]))
    return geoms


def with_context(geom, city, share: float = CONTEXT_SHARE):
    """``geom``'s envelope, widened (about its centre) to at least ``share`` of the city's width and height."""
    x0, y0, x1, y1 = geom.bounds
    cx0, cy0, cx1, cy1 = city.bounds
    w, h = max(x1 - x0, share * (cx1 - cx0)), max(y1 - y0, share * (cy1 - cy0))
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    return shapely.box(mx - w / 2, my - h / 2, mx + w / 2, my + h / 2)

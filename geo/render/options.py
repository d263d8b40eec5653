"""What a map shows (MapOptions) and the coordinate and tooltip helpers every map part uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from geo.core.coords import geojson_to_gcj, wgs_to_gcj
from geo.core.domain import LAYER_NAMES
from geo.render.assets import STREAMLIT_PREFIX
from geo.render.basemaps import BASEMAPS

CENTER = (43.6, 127.05)
ZOOM = 8
LARGE_SELECTION = 5000  # above this many points the map draws one canvas layer instead of clustered markers
LAYERS = LAYER_NAMES


@dataclass
class MapOptions:
    lang: str = "zh"
    basemap: str = "none"
    tianditu_key: str | None = None
    layers: set[str] = field(default_factory=lambda: {"counties", "boards", "transport", "projects", "county_counts"})
    choropleth: bool = False
    asset_prefix: str = STREAMLIT_PREFIX
    large_threshold: int = LARGE_SELECTION
    center: tuple[float, float] = CENTER
    zoom: int = ZOOM
    presentation: bool = False
    legend_sectors: tuple[str, ...] = ()  # the sectors the legend names (a presentation step's); () = all
    county_names: dict[str, str] = field(default_factory=dict)  # Chinese → English county names (popups)

    @property
    def gcj(self) -> bool:
        return BASEMAPS.get(self.basemap, {}).get("crs") == "GCJ-02"


def _shift(data: dict[str, Any], options: MapOptions) -> dict[str, Any]:
    return geojson_to_gcj(data) if options.gcj else data


def _pt(lon: float, lat: float, options: MapOptions) -> tuple[float, float]:
    if options.gcj:
        lon, lat = wgs_to_gcj(lon, lat)
    return lat, lon


def _tip_collection(fc: dict[str, Any], tip) -> dict[str, Any]:
    """A copy of a FeatureCollection with an escaped ``_tip`` property for the tooltip."""
    feats = []
    for f in fc["features"]:
        props = dict(f["properties"])
        props = {k: v for k, v in props.items() if isinstance(v, (str, int, float, bool)) or v is None}
        props["_tip"] = tip(f["properties"])
        feats.append({"type": "Feature", "id": f.get("id"), "properties": props, "geometry": f["geometry"]})
    return {"type": "FeatureCollection", "features": feats}


def _name(props: dict[str, Any], lang: str, zh: str = "name", en: str = "name_en") -> str:
    if lang == "en" and props.get(en):
        return f"{props[en]} · {props.get(zh) or ''}"
    return str(props.get(zh) or "")

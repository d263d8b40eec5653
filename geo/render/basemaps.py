"""Basemaps: none (offline: our boundaries and water), CartoDB, OpenStreetMap, Tianditu (WGS84) and Gaode (GCJ-02)."""

from __future__ import annotations

import time
import urllib.request
from typing import Any

import folium

from geo.core.config import current
from geo.core.i18n import t

_TDT = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)
BASEMAPS: dict[str, dict[str, Any]] = {
    "none": {"crs": "WGS84", "network": False},
    "carto": {
        "crs": "WGS84",
        "network": True,
        "url": "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
        "probe": "https://a.basemaps.cartocdn.com/light_all/8/215/95.png",
        "attr": "© OpenStreetMap contributors © CARTO",
    },
    "osm": {
        "crs": "WGS84",
        "network": True,
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "probe": "https://tile.openstreetmap.org/8/215/95.png",
        "attr": "© OpenStreetMap contributors",
    },
    "tianditu": {"crs": "WGS84", "network": True, "key": True, "attr": "© 天地图 Tianditu (CGCS2000)"},
    "gaode": {
        "crs": "GCJ-02",
        "network": True,
        "url": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "probe": "https://webrd01.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x=215&y=95&z=8",
        "subdomains": "1234",
        "attr": "© 高德地图 AutoNavi (GCJ-02: the atlas shifts its layers for display)",
    },
}
_REACHABLE: dict[str, tuple[float, bool]] = {}


def tianditu_key(secrets: Any = None) -> str | None:
    """The Tianditu key from Streamlit secrets or the TIANDITU_KEY environment variable (None if unset)."""
    key = None
    if secrets is not None:
        try:
            key = secrets.get("tianditu_key")
        except Exception:  # secrets file missing or unreadable: treat as unset
            key = None
    key = key or current().tianditu_key
    return key.strip() if key and key.strip() else None


def reachable(name: str, timeout: float = 1.5, ttl: float = 300.0) -> bool:
    """Whether a sample tile of the basemap answers from this machine (cached for ``ttl`` seconds)."""
    info = BASEMAPS.get(name, {})
    if not info.get("network"):
        return True
    probe = info.get("probe")
    if not probe:
        return True  # a keyed service: cannot probe without spending the key
    now = time.monotonic()
    cached = _REACHABLE.get(name)
    if cached and now - cached[0] < ttl:
        return cached[1]
    try:
        req = urllib.request.Request(probe, method="HEAD", headers={"User-Agent": "jilin-plan-atlas"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            ok = 200 <= resp.status < 400
    except Exception:  # no network, DNS failure, HTTP error: all mean "not reachable"
        ok = False
    _REACHABLE[name] = (now, ok)
    return ok


def tiles_unreachable(name: str) -> bool:
    """Whether the chosen tiled basemap failed the server-side probe (never probed when ATLAS_OFFLINE=1: the
    browser then reports failing tiles itself, geo/render/context.py)."""
    if not BASEMAPS.get(name, {}).get("network") or current().offline:
        return False
    return not reachable(name)


def default_basemap() -> str:
    """CartoDB when its tiles answer, else the offline basemap (always offline when ATLAS_OFFLINE=1)."""
    if current().offline:
        return "none"
    return "carto" if reachable("carto") else "none"


def add_basemap(fmap: folium.Map, name: str, *, lang: str = "zh", key: str | None = None) -> None:
    info = BASEMAPS.get(name)
    if info is None or name == "none":
        return
    if name == "tianditu":
        if not key:
            return  # the app explains the missing key; the map falls back to no tiles
        for layer in ("vec", "eva" if lang == "en" else "cva"):
            folium.TileLayer(
                tiles=_TDT.format(s="{s}", layer=layer, key=key),
                attr=info["attr"],
                name=t(f"basemap.tianditu.{layer}", lang),
                subdomains="01234567",
                max_zoom=18,
                overlay=layer != "vec",
                control=False,
            ).add_to(fmap)
        return
    folium.TileLayer(
        tiles=info["url"],
        attr=info["attr"],
        name=t(f"basemap.{name}", lang),
        max_zoom=18,
        subdomains=info.get("subdomains", "abc"),
        control=False,
    ).add_to(fmap)

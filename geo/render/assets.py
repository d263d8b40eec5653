"""Serve the map's JavaScript/CSS from the vendored copies in static/vendor/ instead of CDNs."""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

import branca
import folium

from geo.core.config import REPO_ROOT
from geo.core.errors import UnvendoredAssetError

STATIC = REPO_ROOT / "static"
#: Where Streamlit serves static/ (server.enableStaticServing).
STREAMLIT_PREFIX = "/app/static/"

#: CDN file name → vendored file. Libraries folium lists but the atlas never uses map to None (dropped).
VENDORED: dict[str, str | None] = {
    "leaflet.js": "vendor/leaflet/leaflet.js",
    "leaflet.css": "vendor/leaflet/leaflet.css",
    "leaflet.markercluster.js": "vendor/markercluster/leaflet.markercluster.js",
    "MarkerCluster.css": "vendor/markercluster/MarkerCluster.css",
    "MarkerCluster.Default.css": "vendor/markercluster/MarkerCluster.Default.css",
    "Control.FullScreen.min.js": "vendor/fullscreen/Control.FullScreen.js",  # folium.plugins.Fullscreen
    "Control.FullScreen.css": "vendor/fullscreen/Control.FullScreen.css",
    "jquery-3.7.1.min.js": "vendor/jquery/jquery.min.js",  # folium.Popup parses its HTML with $()
    # folium.Map lists these for awesome-markers/bootstrap popups; the atlas uses neither
    "bootstrap.bundle.min.js": None,
    "bootstrap.min.css": None,
    "bootstrap-glyphicons.css": None,
    "leaflet.awesome-markers.js": None,
    "leaflet.awesome-markers.css": None,
    "all.min.css": None,
    "leaflet.awesome.rotate.min.css": None,
}


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _local(url: str, prefix: str) -> str | None:
    name = url.rsplit("/", 1)[-1]
    if name not in VENDORED:
        raise UnvendoredAssetError(f"no vendored copy of {url}: add it to static/vendor and geo/render/assets.py")
    target = VENDORED[name]
    return None if target is None else prefix + target


def localize(fmap: folium.Map, prefix: str = STREAMLIT_PREFIX) -> folium.Map:
    """Point every element's default_js/default_css at the vendored files (in place); returns the map."""
    for element in _walk(fmap):
        for attr in ("default_js", "default_css"):
            links = getattr(element, attr, None)
            if not links:
                continue
            new = []
            for name, url in links:
                local = url if url.startswith(prefix) else _local(url, prefix)
                if local:
                    new.append((name, local))
            setattr(element, attr, new)
        if isinstance(element, branca.colormap.ColorMap):
            raise UnvendoredAssetError(
                "branca colormaps load d3 from a CDN; draw the legend with geo.render.legend instead"
            )
    return fmap


def inline_assets(html: str, prefix: str = STREAMLIT_PREFIX) -> str:
    """A standalone HTML map with the vendored scripts/styles inlined (for the HTML export: no server, no CDN)."""
    for target in {v for v in VENDORED.values() if v}:
        url = prefix + target
        path = STATIC / target
        text = path.read_text(encoding="utf-8")
        if target.endswith(".js"):
            html = html.replace(f'<script src="{url}"></script>', f"<script>{text}</script>")
        else:
            text = _inline_css_images(text, path.parent)
            html = html.replace(f'<link rel="stylesheet" href="{url}"/>', f"<style>{text}</style>")
    return html


def _inline_css_images(css: str, folder: Path) -> str:
    """Relative ``url(...)`` images in a stylesheet as data URIs (the layer-control and fullscreen icons)."""

    def data_uri(match: re.Match[str]) -> str:
        image = folder / match.group(1)
        if not image.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(image.name)[0] or "application/octet-stream"
        return f"url(data:{mime};base64,{base64.b64encode(image.read_bytes()).decode('ascii')})"

    return re.sub(r"url\(['\"]?((?:images/)?[\w.-]+\.(?:png|svg))['\"]?\)", data_uri, css)


def vendored_files() -> list[Path]:
    return sorted(STATIC.joinpath("vendor").rglob("*"))

"""Rendering: basemaps, the Folium map, legend, PNG/PDF and file exports, presentation steps."""

from geo.render.basemaps import BASEMAPS, default_basemap
from geo.render.export import FORMATS, MIME, export
from geo.render.map import LAYERS, MapOptions, build_map, standalone
from geo.render.present import step_view, steps

__all__ = [
    "BASEMAPS",
    "FORMATS",
    "LAYERS",
    "MIME",
    "MapOptions",
    "build_map",
    "default_basemap",
    "export",
    "standalone",
    "step_view",
    "steps",
]

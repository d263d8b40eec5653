"""Rendering: basemaps, the Folium map, legend, PNG/PDF and file exports, presentation steps."""

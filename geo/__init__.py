"""Jilin Plan Atlas: plan extraction, gazetteer, geocoding, layers, statistics and maps (no Streamlit here)."""

__version__ = "0.1.0"

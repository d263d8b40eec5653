"""The naive baseline for bench/app_bench.py: what a one-hour Streamlit + Folium app on the same data looks like.

One ``folium.CircleMarker`` (with a tooltip) per located project, default ``st_folium`` (reruns on pan, zoom and
click), a sector filter and a language switch in the sidebar, ``st.tabs`` (switched in the browser, no rerun) with a
table and counts per county. Same data (``ATLAS_DATA_ROOT``), same local Leaflet assets (offline), no caching beyond
loading the file once.
"""

from __future__ import annotations

import sys
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from geo.core.config import current
from geo.core.tables import read_table
from geo.render.assets import localize

st.set_page_config(page_title="Naive map", layout="wide")


@st.cache_data
def load(root: str) -> tuple[pd.DataFrame, dict[str, str]]:
    paths = current()
    frame = gpd.read_file(paths.PROJECTS)
    frame = frame[frame["precision"].isin([1, 2]) & frame.geometry.notna()].explode(index_parts=False)  # each site
    frame = pd.DataFrame(
        {
            "id": frame["id"],
            "name": frame["name"],
            "name_en": frame["name_en"],
            "sector": frame["sector"],
            "county": frame["county"],
            "lat": frame.geometry.y,
            "lon": frame.geometry.x,
        }
    )
    names = {r["sector"]: r["zh"] for r in read_table(paths.SECTORS, ("sector", "zh"))}
    return frame, names


projects, sector_names = load(str(current().ROOT))
lang = st.sidebar.radio(
    "语言 / Language", ["zh", "en"], horizontal=True, format_func=lambda c: "中文" if c == "zh" else "English"
)
en = lang == "en"
picked = st.sidebar.multiselect(
    "Sector" if en else "产业", sorted(sector_names), format_func=lambda s: sector_names.get(s, s)
)
selection = projects[projects["sector"].isin(picked)] if picked else projects
st.title("Jilin plan projects" if en else "吉林市规划项目")
st.write(f"{len(selection)} {'projects' if en else '个项目'}")

fmap = folium.Map(location=(43.6, 127.05), zoom_start=8, tiles=None, maxZoom=18)
for row in selection.itertuples():
    folium.CircleMarker(
        (row.lat, row.lon), radius=6, color="#1f6f8b", fill=True, tooltip=row.name_en if en else row.name
    ).add_to(fmap)
localize(fmap, "/app/static/")
st_folium(fmap, height=620, use_container_width=True, key="naive_map")

table, counts = st.tabs(["Table" if en else "表格", "Counts" if en else "统计"])
with table:
    st.dataframe(selection[["id", "name_en" if en else "name", "sector", "county"]], hide_index=True)
with counts:
    st.bar_chart(selection["county"].value_counts())

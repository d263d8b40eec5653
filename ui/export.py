"""The export tab: the current selection (with the proximity query applied) as a file to download."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from geo.atlas import Atlas
from geo.core.errors import AtlasError
from geo.core.i18n import t
from geo.render.export import FORMATS, GIS_FORMATS, MIME, export
from geo.render.map import MapOptions, standalone
from ui.map import map_layers


def export_panel(data: Atlas, selection: gpd.GeoDataFrame, lang: str) -> None:
    st.caption(t("ui.export_hint", lang, n=len(selection)))
    fmt = st.selectbox(
        t("ui.format", lang), list(FORMATS), key="f_format", format_func=lambda f: t(f"format.{f}", lang)
    )
    area = fmt in GIS_FORMATS and st.checkbox(t("ui.county_areas", lang), value=True, key="f_county_areas")
    if st.button(t("ui.prepare", lang), key="btn_prepare"):
        try:
            kwargs = {"counties": data.counties} if fmt in GIS_FORMATS and area else {}
            if fmt == "html":
                options = st.session_state.get("_map_options") or MapOptions(lang=lang)
                fmap, group, _ = map_layers(data, selection, options)
                kwargs["fmap"] = standalone(fmap, group)
            if fmt == "png":
                boards = gpd.GeoDataFrame.from_features(data.boards["features"], crs="EPSG:4326")
                water = gpd.GeoDataFrame.from_features(data.water["features"], crs="EPSG:4326") if data.water else None
                kwargs.update(
                    counties=gpd.GeoDataFrame.from_features(data.county_layer["features"], crs="EPSG:4326"),
                    boards=boards,
                    water=water,
                    sectors=data.sectors,
                    lang=lang,
                    title=t("png.title", lang),
                )
            st.session_state["_export"] = (fmt, tuple(selection["id"]), export(selection, fmt, **kwargs))
        except AtlasError as exc:
            st.error(exc.one_line())
    ready = st.session_state.get("_export")
    if ready and ready[0] == fmt and ready[1] == tuple(selection["id"]):  # never a file of another selection
        st.download_button(
            t("ui.download", lang, fmt=fmt.upper()),
            data=ready[2],
            file_name=f"jilin-plan-atlas.{fmt}",
            mime=MIME[fmt],
            key="dl_export",
        )

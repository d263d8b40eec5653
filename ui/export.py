"""The export tab: the current selection (with the proximity query applied) as a file to download."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from geo.atlas import Atlas
from geo.core.config import Config
from geo.core.errors import AtlasError
from geo.core.i18n import t
from geo.render.export import FORMATS, GIS_FORMATS, MIME, SLIDE_FORMATS, export
from geo.render.map import MapOptions, standalone
from geo.render.slidetext import slide_filename, view_url
from ui.data import secrets
from ui.map import map_layers
from ui.state import view


def share_url() -> str | None:
    """The current view's address under ATLAS_PUBLIC_URL (or the ``public_url`` secret); None when not configured."""
    base = Config.from_env().public_url or str((secrets() or {}).get("public_url") or "") or None
    return view_url(base, view())


def export_panel(data: Atlas, selection: gpd.GeoDataFrame, lang: str) -> None:
    st.caption(t("ui.export_hint", lang, n=len(selection)))
    fmt = st.selectbox(
        t("ui.format", lang), list(FORMATS), key="f_format", format_func=lambda f: t(f"format.{f}", lang)
    )
    area = fmt in GIS_FORMATS and st.checkbox(t("ui.county_areas", lang), value=True, key="f_county_areas")
    url = share_url() if fmt in SLIDE_FORMATS else None
    with_qr = bool(url) and st.checkbox(t("ui.slide_qr", lang), value=True, key="f_slide_qr")
    if st.button(t("ui.prepare", lang), key="btn_prepare"):
        try:
            kwargs = {"counties": data.counties} if fmt in GIS_FORMATS and area else {}
            if fmt == "html":
                options = st.session_state.get("_map_options") or MapOptions(lang=lang)
                fmap, group, _ = map_layers(data, selection, options)
                kwargs["fmap"] = standalone(fmap, group)
            if fmt in SLIDE_FORMATS:
                kwargs.update(data=data, lang=lang, view=view(), share_url=url if with_qr else None)
            name = slide_filename(view(), len(selection), fmt)
            st.session_state["_export"] = (fmt, tuple(selection["id"]), export(selection, fmt, **kwargs), name)
        except AtlasError as exc:
            st.error(exc.one_line())
    ready = st.session_state.get("_export")
    if ready and ready[0] == fmt and ready[1] == tuple(selection["id"]):  # never a file of another selection
        st.download_button(
            t("ui.download", lang, fmt=fmt.split("_")[0].upper()),
            data=ready[2],
            file_name=ready[3],
            mime=MIME[fmt],
            key="dl_export",
        )

"""The selection and what is derived from it, computed once per (data, corrections, filters) and shared.

A run looks the selection up by ``selection_key`` (the data version, the corrections' token and the view's filter
fields only): a language switch, a tab change, a pan or a pick reuse it, a changed filter computes it anew. The
statistics tables are keyed by the same key (plus the counting), so they are computed once per selection.
Cached objects are shared by every session: callers must not modify them.
"""

from __future__ import annotations

import hashlib
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.analysis.filters import apply_filters
from geo.analysis.proximity import ProximityResult, proximity, query_features
from geo.analysis.stats import count_by_board, count_by_county, crosstab
from geo.analysis.viewstate import ViewState
from geo.atlas import Atlas
from geo.core.domain import BOARD_CODES
from ui.data import curated, data_version

#: The view fields the selection depends on (language, basemap, layers, tab, extent, pick … do not change it).
FILTER_FIELDS = ("sectors", "boxes", "boards", "counties", "precisions", "q", "near", "near_km")
NONE = "none"


def selection_key(view: ViewState, token: str = "", version: tuple[str, str] | None = None) -> str:
    """What the selection depends on (the data version, the corrections' token and the filter fields), as a digest
    (cheap for the caches to hash). ``version``: the data version when there is no session (the warm-up)."""
    parts = (version or data_version(), token, tuple((name, getattr(view, name)) for name in FILTER_FIELDS))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def select(data: Atlas, view: ViewState) -> tuple[gpd.GeoDataFrame, ProximityResult | None, str]:
    """The curated projects the view selects, the proximity query's result (which narrows the selection) and the
    selection's key."""
    projects, token = curated(data)
    key = selection_key(view, token)
    selection, result = _select(key, projects, data.transport_frame, view)
    return selection, result, key


@st.cache_resource(show_spinner=False, max_entries=64)
def _select(
    key: str, _projects: gpd.GeoDataFrame, _transport: gpd.GeoDataFrame, _view: ViewState
) -> tuple[gpd.GeoDataFrame, ProximityResult | None]:
    chosen = apply_filters(_projects, _view)
    if not _view.near:
        return chosen, None
    result = proximity(chosen, query_features(_transport, _view.near), _view.near_km)
    return chosen.loc[result.listing.index], result


@st.cache_resource(show_spinner=False, max_entries=64)
def board_rows(key: str, _selection: gpd.GeoDataFrame) -> pd.DataFrame:
    """Projects per board with every board listed (0 where none)."""
    table = count_by_board(_selection).set_index("board")
    return table.reindex([*BOARD_CODES, NONE], fill_value=0).reset_index()


@st.cache_resource(show_spinner=False, max_entries=64)
def county_rows(key: str, _selection: gpd.GeoDataFrame, _counties: gpd.GeoDataFrame) -> pd.DataFrame:
    """Projects per county (``geo.analysis.stats.count_by_county``)."""
    return count_by_county(_selection, _counties)


@st.cache_resource(show_spinner=False, max_entries=64)
def sector_board(key: str, counting: str, _selection: gpd.GeoDataFrame) -> pd.DataFrame:
    """Sector × board with every board as a column."""
    table = crosstab(_selection, "sector", "board", counting=counting)
    return table.reindex(columns=[*BOARD_CODES, NONE], fill_value=0)


def bar_spec(label: str, value: str, title: str) -> dict[str, Any]:
    """A Vega-Lite horizontal bar chart whose bars select by ``code`` (the ``pick`` parameter)."""
    return {
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": label, "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": 260}},
            "x": {"field": value, "type": "quantitative", "title": title},
            "tooltip": [
                {"field": label, "type": "nominal", "title": " "},
                {"field": value, "type": "quantitative", "title": title},
            ],
            "color": {"value": "#1f6f8b"},
            "opacity": {"condition": {"param": "pick", "value": 1.0}, "value": 0.55},
        },
        "params": [{"name": "pick", "select": {"type": "point", "fields": ["code"]}}],
        "height": {"step": 26},  # one readable row per bar: a fixed height hid labels Vega could not fit
    }

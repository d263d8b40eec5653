"""Which projects a view shows: every filter of a ViewState combined with AND, values within one with OR."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from geo.analysis.viewstate import ViewState


def _contains_any(column, wanted: set[str]) -> np.ndarray:
    return column.map(
        lambda v: bool(set(v or []) & wanted) if isinstance(v, (list, tuple, np.ndarray)) else False
    ).to_numpy(dtype=bool)


def apply_filters(projects: gpd.GeoDataFrame, state: ViewState) -> gpd.GeoDataFrame:
    """The projects the view shows (every filter combined with AND; values within a filter with OR)."""
    mask = np.ones(len(projects), bool)
    if state.sectors:
        mask &= projects["sector"].isin(state.sectors).to_numpy()
    if state.boxes:
        mask &= projects["box"].isin(state.boxes).to_numpy()
    if state.boards:
        wanted = set(state.boards) - {"none"}
        in_board = _contains_any(projects["boards"], wanted) if wanted else np.zeros(len(projects), bool)
        if "none" in state.boards:
            # not in place: pandas hands out read-only arrays (copy-on-write); found by the model-based app test
            in_board = in_board | projects["boards"].map(lambda v: not v).to_numpy(dtype=bool)
        mask &= in_board
    if state.counties:
        mask &= _contains_any(projects["adcodes"], set(state.counties))
    if state.precisions:
        mask &= projects["precision"].isin(state.precisions).to_numpy()
    if state.q:
        needle = state.q.casefold()
        text = (
            projects["name"].fillna("")
            + " "
            + projects["name_en"].fillna("")
            + " "
            + projects["description"].fillna("")
            + " "
            + projects["summary_en"].fillna("")
            + " "
            + projects["id"]
        ).str.casefold()
        mask &= text.str.contains(needle, regex=False).to_numpy()
    return projects.loc[mask]  # .loc: an empty boolean array must not select columns

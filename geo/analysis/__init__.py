"""Analysis: the view state and its URL codec, filters and statistics over located projects."""

from geo.analysis.filters import apply_filters
from geo.analysis.stats import (
    count_by_board,
    count_by_county,
    crosstab,
    nearest_feature,
    projects_frame,
    proximity_summary,
    within_distance,
)
from geo.analysis.viewstate import ViewState, parse_query, to_query

__all__ = [
    "ViewState",
    "apply_filters",
    "count_by_board",
    "count_by_county",
    "crosstab",
    "nearest_feature",
    "parse_query",
    "projects_frame",
    "proximity_summary",
    "to_query",
    "within_distance",
]

"""The "within X km of" query: which transport features it measures from, its result, and its buffer outline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo.analysis.stats import nearest_feature, within_distance
from geo.core.crs import METRIC, WGS84

#: Transport modes of each query mode (the feature table's ``mode`` values).
MODE_MEMBERS = {
    "rail": frozenset({"rail"}),
    "highway": frozenset({"highway", "national_road", "provincial_road"}),
    "airport": frozenset({"airport"}),
}


def query_features(transport: gpd.GeoDataFrame, near: str | None) -> gpd.GeoDataFrame:
    """The drawn features a query measures from: a mode, every drawn feature ('transport') or one feature id."""
    drawn = transport[transport.geometry.notna() & ~transport.geometry.is_empty]
    if not near:
        return drawn.iloc[0:0]
    if near == "transport":
        return drawn
    if near in MODE_MEMBERS:
        return drawn[drawn["mode"].isin(MODE_MEMBERS[near])]
    return drawn[drawn["id"] == near]


@dataclass
class ProximityResult:
    """Projects within ``km`` of ``features`` (the features themselves excluded), with distances."""

    features: gpd.GeoDataFrame
    km: float
    listing: pd.DataFrame  # index = project index; columns id, km (nearest query feature)
    within: int
    beyond: int
    not_measurable: int

    @property
    def ids(self) -> list[str]:
        return list(self.listing["id"])


def proximity(selection: gpd.GeoDataFrame, features: gpd.GeoDataFrame, km: float) -> ProximityResult:
    """Run the query on a selection; projects that are query features themselves are not counted."""
    own = set(features["id"]) if "id" in features.columns else set()
    candidates = selection[~selection["id"].isin(own)]
    located = candidates.geometry.notna() & ~candidates.geometry.is_empty
    near = within_distance(candidates, features, km)
    hits = sorted(set(near["pidx"]))
    listing = pd.DataFrame({"id": pd.Series(dtype=str), "km": pd.Series(dtype=float)}, index=selection.index[:0])
    if hits:
        nearest = nearest_feature(candidates.loc[hits], features).set_index("pidx")
        listing = pd.DataFrame({"id": candidates.loc[hits, "id"], "km": nearest.loc[hits, "km"]}).sort_values("km")
    return ProximityResult(
        features=features,
        km=km,
        listing=listing,
        within=len(hits),
        beyond=int(located.sum()) - len(hits),
        not_measurable=int((~located).sum()),
    )


def buffer_outline(features: gpd.GeoDataFrame, km: float) -> dict[str, Any] | None:
    """The area within ``km`` of the features as one WGS84 GeoJSON geometry (buffered in metres), or None."""
    if features.empty:
        return None
    metric = features.to_crs(METRIC).geometry.buffer(km * 1000, quad_segs=8)
    area = gpd.GeoSeries([shapely.union_all(metric.to_numpy())], crs=METRIC).to_crs(WGS84).iloc[0]
    return shapely.geometry.mapping(shapely.set_precision(area, 1e-5))

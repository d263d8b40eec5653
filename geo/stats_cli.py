"""``python -m geo stats``: the statistics of the bundled data as CSV or JSON."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from geo.analysis.stats import (
    count_by,
    count_by_board,
    count_by_county,
    nearest_feature,
    projects_frame,
    within_distance,
)
from geo.core.config import paths
from geo.core.errors import InputFileError
from geo.core.validate import validate_geojson_file
from geo.places.boundaries import load_counties


def load_projects() -> gpd.GeoDataFrame:
    return projects_frame(validate_geojson_file(paths.PROJECTS, kind="projects"))


def load_transport() -> gpd.GeoDataFrame:
    data = validate_geojson_file(paths.TRANSPORT, kind="transport")
    frame = projects_frame(data)
    return frame[frame.geometry.notna()].reset_index(drop=True)


def stats_table(by: str, *, within_km: float = 10.0, feature: str | None = None) -> pd.DataFrame:
    """The table behind each ``--by`` choice."""
    projects = load_projects()
    if by == "board":
        return count_by_board(projects)
    if by == "county":
        return count_by_county(projects, load_counties())
    if by in ("sector", "precision"):
        return count_by(projects, by)
    if by == "proximity":
        transport = load_transport()
        if feature:
            transport = transport[transport["id"] == feature]
            if transport.empty:
                raise InputFileError(f"no drawn transport feature {feature!r} (see layers/transport.geojson)")
        near = within_distance(projects, transport, within_km)
        nearest = nearest_feature(projects, transport).set_index("pidx")
        out = projects.loc[nearest.index, ["id", "name", "precision"]].copy()
        out["nearest"] = nearest["feature"]
        out["nearest_km"] = nearest["km"]
        out[f"within_{within_km:g}_km"] = out.index.isin(near["pidx"])
        return out.sort_values("nearest_km").reset_index(drop=True)
    raise InputFileError(f"unknown --by {by!r}")


def run_stats(by: str, fmt: str = "csv", within_km: float = 10.0, feature: str | None = None) -> str:
    table = stats_table(by, within_km=within_km, feature=feature)
    if fmt == "json":
        return (
            json.dumps(json.loads(table.to_json(orient="records", force_ascii=False)), ensure_ascii=False, indent=1)
            + "\n"
        )
    return table.to_csv(index=False, lineterminator="\n")

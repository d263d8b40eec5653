"""Spatial statistics of projects: per board, per county (with density), cross-tabs, proximity — vectorised.

Counting rules (docs/BOARDS.md, docs/STATS.md):

* **overlapping** — a project counts once in every unit (board/county) it touches; a multi-site project touching
  three counties counts once in each, so the column can sum to more than the number of projects;
* **primary** — each project counts once, in its primary board (or, for counties, its first county);
* **weighted** — AidData's split: a project touching k units adds 1/k to each, so the column sums to the number
  of located projects.

A project's units come from its attributes when it has them (``adcodes``/``boards``, set by the geocoder and the
board rules — the only way to count county-level projects, which have no geometry) and otherwise from a spatial
join of its geometry with the unit polygons (points on a shared border count in both units).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.core.crs import EQUAL_AREA, METRIC, WGS84
from geo.core.domain import BOARD_CODES
from geo.core.errors import StatsArgumentError

#: For a point lying in several board polygons: the more specific board wins (West is the broadest).
SPATIAL_PRIMARY_PRIORITY = ("central", "south", "north", "west")
NONE = "none"
COUNTINGS = ("overlapping", "primary", "weighted")


# --------------------------------------------------------------------------- loading


def projects_frame(data: dict[str, Any], *, include_groups: bool = False) -> gpd.GeoDataFrame:
    """A GeoDataFrame from a projects FeatureCollection dict (list-valued properties kept as lists)."""
    feats = [f for f in data["features"] if include_groups or f["properties"].get("entry_type") != "group"]
    if not feats:
        return gpd.GeoDataFrame({"id": pd.Series(dtype=str)}, geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)
    props = pd.DataFrame([f["properties"] for f in feats])
    for col in props.columns:  # missing text stays None (not NaN), so it never prints as "nan"
        if not (pd.api.types.is_numeric_dtype(props[col]) or pd.api.types.is_bool_dtype(props[col])):
            values = props[col].astype(object)
            props[col] = values.where(values.map(lambda v: isinstance(v, (list, dict)) or bool(pd.notna(v))), None)
    geoms = [shapely.geometry.shape(f["geometry"]) if f.get("geometry") else None for f in feats]
    return gpd.GeoDataFrame(props, geometry=gpd.GeoSeries(geoms, crs=WGS84), crs=WGS84)


# --------------------------------------------------------------------------- unit membership


def _spatial_units(projects: gpd.GeoDataFrame, units: gpd.GeoDataFrame, key: str) -> pd.DataFrame:
    """(project index, unit) pairs from geometry: every part of a multi-part geometry is joined."""
    located = projects[projects.geometry.notna() & ~projects.geometry.is_empty]
    if located.empty:
        return pd.DataFrame({"pidx": pd.Series(dtype="int64"), "unit": pd.Series(dtype=str)})
    parts = located[["geometry"]].copy()
    parts["pidx"] = located.index
    parts = parts.explode(index_parts=False)
    joined = gpd.sjoin(parts, units[[key, "geometry"]].to_crs(parts.crs), how="inner", predicate="intersects")
    return pd.DataFrame({"pidx": joined["pidx"].to_numpy(), "unit": joined[key].astype(str).to_numpy()})


def _attribute_units(projects: gpd.GeoDataFrame, column: str) -> tuple[pd.DataFrame, np.ndarray]:
    """(project index, unit) pairs from a list-valued column; also the mask of rows that have the column set."""
    if column not in projects.columns:
        return pd.DataFrame({"pidx": pd.Series(dtype="int64"), "unit": pd.Series(dtype=str)}), np.zeros(
            len(projects), bool
        )
    values = projects[column]
    has = values.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).to_numpy(dtype=bool)
    exploded = values.loc[has].explode().dropna()
    return pd.DataFrame({"pidx": exploded.index.to_numpy(), "unit": exploded.astype(str).to_numpy()}), has


def unit_membership(
    projects: gpd.GeoDataFrame, units: gpd.GeoDataFrame | None, key: str, attribute: str | None
) -> pd.DataFrame:
    """Long table of (pidx, unit, weight): attribute lists where present, else the spatial join; deduplicated.

    ``weight`` is 1/k for a project touching k units (AidData split).
    """
    frames = []
    has_attr = np.zeros(len(projects), bool)
    if attribute:
        attr, has_attr = _attribute_units(projects, attribute)
        frames.append(attr)
    if units is not None:
        rest = projects.loc[~has_attr]  # .loc: an empty boolean array must not select columns
        frames.append(_spatial_units(rest, units, key))
    pairs = pd.concat(frames, ignore_index=True).drop_duplicates()
    pairs["weight"] = 1.0 / pairs.groupby("pidx")["unit"].transform("size")
    return pairs


# --------------------------------------------------------------------------- counts


def _has_list(projects: gpd.GeoDataFrame, column: str) -> np.ndarray:
    if column not in projects.columns:
        return np.zeros(len(projects), bool)
    # dtype=bool: an empty selection maps to an empty object array, which is no mask
    return projects[column].map(lambda v: isinstance(v, (list, tuple, np.ndarray))).to_numpy(dtype=bool)


def count_by_board(
    projects: gpd.GeoDataFrame, boards: gpd.GeoDataFrame | None = None, *, board_key: str = "board"
) -> pd.DataFrame:
    """Projects per board: overlapping, primary and weighted counts, plus a ``none`` row (no board)."""
    pairs = unit_membership(projects, boards, board_key, "boards")
    overlapping = pairs.groupby("unit")["pidx"].nunique()
    weighted = pairs.groupby("unit")["weight"].sum()
    from_attributes = _has_list(projects, "boards")
    primary = pd.Series(None, index=projects.index, dtype=object)
    if "primary_board" in projects.columns:
        primary[from_attributes] = projects.loc[from_attributes, "primary_board"]
    spatial = pairs[~pairs["pidx"].isin(projects.index[from_attributes])]
    if not spatial.empty:  # a point in several board polygons: the more specific board is primary
        rank = {b: i for i, b in enumerate(SPATIAL_PRIMARY_PRIORITY)}
        best = spatial.assign(r=spatial["unit"].map(rank).fillna(99)).sort_values(["pidx", "r"], kind="stable")
        first = best.drop_duplicates("pidx").set_index("pidx")["unit"]
        primary.loc[first.index] = first.to_numpy()
    primary_counts = primary.dropna().value_counts()
    order = [b for b in BOARD_CODES if b in set(overlapping.index) | set(primary_counts.index)]
    order += sorted(set(overlapping.index) - set(order))
    out = pd.DataFrame(
        {
            "board": order,
            "overlapping": [int(overlapping.get(b, 0)) for b in order],
            "primary": [int(primary_counts.get(b, 0)) for b in order],
            "weighted": [round(float(weighted.get(b, 0.0)), 3) for b in order],
        }
    )
    in_none = len(projects) - pairs["pidx"].nunique()
    none = pd.DataFrame({"board": [NONE], "overlapping": [in_none], "primary": [in_none], "weighted": [float(in_none)]})
    return pd.concat([out, none], ignore_index=True)


def unit_areas_km2(units: gpd.GeoDataFrame, key: str) -> pd.Series:
    """Area of each unit in km², computed in the equal-area CRS (never in degrees)."""
    return pd.Series(units.to_crs(EQUAL_AREA).area.to_numpy() / 1e6, index=units[key].astype(str).to_numpy())


def count_by_county(projects: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, *, key: str = "adcode") -> pd.DataFrame:
    """Projects per county with area, density per 1,000 km², weighted (split) counts and a ``none`` row."""
    pairs = unit_membership(projects, counties, key, "adcodes")
    counts = pairs.groupby("unit")["pidx"].nunique()
    weighted = pairs.groupby("unit")["weight"].sum()
    area = unit_areas_km2(counties, key)
    names = counties.set_index(counties[key].astype(str))
    rows = []
    for code in counties[key].astype(str):
        n = int(counts.get(code, 0))
        row = {
            "adcode": code,
            "projects": n,
            "weighted": round(float(weighted.get(code, 0.0)), 3),
            "area_km2": round(float(area[code]), 1),
            "per_1000_km2": round(1000 * n / float(area[code]), 3) if area[code] > 0 else None,
        }
        for col in ("name", "name_en"):
            if col in names.columns:
                row[col] = names.loc[code, col]
        rows.append(row)
    out = pd.DataFrame(rows)
    none = len(projects) - pairs["pidx"].nunique()
    extra = {"adcode": NONE, "projects": none, "weighted": float(none), "area_km2": None, "per_1000_km2": None}
    return pd.concat([out, pd.DataFrame([extra])], ignore_index=True)


def crosstab(
    projects: gpd.GeoDataFrame,
    row: str,
    col: str,
    *,
    units: gpd.GeoDataFrame | None = None,
    unit_key: str | None = None,
    counting: str = "overlapping",
) -> pd.DataFrame:
    """Counts of ``row`` (a scalar column such as sector) × ``col`` (``board`` or ``county``).

    ``counting``: ``overlapping`` (once per unit touched), ``primary`` (boards only: the primary board) or
    ``weighted`` (1/k per unit). Anything else raises StatsArgumentError.
    """
    if counting not in COUNTINGS:
        raise StatsArgumentError(f"counting must be one of {', '.join(COUNTINGS)}, not {counting!r}")
    if col not in ("board", "county"):
        raise StatsArgumentError(f"col must be 'board' or 'county', not {col!r}")
    if col == "board" and counting == "primary":
        frame = pd.DataFrame({"r": projects[row].fillna(NONE), "c": projects["primary_board"].fillna(NONE)})
        table = pd.crosstab(frame["r"], frame["c"])
    else:
        attribute = {"board": "boards", "county": "adcodes"}[col]
        pairs = unit_membership(projects, units, unit_key or ("board" if col == "board" else "adcode"), attribute)
        pairs["r"] = projects[row].reindex(pairs["pidx"]).fillna(NONE).to_numpy()
        if counting == "weighted":
            table = pairs.pivot_table(index="r", columns="unit", values="weight", aggfunc="sum", fill_value=0.0)
        else:
            table = pd.crosstab(pairs["r"], pairs["unit"])
        unlocated = projects.index.difference(pd.Index(pairs["pidx"].unique()))
        none = projects.loc[unlocated, row].fillna(NONE).value_counts()
        table = table.reindex(table.index.union(none.index), fill_value=0)
        table[NONE] = none.reindex(table.index, fill_value=0)
    if col == "board":
        table = table.reindex(columns=[b for b in (*BOARD_CODES, NONE) if b in table.columns])
    return table.rename_axis(index=row, columns=col)


def count_by(projects: gpd.GeoDataFrame, column: str) -> pd.DataFrame:
    """Counts of a scalar column (sector, precision, box…), sorted by count."""
    counts = projects[column].fillna(NONE).value_counts()
    return counts.rename_axis(column).reset_index(name="projects")


# --------------------------------------------------------------------------- proximity


def _metric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.to_crs(METRIC)


def _pairs(projects: gpd.GeoDataFrame, features: gpd.GeoDataFrame, query) -> pd.DataFrame:
    """(project index, feature id, km) for the index pairs ``query(STRtree of features, project geometries)`` finds."""
    located = projects[projects.geometry.notna() & ~projects.geometry.is_empty]
    if located.empty or features.empty:
        return pd.DataFrame(
            {"pidx": pd.Series(dtype="int64"), "feature": pd.Series(dtype=object), "km": pd.Series(dtype=float)}
        )
    p, f = _metric(located), _metric(features)
    left, right = query(shapely.STRtree(f.geometry.to_numpy()), p.geometry.to_numpy())
    dist = shapely.distance(p.geometry.to_numpy()[left], f.geometry.to_numpy()[right]) / 1000
    feature_ids = f["id"].to_numpy() if "id" in f.columns else f.index.to_numpy()
    return pd.DataFrame({"pidx": p.index.to_numpy()[left], "feature": feature_ids[right], "km": np.round(dist, 3)})


def within_distance(projects: gpd.GeoDataFrame, features: gpd.GeoDataFrame, km: float) -> pd.DataFrame:
    """Projects whose geometry lies within ``km`` of any of ``features`` (metric CRS, spatial index).

    Returns one row per (project, feature) pair within the distance, with the distance in km.
    Projects without geometry (county/city level) cannot be measured and are left out.
    """
    return _pairs(projects, features, lambda tree, geoms: tree.query(geoms, predicate="dwithin", distance=km * 1000))


def nearest_feature(projects: gpd.GeoDataFrame, features: gpd.GeoDataFrame) -> pd.DataFrame:
    """For each located project: the nearest feature and the distance to it in km (metric CRS)."""
    return _pairs(projects, features, lambda tree, geoms: tree.query_nearest(geoms, all_matches=False))


def proximity_summary(projects: gpd.GeoDataFrame, features: gpd.GeoDataFrame, km: float) -> dict[str, int]:
    """How many projects lie within ``km`` of the features, how many are farther, how many cannot be measured."""
    located = int((projects.geometry.notna() & ~projects.geometry.is_empty).sum())
    near = within_distance(projects, features, km)["pidx"].nunique()
    return {"within": int(near), "beyond": located - int(near), "not_measurable": len(projects) - located}

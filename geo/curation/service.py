"""Curating a location: checks (source, editor, coordinates, county polygon), GCJ-02 input, overlay on the data."""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
from shapely.geometry import Point, mapping

from geo.core.coords import gcj_to_wgs
from geo.core.domain import PINNED, PRECISION_LABELS, Precision
from geo.core.errors import ValidationError
from geo.curation.store import CurationStore, Edit, NewLocation

INPUT_CRS = ("WGS84", "GCJ-02")
CURATED_PRECISIONS = (Precision.SITE, Precision.TOWN, Precision.COUNTY)
MAX_TEXT = 500


def _clean_text(value: str, field: str, problems: list[str], *, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        problems.append(f"{field}: required")
    if len(text) > MAX_TEXT:
        problems.append(f"{field}: longer than {MAX_TEXT} characters")
    return text


def prepare_location(
    *,
    lon: float | None,
    lat: float | None,
    input_crs: str,
    precision: int,
    adcode: str | None,
    counties: gpd.GeoDataFrame,
) -> NewLocation:
    """Check and convert an editor's input; a point must lie inside the county it is given to."""
    problems: list[str] = []
    if input_crs not in INPUT_CRS:
        problems.append(f"input_crs: must be one of {INPUT_CRS}")
    if precision not in CURATED_PRECISIONS:
        problems.append("precision: must be 1 (site), 2 (town/zone) or 3 (county)")
    codes = set(counties["adcode"].astype(str))
    if adcode not in codes:
        problems.append(f"county: {adcode!r} is not one of the nine county-level units")
    if precision in PINNED:
        if lon is None or lat is None or not (math.isfinite(lon) and math.isfinite(lat)):
            problems.append("coordinates: a site or town location needs a longitude and latitude")
        elif not (-180 <= lon <= 180 and -90 <= lat <= 90):
            problems.append(f"coordinates: ({lon}, {lat}) is not a longitude/latitude")
    elif lon is not None or lat is not None:
        problems.append("coordinates: a county-level location has no point (choose precision 1 or 2 to pin it)")
    if problems:
        raise ValidationError("the correction was not saved", problems=problems)
    if precision == Precision.COUNTY:
        return NewLocation(None, None, precision, adcode, input_crs)
    wlon, wlat = gcj_to_wgs(lon, lat) if input_crs == "GCJ-02" else (lon, lat)
    county = counties[counties["adcode"].astype(str) == adcode].geometry.iloc[0]
    if not county.covers(Point(wlon, wlat)):
        inside = counties[counties.covers(Point(wlon, wlat))]
        where = f"it lies in {inside.iloc[0]['name']}" if len(inside) else "it lies outside Jilin City"
        raise ValidationError(
            "the correction was not saved",
            problems=[
                f"coordinates: ({wlon:.6f}, {wlat:.6f}) is outside the county given ({adcode}); {where} — "
                "change the county too if the point is right"
            ],
        )
    return NewLocation(round(wlon, 6), round(wlat, 6), precision, adcode, input_crs, lon, lat)


def automatic_location(project: dict[str, Any]) -> NewLocation:
    """The project's location before curation (as built from the plan)."""
    geom = project.get("geometry")
    lon = lat = None
    if geom is not None and getattr(geom, "geom_type", None) == "Point":
        lon, lat = geom.x, geom.y
    return NewLocation(lon, lat, int(project["precision"]), project.get("adcode"))


def save_correction(
    store: CurationStore,
    project: dict[str, Any],
    expected_version: int,
    location: NewLocation,
    *,
    editor: str,
    source: str,
    comment: str = "",
) -> Edit:
    problems: list[str] = []
    editor = _clean_text(editor, "editor", problems)
    source = _clean_text(source, "source", problems)
    comment = _clean_text(comment, "comment", problems, required=False)
    if problems:
        raise ValidationError("the correction was not saved", problems=problems)
    current = store.current().get(project["id"])
    old = (
        NewLocation(current.new_lon, current.new_lat, current.new_precision, current.new_adcode)
        if current
        else automatic_location(project)
    )
    return store.propose(project["id"], expected_version, location, old, editor=editor, source=source, comment=comment)


def apply_edit(feature: dict[str, Any], edit: Edit, county_names: dict[str, str], boards_for=None) -> dict[str, Any]:
    """A project feature with its location replaced by a curated one (provenance recorded).

    ``boards_for(adcode)`` → (boards, primary, rules) re-assigns the boards from the curated county.
    """
    props = dict(feature["properties"])
    adcode = edit.new_adcode
    if boards_for is not None and adcode:
        boards, primary, rules = boards_for(adcode)
        props.update(boards=boards, primary_board=primary, board_rules=rules)
    props.update(
        precision=edit.new_precision,
        precision_label=PRECISION_LABELS[edit.new_precision],
        adcode=adcode,
        county=county_names.get(adcode or "", None),
        adcodes=[adcode] if adcode else [],
        counties=[county_names[adcode]] if adcode in county_names else [],
        location_basis="curated",
        uncertainty_m=None,  # the curated source states no radius
        curated=True,
        curation=edit.provenance(),
        location_notes=[*(props.get("location_notes") or []), f"{edit.provenance()} (edit {edit.id})"],
    )
    geometry = mapping(Point(edit.new_lon, edit.new_lat)) if edit.new_lon is not None else None
    return {**feature, "properties": props, "geometry": geometry}


def overlay(
    projects: gpd.GeoDataFrame, edits: dict[str, Edit], county_names: dict[str, str], boards_for=None
) -> gpd.GeoDataFrame:
    """The projects with curated locations applied (the app shows the database's current corrections live)."""
    if not edits:
        return projects
    out = projects.copy()
    for index in out.index[out["id"].isin(list(edits))]:
        edit = edits[out.at[index, "id"]]
        feature = {
            "id": out.at[index, "id"],
            "properties": {k: out.at[index, k] for k in out.columns if k != "geometry"},
            "geometry": None,
        }
        props = apply_edit(feature, edit, county_names, boards_for)["properties"]
        for key in (
            "precision",
            "precision_label",
            "adcode",
            "county",
            "adcodes",
            "counties",
            "location_basis",
            "curated",
            "curation",
            "location_notes",
            "boards",
            "primary_board",
            "board_rules",
        ):
            out.at[index, key] = props[key]
        out.at[index, "geometry"] = Point(edit.new_lon, edit.new_lat) if edit.new_lon is not None else None
    return out

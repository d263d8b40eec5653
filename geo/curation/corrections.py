"""The reviewable corrections file (data/corrections.csv): export from the database, import, apply in the build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import Point

from geo.core.config import paths
from geo.core.errors import ValidationError
from geo.core.tables import read_table, write_table
from geo.curation.rows import check_rows
from geo.curation.service import apply_edit
from geo.curation.store import CurationStore, Edit, NewLocation

COLUMNS = ["project_id", "lon", "lat", "precision", "adcode", "editor", "source", "date", "edit_id", "comment"]


def export_rows(store: CurationStore) -> list[dict[str, Any]]:
    return [
        {
            "project_id": e.project_id,
            "lon": "" if e.new_lon is None else f"{e.new_lon:.6f}",
            "lat": "" if e.new_lat is None else f"{e.new_lat:.6f}",
            "precision": e.new_precision,
            "adcode": e.new_adcode or "",
            "editor": e.editor,
            "source": e.source,
            "date": e.created_at[:10],
            "edit_id": e.id,
            "comment": e.comment,
        }
        for e in sorted(store.current().values(), key=lambda e: e.project_id)
    ]


def export_text(store: CurationStore) -> str:
    return write_table(export_rows(store), COLUMNS)


def read_corrections(path: Path | None = None) -> list[dict[str, str]]:
    path = path or paths.CORRECTIONS
    if not Path(path).exists():
        return []
    return read_table(path, tuple(COLUMNS))


def edits_from_file(path: Path | None = None) -> dict[str, Edit]:
    """The corrections file as Edit records (what the build applies)."""
    path = path or paths.CORRECTIONS
    out: dict[str, Edit] = {}
    problems = []
    for row in read_corrections(path):
        where = f"{path}:{row['_line']}"
        try:
            precision = int(row["precision"])
            lon = float(row["lon"]) if row["lon"] else None
            lat = float(row["lat"]) if row["lat"] else None
        except ValueError:
            problems.append(f"{where}: precision, lon and lat must be numbers")
            continue
        if row["project_id"] in out:
            problems.append(f"{where}: a second correction for {row['project_id']}")
        if not row["editor"] or not row["source"]:
            problems.append(f"{where}: editor and source are required")
        out[row["project_id"]] = Edit(
            id=int(row["edit_id"] or 0),
            project_id=row["project_id"],
            kind="edit",
            editor=row["editor"],
            source=row["source"],
            comment=row["comment"],
            created_at=row["date"],
            old_lon=None,
            old_lat=None,
            old_precision=None,
            old_adcode=None,
            new_lon=lon,
            new_lat=lat,
            new_precision=precision,
            new_adcode=row["adcode"] or None,
            input_crs="WGS84",
            input_lon=lon,
            input_lat=lat,
            reverts=None,
            version=0,
        )
    if problems:
        raise ValidationError("corrections file is invalid", path=str(path), problems=problems)
    return out


def apply_corrections(
    features: list[dict[str, Any]],
    edits: dict[str, Edit],
    counties: gpd.GeoDataFrame,
    where: str = "data/corrections.csv",
    boards_for=None,
) -> list[dict[str, Any]]:
    """Override automatic locations; a curated point outside its county (or an unknown project) fails loudly."""
    names = dict(zip(counties["adcode"].astype(str), counties["name"], strict=True))
    polygons = dict(zip(counties["adcode"].astype(str), counties.geometry, strict=True))
    known = {f["id"] for f in features}
    problems = [f"{where}: no project {pid}" for pid in edits if pid not in known]
    out = []
    for feature in features:
        edit = edits.get(feature["id"])
        if edit is None:
            out.append(feature)
            continue
        if edit.new_adcode not in polygons:
            problems.append(f"{where}: {edit.project_id}: unknown county {edit.new_adcode!r}")
        elif edit.new_lon is not None and not polygons[edit.new_adcode].covers(Point(edit.new_lon, edit.new_lat)):
            problems.append(
                f"{where}: {edit.project_id}: point ({edit.new_lon}, {edit.new_lat}) is outside {names[edit.new_adcode]}"
            )
        else:
            out.append(apply_edit(feature, edit, names, boards_for))
            continue
        out.append(feature)
    if problems:
        raise ValidationError("corrections cannot be applied", path=where, problems=problems)
    return out


def import_rows(
    store: CurationStore, rows: list[dict[str, str]], *, editor: str = "import", where: str = "corrections file"
) -> int:
    """Load a corrections file into a database (each row becomes an edit unless it is already current).

    Every row is checked first (geo.correction_rows): if any is bad, ValidationError names each and none is imported.
    """
    check_rows(rows, where)
    current = store.current()
    count = 0
    for row in rows:
        pid = row["project_id"]
        lon = float(row["lon"]) if row["lon"] else None
        lat = float(row["lat"]) if row["lat"] else None
        existing = current.get(pid)
        if existing and (existing.new_lon, existing.new_lat, existing.new_precision, existing.new_adcode) == (
            lon,
            lat,
            int(row["precision"]),
            row["adcode"] or None,
        ):
            continue
        location = NewLocation(lon, lat, int(row["precision"]), row["adcode"] or None)
        store.propose(
            pid,
            store.version(pid),
            location,
            None,
            editor=row["editor"] or editor,
            source=row["source"],
            comment=row["comment"],
        )
        count += 1
    return count

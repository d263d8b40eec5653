"""Reviewed locations (data/location_reviews.csv): counties a reviewer gives an unpinned project, with sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.core.config import paths
from geo.core.domain import PRECISION_LABELS, Precision
from geo.core.errors import ValidationError
from geo.core.tables import read_table
from geo.places.boards import BoardAssigner
from geo.places.geocoder import Geocoder

REVIEW_COLUMNS = ("project", "adcode", "source", "lines", "quote", "note")
REVIEWED_BASIS = "reviewed counties (data/location_reviews.csv)"


def apply_reviews(
    features: list[dict[str, Any]],
    geocoder: Geocoder,
    assigner: BoardAssigner,
    path: Path | None = None,
    ref_ids: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """data/location_reviews.csv: a reviewer's counties for a project without a point, each with its source, and
    notes that say why a project stays where it is. Rows with an adcode give the project exactly those counties."""
    path = path or paths.DATA / "location_reviews.csv"
    if not path.exists():
        return features
    gaz = geocoder.gaz
    by_id = {f["id"]: f for f in features}
    problems, counties, notes = [], {}, {}
    for r in read_table(path, REVIEW_COLUMNS):
        where = f"{path}:{r['_line']}"
        if ref_ids is not None:  # the table names the projects by the ids of the plan it was written for
            if r["project"] not in ref_ids:
                continue  # that project is not in this plan
            r = dict(r, project=ref_ids[r["project"]])
        f = by_id.get(r["project"])
        if f is None or not r["source"] or not r["note"] or (r["adcode"] and r["adcode"] not in gaz.county_names):
            problems.append(f"{where}: needs a known project, a known county adcode or none, a source and a note")
            continue
        if r["adcode"] and f["geometry"] is not None:
            problems.append(
                f"{where}: {r['project']} is drawn (precision {f['properties']['precision']}): not reviewed"
            )
            continue
        line = f"line{'s' if '-' in r['lines'] else ''} {r['lines']}"
        cite = f"{r['source']}, {line}: “{r['quote']}”" if r["quote"] else r["source"]
        if r["adcode"]:
            counties.setdefault(r["project"], []).append(r["adcode"])
            notes.setdefault(r["project"], []).append(f"{gaz.county_name(r['adcode'])} by {cite} — {r['note']}")
        else:
            notes.setdefault(r["project"], []).append(f"reviewed: {r['note']} ({cite})")
    if problems:
        raise ValidationError("location reviews are invalid", path=str(path), problems=problems)
    for pid, codes in counties.items():
        by_id[pid]["properties"].update(county_level(sorted(set(codes)), geocoder, assigner))
        by_id[pid]["properties"]["location_basis"] = REVIEWED_BASIS
    for pid, lines in notes.items():
        by_id[pid]["properties"]["location_notes"] += lines
    return features


def county_level(adcodes: list[str], geocoder: Geocoder, assigner: BoardAssigner) -> dict[str, Any]:
    """The location properties of a county-level project in ``adcodes`` (reviewed, or a group's union)."""
    gaz = geocoder.gaz
    boards, primary, rules = assigner.assign([gaz.places[a] for a in adcodes])
    return {
        "adcodes": adcodes,
        "counties": [gaz.county_name(a) for a in adcodes],
        "adcode": adcodes[0] if len(adcodes) == 1 else None,
        "county": gaz.county_name(adcodes[0]) if len(adcodes) == 1 else None,
        "precision": Precision.COUNTY,
        "precision_label": PRECISION_LABELS[Precision.COUNTY],
        "boards": boards,
        "primary_board": primary,
        "board_rules": rules,
    }

"""Turn plan entries into project features: provenance, sector, location, precision, boards, English text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.core.config import paths
from geo.core.domain import PRECISION_LABELS, Precision
from geo.core.errors import ValidationError
from geo.core.tables import read_table
from geo.places.boards import BoardAssigner
from geo.places.evidence import GeocodeResult
from geo.places.geocoder import Geocoder
from geo.plan.boxes import Box, Entry
from geo.plan.sectors import box_table, sectors

#: Every property of a project feature, in a fixed order (documented in docs/SCHEMA.md).
PROJECT_FIELDS = (
    "id",
    "box",
    "box_title",
    "box_title_en",
    "seq",
    "parent",
    "entry_type",
    "name",
    "name_en",
    "summary_en",
    "description",
    "plan_quote",
    "plan_lines",
    "sector",
    "sector_zh",
    "sector_en",
    "cluster",
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
    "sites",
    "uncertainty_m",
    "multi_site",
    "conflicts",
    "location_notes",
    "boards",
    "primary_board",
    "board_rules",
    "curated",
    "curation",
)


def load_translations(path: Path = paths.TRANSLATIONS) -> dict[str, dict[str, str]]:
    """id → {name_zh, name_en, summary_en} from the reviewed translation table."""
    rows = read_table(path, ("id", "name_zh", "name_en", "summary_en"))
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        out[row["id"]] = row
    return out


def check_translations(entries: list[Entry], table: dict[str, dict[str, str]], path: Path = paths.TRANSLATIONS) -> None:
    """Every entry has an English name and summary written for *this* Chinese name."""
    problems = []
    ids = {e.id for e in entries}
    for e in entries:
        row = table.get(e.id)
        if row is None:
            problems.append(f"{path}: no English text for {e.id} {e.name}")
        elif row["name_zh"] != e.name:
            problems.append(
                f"{path}:{row['_line']}: {e.id} was translated from {row['name_zh']!r}, the plan now says {e.name!r}"
            )
        elif not row["name_en"] or not row["summary_en"]:
            problems.append(f"{path}:{row['_line']}: {e.id} lacks name_en or summary_en")
    for extra in sorted(set(table) - ids):
        problems.append(f"{path}:{table[extra]['_line']}: {extra} is not a plan entry")
    if problems:
        raise ValidationError("translations do not match the plan", path=str(path), problems=problems)


REVIEW_COLUMNS = ("project", "adcode", "source", "lines", "quote", "note")
REVIEWED_BASIS = "reviewed counties (data/location_reviews.csv)"


def apply_reviews(
    features: list[dict[str, Any]], geocoder: Geocoder, assigner: BoardAssigner, path: Path | None = None
) -> list[dict[str, Any]]:
    """data/location_reviews.csv: a reviewer's counties for a project without a point, each with its source, and
    notes that say why a project stays where it is. Rows with an adcode give the project exactly those counties."""
    path = path or paths.DATA / "location_reviews.csv"
    gaz = geocoder.gaz
    by_id = {f["id"]: f for f in features}
    problems, counties, notes = [], {}, {}
    for r in read_table(path, REVIEW_COLUMNS):
        where = f"{path}:{r['_line']}"
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
        p, adcodes = by_id[pid]["properties"], sorted(set(codes))
        boards, primary, rules = assigner.assign([gaz.places[a] for a in adcodes])
        p.update(
            adcodes=adcodes,
            counties=[gaz.county_name(a) for a in adcodes],
            adcode=adcodes[0] if len(adcodes) == 1 else None,
            county=gaz.county_name(adcodes[0]) if len(adcodes) == 1 else None,
            precision=Precision.COUNTY,
            precision_label=PRECISION_LABELS[Precision.COUNTY],
            location_basis=REVIEWED_BASIS,
            boards=boards,
            primary_board=primary,
            board_rules=rules,
        )
    for pid, lines in notes.items():
        by_id[pid]["properties"]["location_notes"] += lines
    return features


def location_properties(result: GeocodeResult, assigner: BoardAssigner) -> dict[str, Any]:
    """The location part of a project's properties, from a geocoding result."""
    s = result.summary()
    places = [site.place for site in result.sites]
    boards, primary, rules = assigner.assign(places) if result.precision < Precision.CITY or places else ([], None, [])
    return {
        "county": s["county"],
        "adcode": s["adcode"],
        "counties": s["counties"],
        "adcodes": s["adcodes"],
        "town": s["town"],
        "zone": s["zone"],
        "precision": result.precision,
        "precision_label": PRECISION_LABELS[result.precision],
        "location_basis": result.basis,
        "matched": s["matched"],
        "gazetteer_ids": s["gazetteer_ids"],
        "sites": s["sites"],
        "uncertainty_m": s["uncertainty_m"],
        "multi_site": s["multi_site"],
        "conflicts": s["conflicts"],
        "location_notes": s["notes"],
        "boards": boards,
        "primary_board": primary,
        "board_rules": rules,
    }


def project_features(
    entries: list[Entry],
    boxes: list[Box],
    geocoder: Geocoder,
    assigner: BoardAssigner,
    translations: dict[str, dict[str, str]],
) -> list[dict[str, Any]]:
    """One GeoJSON feature (dict) per entry, groups included (entry_type=group, no geometry)."""
    titles = {b.number: b.title for b in boxes}
    table = box_table()
    known = sectors()
    members: dict[str, list[str]] = {}
    for e in entries:
        if e.parent:
            members.setdefault(e.parent, []).append(e.id)
    features = []
    for e in entries:
        info = table.get(e.box)
        sector = known[info.sector] if info and info.sector else None
        quote = f"{e.name}：{e.description}" if e.description else e.name
        props: dict[str, Any] = {
            "id": e.id,
            "box": e.box,
            "box_title": titles[e.box],
            "box_title_en": info.title_en if info else None,
            "seq": e.seq,
            "parent": e.parent,
            "entry_type": e.entry_type,
            "name": e.name,
            "name_en": translations[e.id]["name_en"],
            "summary_en": translations[e.id]["summary_en"],
            "description": e.description,
            "plan_quote": quote,
            "plan_lines": [e.line_start, e.line_end],
            "sector": sector.code if sector else None,
            "sector_zh": sector.zh if sector else None,
            "sector_en": sector.en if sector else None,
            "cluster": bool(sector and sector.kind == "cluster"),
            "curated": False,
            "curation": None,
        }
        geometry = None
        if e.entry_type == "group":
            props.update({k: None for k in ("county", "adcode", "town", "zone", "primary_board")})
            props.update(
                counties=[],
                adcodes=[],
                matched=[],
                gazetteer_ids=[],
                sites=[],
                uncertainty_m=None,
                conflicts=[],
                boards=[],
                board_rules=[],
                multi_site=False,
                precision=Precision.CITY,
                precision_label=PRECISION_LABELS[4],
                location_basis="group: see members " + ", ".join(members.get(e.id, [])),
                location_notes=["a grouped entry: its members are the located projects"],
            )
        else:
            result = geocoder.geocode(e.name, e.description)
            props.update(location_properties(result, assigner))
            geometry = result.geometry()
        features.append({"id": e.id, "properties": {k: props[k] for k in PROJECT_FIELDS}, "geometry": geometry})
    return _groups_as_union(apply_reviews(features, geocoder, assigner), members, geocoder, assigner)


def _groups_as_union(
    features: list[dict[str, Any]], members: dict[str, list[str]], geocoder: Geocoder, assigner: BoardAssigner
) -> list[dict[str, Any]]:
    """A group's location is the union of its members' counties (county level; the members carry the points)."""
    by_id = {f["id"]: f["properties"] for f in features}
    gaz = geocoder.gaz
    for gid, ids in members.items():
        g = by_id[gid]
        adcodes = sorted({a for m in ids for a in by_id[m]["adcodes"]})
        if not adcodes:
            continue
        unlocated = [m for m in ids if not by_id[m]["adcodes"]]
        boards_, primary, rules = assigner.assign([gaz.places[a] for a in adcodes])
        g.update(
            adcodes=adcodes,
            counties=[gaz.county_name(a) for a in adcodes],
            adcode=adcodes[0] if len(adcodes) == 1 else None,
            county=gaz.county_name(adcodes[0]) if len(adcodes) == 1 else None,
            precision=Precision.COUNTY,
            precision_label=PRECISION_LABELS[Precision.COUNTY],
            boards=boards_,
            primary_board=primary,
            board_rules=rules,
        )
        g["location_notes"] = [
            "a grouped entry: its counties are the union of its members'; the members are the located projects",
            *([f"members without a county: {', '.join(unlocated)}"] if unlocated else []),
        ]
    return features

"""Turn plan entries into project features: provenance, sector, location, precision, boards, English text."""

from __future__ import annotations

from typing import Any

from geo.core.domain import PRECISION_LABELS, Precision
from geo.layers.english import English
from geo.layers.reviews import apply_reviews, county_level
from geo.places.boards import BoardAssigner
from geo.places.evidence import GeocodeResult
from geo.places.geocoder import Geocoder
from geo.plan.boxes import Box, Entry
from geo.plan.sectors import sectors

#: Every property of a project feature, in a fixed order (documented in docs/SCHEMA.md).
PROJECT_FIELDS = (
    "id",
    "key",
    "box",
    "box_title",
    "box_title_en",
    "seq",
    "parent",
    "entry_type",
    "name",
    "name_en",
    "summary_en",
    "name_en_source",
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
    "outside",
    "boards",
    "primary_board",
    "board_rules",
    "curated",
    "curation",
)


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
        "outside": s["outside"],
        "boards": boards,
        "primary_board": primary,
        "board_rules": rules,
    }


def project_features(
    entries: list[Entry],
    boxes: list[Box],
    geocoder: Geocoder,
    assigner: BoardAssigner,
    translations: dict[str, English],
    ref_ids: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One GeoJSON feature (dict) per entry, groups included (entry_type=group, no geometry)."""
    by_number = {b.number: b for b in boxes}
    known = sectors()
    members: dict[str, list[str]] = {}
    for e in entries:
        if e.parent:
            members.setdefault(e.parent, []).append(e.id)
    features = []
    for e in entries:
        box = by_number[e.box]
        sector = known[box.sector] if box.sector else None
        quote = f"{e.name}：{e.description}" if e.description else e.name
        props: dict[str, Any] = {
            "id": e.id,
            "key": e.key,
            "box": e.box,
            "box_title": box.title,
            "box_title_en": box.title_en,
            "seq": e.seq,
            "parent": e.parent,
            "entry_type": e.entry_type,
            "name": e.name,
            "name_en": translations[e.id].name_en,
            "summary_en": translations[e.id].summary_en,
            "name_en_source": translations[e.id].source,
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
                outside=[],
            )
        else:
            result = geocoder.geocode(e.name, e.description)
            props.update(location_properties(result, assigner))
            geometry = result.geometry()
        features.append({"id": e.id, "properties": {k: props[k] for k in PROJECT_FIELDS}, "geometry": geometry})
    reviewed = apply_reviews(features, geocoder, assigner, ref_ids=ref_ids)
    return _groups_as_union(reviewed, members, geocoder, assigner)


def _groups_as_union(
    features: list[dict[str, Any]], members: dict[str, list[str]], geocoder: Geocoder, assigner: BoardAssigner
) -> list[dict[str, Any]]:
    """A group's location is the union of its members' counties (county level; the members carry the points)."""
    by_id = {f["id"]: f["properties"] for f in features}
    for gid, ids in members.items():
        g = by_id[gid]
        adcodes = sorted({a for m in ids for a in by_id[m]["adcodes"]})
        if not adcodes:
            continue
        unlocated = [m for m in ids if not by_id[m]["adcodes"]]
        g.update(county_level(adcodes, geocoder, assigner))
        g["location_notes"] = [
            "a grouped entry: its counties are the union of its members'; the members are the located projects",
            *([f"members without a county: {', '.join(unlocated)}"] if unlocated else []),
        ]
    return features

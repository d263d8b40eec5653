"""App benchmark: the real atlas and a naive baseline app (bench/naive_app.py), served by Streamlit, in headless
Chromium, offline, interleaved in one run.

    .venv/bin/python bench/app_bench.py                       # plan scale, 10k and 100k; writes bench/results/app.*
    .venv/bin/python bench/app_bench.py --sizes plan --reps 3 --out app-plan
    .venv/bin/python bench/app_bench.py --sizes 10000,100000 --reps 3 --out app-large   # atlas only above 10k
    .venv/bin/python bench/app_bench.py --sizes plan --plain --out app-plan-plain       # `streamlit run app.py`

The atlas is started as scripts/app.sh starts it, ``streamlit run serve.py`` (st.App whose lifespan warms the caches
at server start, ui/warm.py); ``--plain`` starts ``app.py`` directly. The naive app is started plainly. Above 40 MB
(the 100k file is ~150 MB) the server gets ``ATLAS_MAX_INPUT_MB`` raised, else the app refuses the file and shows
that error instead of a map (which is why the 100k app bench timed out before).

Both apps read the same data (``ATLAS_DATA_ROOT``: the bundled data, or a copy whose projects.geojson holds the real
projects plus synthetic clones of the town-level ones at uniform points of the city). Each app runs under the same
wrapper (bench/timed_app.py), which logs the wall time of every script run: **server time** of a change is the sum
of the script runs it caused. **Ready** is the same test for both apps: the Leaflet map of the st_folium frame
holds exactly the number of point layers that a fresh page load of the same view holds (circle markers, markers
inside cluster groups, points of the atlas's canvas layer; counted by tests/browser/harness.py ``COUNT_JS``).

Measured, per app and size: process start → map ready (cold), a new page → map ready (warm), filter change (one
sector, typed into the first sidebar multiselect as a person does) → map ready, language switch → English title and
map ready with English point tooltips (before 2026-12-06 the title and the map's point count only, which the old map
still had: the step ended before the English map arrived, 0.25 s for the atlas and 0.13 s for the naive app, whose
switch also drops its filter), tab change → a tab not shown before is visible (the atlas's project table, drawn when picked; the naive
app's second tab, which ``st.tabs`` drew hidden at page load and switches in the browser), and at plan scale 10
concurrent sessions → the last map ready. Medians with min/max of ``--reps`` repetitions, ratios
naive/atlas. It is a benchmark, not a test: nothing fails on its numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from harness import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

from geo.atlas import load_atlas  # noqa: E402
from geo.core.io import read_json  # noqa: E402

RESULTS = ROOT / "bench" / "results"
APPS = {"atlas": ROOT / "app.py", "naive": ROOT / "bench" / "naive_app.py"}
WRAPPER = ROOT / "bench" / "timed_app.py"
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]
FILTER_SECTOR = "bio"  # typed by its Chinese name (both apps list sectors by their Chinese names)
POLL_MS = 50
#: The atlas is started as scripts/app.sh starts it (``streamlit run serve.py``: st.App whose lifespan warms the
#: caches, ui/warm.py); ``--plain`` runs ``streamlit run app.py`` instead. The naive app is always run plainly.
SERVED = True
SERVE = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from serve import lifespan
app = st.App({script!r}, lifespan=lifespan)
"""
#: The point layers a Leaflet map holds, the same count for both apps (as tests/browser/harness.py COUNT_JS, but
#: without requiring Leaflet.markercluster, which the naive app does not load): circle markers, the markers inside
#: cluster groups and the points of the atlas's canvas layer. Works with the canvas renderer (no DOM per marker).
POINTS_JS = """() => {
  const maps = [...new Set(Object.values(window).filter(v => v && window.L && v instanceof L.Map))];
  if (!maps.length) return null;
  let n = window.__atlasCanvasDrawn || 0;
  for (const m of maps) {
    m.eachLayer(l => {
      if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) n += l.getLayers().length;
      else if (l instanceof L.CircleMarker) n += 1;
    });
  }
  return n;
}"""

#: The tooltip of the map's first project point: the first marker of a cluster group (the atlas), else the first
#: circle marker (the naive app; the atlas has circle markers of its own, e.g. airports, only without clusters);
#: null when the points have no tooltip of their own (the atlas's canvas layer above 5,000 points), false while no
#: map or point is drawn. The language step
#: waits until it has no Chinese character: both apps' project tooltips carry the English name in English.
TOOLTIP_JS = """() => {
  const maps = [...new Set(Object.values(window).filter(v => v && window.L && v instanceof L.Map))];
  let clustered = null, circle = null;
  for (const m of maps) {
    m.eachLayer(l => {
      if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) clustered = clustered || l.getLayers()[0] || null;
      else if (l instanceof L.CircleMarker) circle = circle || l;
    });
  }
  const first = clustered || circle;
  if (!maps.length || (!first && !window.__atlasCanvasDrawn)) return false;  // no map, or no point drawn yet
  if (!first || !first.getTooltip()) return null;
  const c = first.getTooltip().getContent();
  return typeof c === 'string' ? c : (c && c.textContent) || '';
}"""
CJK = re.compile(r"[\u4e00-\u9fff]")


# --------------------------------------------------------------------------- data


def synthetic_root(n: int, dest: Path, seed: int = 18) -> Path:
    """A copy of data/ and layers/ whose projects.geojson holds the real projects plus clones up to ``n``.

    Clones copy a real town-level project (its sector, box, boards and texts) to a uniform point of the city, with
    the county of that point; ids ``B<box>-<seq>.<9000+k>`` (valid, unique). Boards are the template's (not
    re-derived from the point): the benchmark measures speed, not placement.
    """
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "layers", dest / "layers")
    fc = read_json(ROOT / "data" / "projects.geojson")
    real = fc["features"]
    atlas = load_atlas()
    extra = n - len(atlas.projects)  # n projects as the app counts them (a few features of the file are not)
    if extra > 0:
        templates = [f for f in real if f["properties"]["precision"] == 2 and f.get("geometry")]
        city = atlas.city.geometry.iloc[0]
        shapely.prepare(city)
        rng = np.random.default_rng(seed)
        x0, y0, x1, y1 = city.bounds
        xs, ys = np.empty(0), np.empty(0)
        while len(xs) < extra:
            x, y = rng.uniform(x0, x1, 2 * extra), rng.uniform(y0, y1, 2 * extra)
            keep = shapely.contains_xy(city, x, y)
            xs, ys = np.concatenate([xs, x[keep]]), np.concatenate([ys, y[keep]])
        xs, ys = np.round(xs[:extra], 6), np.round(ys[:extra], 6)
        counties = atlas.counties
        tree = shapely.STRtree(counties.geometry.to_numpy())
        hit = tree.query(shapely.points(xs, ys), predicate="within")
        county_of = dict(zip(hit[0].tolist(), hit[1].tolist(), strict=True))
        picks = rng.integers(0, len(templates), extra)
        for k in range(extra):
            t = templates[picks[k]]
            p = dict(t["properties"])
            c = counties.iloc[county_of.get(k, 0)]
            p["id"] = f"B{int(p['box']):02d}-{int(p['seq']):02d}.{9000 + k}"
            p.update(adcode=str(c["adcode"]), adcodes=[str(c["adcode"])], county=c["name"], counties=[c["name"]])
            p["sites"] = []
            p["plan_lines"] = list(p["plan_lines"])
            real.append(
                {
                    "type": "Feature",
                    "id": p["id"],
                    "properties": p,
                    "geometry": {"type": "Point", "coordinates": [float(xs[k]), float(ys[k])]},
                }
            )
    (dest / "data" / "projects.geojson").write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    return dest


# --------------------------------------------------------------------------- server and browser


@contextlib.contextmanager
def server(app: str, root: Path | None, log: Path):
    """``streamlit run`` of the timing wrapper around ``app``; yields (url, process start time, timing log)."""
    work = Path(tempfile.mkdtemp(prefix="appbench-"))
    (work / "static").symlink_to(ROOT / "static")  # Streamlit serves static/ next to the main script
    shutil.copy(WRAPPER, work / "timed_app.py")
    main_script = work / "timed_app.py"
    if app == "atlas" and SERVED:  # as scripts/app.sh starts it: serve.py's warm-up around the timed script
        main_script = work / "served_app.py"
        main_script.write_text(SERVE.format(root=str(ROOT), script=str(work / "timed_app.py")))
    port = free_port()
    env = {**os.environ, "ATLAS_OFFLINE": "1", "BENCH_APP": str(APPS[app]), "BENCH_TIMING_LOG": str(log)}
    if root:
        env["ATLAS_DATA_ROOT"] = str(root)
        # a synthetic 100k file is ~150 MB, over the app's 40 MB input limit (it would show that error, no map)
        size_mb = (root / "data" / "projects.geojson").stat().st_size / 2**20
        env.setdefault("ATLAS_MAX_INPUT_MB", str(max(40, int(size_mb * 2) + 1)))
    cmd = [sys.executable, "-m", "streamlit", "run", str(main_script), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.05)
        yield url, t0, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)


def points(page) -> int | None:
    """Point layers the st_folium map holds (None while no map frame has drawn)."""
    for frame in page.frames:
        if "st_folium" not in frame.url:
            continue
        try:
            n = frame.evaluate(POINTS_JS)
        except Exception:  # the frame is being replaced
            continue
        if n is not None:
            return n
    return None


def wait(page, predicate, timeout: float) -> float:
    """Poll ``predicate`` every POLL_MS; the perf_counter time it first held (TimeoutError after ``timeout`` s)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if predicate():
                return time.perf_counter()
        except Exception:  # a rerun replaced something mid-check
            pass
        page.wait_for_timeout(POLL_MS)
    raise TimeoutError


def settled(page, timeout: float) -> tuple[int, float]:
    """The point count once the map has drawn and stayed the same for 1 s (a fresh page's reference count), and the
    perf_counter time that count was first seen: the 1 s of watching is not part of the time to draw it."""
    since = wait(page, lambda: points(page) is not None, timeout)
    last = points(page)
    while time.perf_counter() - since < 1.0:
        page.wait_for_timeout(POLL_MS)
        now = points(page)
        if now != last:
            last, since = now, time.perf_counter()
    return last, since


def idle(page, timeout: float) -> None:
    """Until Streamlit shows no script running (its status widget is gone)."""
    wait(page, lambda: page.locator('[data-testid="stStatusWidget"]').count() == 0, timeout)


def runs_between(log: Path, t0: float, t1: float) -> float:
    """Server time: the summed wall time of the script runs that started in [t0, t1] (wrapper log, epoch s)."""
    total = 0.0
    for line in log.read_text().splitlines() if log.exists() else []:
        start, seconds = (float(v) for v in line.split())
        if t0 <= start <= t1:
            total += seconds
    return total


def english_map(page) -> bool:
    """The map's points have English tooltips (or none of their own: a canvas layer)."""
    for frame in page.frames:
        if "st_folium" in frame.url:
            try:
                tip = frame.evaluate(TOOLTIP_JS)
            except Exception:  # the frame is being replaced
                return False
            if tip is False:  # no map or no point drawn yet
                return False
            return tip is None or not CJK.search(tip)
    return False


def title_js(word: str) -> str:
    return f"() => !!document.querySelector('h1') && document.querySelector('h1').innerText.includes({word!r})"


class StepTimeout(TimeoutError):
    """A step of one repetition did not finish: which step, and what was measured before it."""

    def __init__(self, step: str, measured: dict[str, float]) -> None:
        super().__init__(step)
        self.step, self.measured = step, measured


def one_app(pw, app: str, root: Path | None, n_label: str, sector_zh: str, timeout: float, sessions: int) -> dict:
    """One repetition of every measurement for one app (a fresh server); StepTimeout names the step that hung."""
    out: dict[str, float] = {}
    step = ["cold_start_s"]
    try:
        return _one_app(pw, app, root, sector_zh, timeout, sessions, out, step)
    except TimeoutError as exc:
        raise StepTimeout(step[0], out) from exc


def _one_app(pw, app, root, sector_zh, timeout, sessions, out: dict[str, float], step: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "runs.log"
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + OFFLINE_ARGS)
        try:
            with server(app, root, log) as (url, t0, _pid):
                ctx = browser.new_context(viewport={"width": 1400, "height": 900})
                page = ctx.new_page()
                page.goto(url, wait_until="commit")
                full, drawn = settled(page, timeout)
                out["cold_start_s"] = drawn - t0
                # the reference count of the filtered view: a fresh page opened on it
                step[0] = "filtered_reference"
                ref = ctx.new_page()
                query = f"/?sector={FILTER_SECTOR}" if app == "atlas" else ""
                ref.goto(url + query, wait_until="commit")
                if app == "atlas":
                    filtered, _ = settled(ref, timeout)
                else:
                    settled(ref, timeout)
                    _type_filter(ref, sector_zh)
                    filtered, _ = settled(ref, timeout)
                ref.close()
                # warm page load
                step[0] = "warm_load_s"
                warm = ctx.new_page()
                t = time.perf_counter()
                warm.goto(url, wait_until="commit")
                out["warm_load_s"] = wait(warm, lambda: points(warm) == full, timeout) - t
                warm.close()
                # filter change
                step[0] = "filter_browser_s"
                epoch = time.time()
                t = time.perf_counter()
                _type_filter(page, sector_zh)
                t_typed = time.perf_counter()
                done = wait(page, lambda: points(page) == filtered and filtered != full, timeout)
                out["filter_browser_s"] = done - t_typed
                page.wait_for_timeout(1500)  # let any second run (st_folium's) finish before reading the log
                idle(page, timeout)
                out["filter_server_s"] = runs_between(log, epoch, epoch + (done - t) + 1.0)
                # language switch
                step[0] = "language_s"
                epoch = time.time()
                t = time.perf_counter()
                page.locator('[data-testid="stSidebar"] label').filter(has_text="English").first.click()
                # the atlas keeps the filter across the switch; the naive app drops it (its multiselect's label
                # changes, so Streamlit makes a new widget with no choice): its map then holds every point
                expected = filtered if app == "atlas" else full
                done = wait(
                    page,
                    lambda: page.evaluate(title_js("Jilin")) and points(page) == expected and english_map(page),
                    timeout,
                )
                out["language_s"] = done - t
                page.wait_for_timeout(1000)
                idle(page, timeout)  # a run longer than the wait (100k: the English layer) is logged when it ends
                out["language_server_s"] = runs_between(log, epoch, epoch + (done - t) + 0.8)
                # tab change
                step[0] = "tab_s"
                # a tab that is not shown yet, until its content is visible: the naive app's second tab (its
                # chart, drawn hidden at page load; st.tabs switches in the browser), the atlas's project table
                # (drawn when picked). Before 2026-12-06 this step clicked the naive app's tab already shown and
                # waited for any dataframe, which the atlas's statistics tab already had: both were ~0 s.
                t = time.perf_counter()
                if app == "naive":
                    page.get_by_role("tab", name="Counts").click()
                    shown = page.locator('[data-testid="stVegaLiteChart"]').first
                else:
                    page.get_by_text("Project table", exact=True).click()
                    shown = page.locator(".st-key-tbl_projects").first
                done = wait(page, shown.is_visible, timeout)
                out["tab_s"] = done - t
                ctx.close()
                if sessions:
                    step[0] = "sessions_last_map_s"
                    out["sessions_last_map_s"] = _sessions(browser, url, full, sessions, timeout)
        finally:
            browser.close()
    return out


def _type_filter(page, sector_zh: str) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    box.click()
    page.keyboard.type(sector_zh)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def _sessions(browser, url: str, full: int, n: int, timeout: float) -> float:
    """n pages opened at once (separate contexts); seconds until the last one's map holds every point."""
    ctxs = [browser.new_context(viewport={"width": 1200, "height": 800}) for _ in range(n)]
    try:
        pages = [c.new_page() for c in ctxs]
        t = time.perf_counter()
        for p in pages:
            p.goto(url, wait_until="commit")
        pending = set(range(n))
        deadline = t + timeout
        last = t
        while pending and time.perf_counter() < deadline:
            for i in list(pending):
                if points(pages[i]) == full:
                    pending.discard(i)
                    last = time.perf_counter()
            pages[0].wait_for_timeout(POLL_MS)
        if pending:
            raise TimeoutError
        return last - t
    finally:
        for c in ctxs:
            c.close()


# --------------------------------------------------------------------------- summary


def summarise(samples: list[float]) -> dict[str, float] | None:
    if not samples:
        return None
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "n": len(samples)}


def table(results: dict) -> str:
    lines = []
    for size, apps in results["sizes"].items():
        lines += [
            f"\n### {size} projects\n",
            "| measure | atlas median (min–max) | naive median (min–max) | naive / atlas |",
        ]
        lines.append("|---|---|---|---|")
        keys = sorted({k for a in apps.values() for k in a})
        for key in keys:
            cells = []
            for app in ("atlas", "naive"):
                s = apps.get(app, {}).get(key)
                cells.append(f"{s['median']:.3f} s ({s['min']:.3f}–{s['max']:.3f})" if s else "not run")
            a, b = apps.get("atlas", {}).get(key), apps.get("naive", {}).get(key)
            ratio = f"{b['median'] / a['median']:.1f}×" if a and b and a["median"] > 0 else "—"
            lines.append(f"| {key} | {cells[0]} | {cells[1]} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only the benchmark needs it

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="plan,10000,100000")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--sessions", type=int, default=10, help="concurrent sessions at plan scale (0: skip)")
    ap.add_argument("--naive-max", type=int, default=10000, help="largest size the naive app is run at")
    ap.add_argument("--timeout", type=float, default=180.0)
    ap.add_argument("--out", default="app")
    ap.add_argument("--plain", action="store_true", help="atlas: `streamlit run app.py` (no serve.py warm-up)")
    args = ap.parse_args()
    global SERVED  # noqa: PLW0603 - one switch read by server()
    SERVED = not args.plain
    sector_zh = {s["sector"]: s["zh"] for s in load_atlas().sectors}[FILTER_SECTOR]
    results: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "reps": args.reps,
        "notes": [],
        "sizes": {},
    }
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        for size in args.sizes.split(","):
            root = None if size == "plan" else synthetic_root(int(size), Path(tmp) / size)
            apps = ["atlas", "naive"] if size == "plan" or int(size) <= args.naive_max else ["atlas"]
            if "naive" not in apps:
                results["notes"].append(f"naive app not run at {size}: one CircleMarker per point per script run")
            samples: dict[str, dict[str, list[float]]] = {a: {} for a in apps}
            for rep in range(args.reps):
                for app in apps if rep % 2 == 0 else apps[::-1]:  # interleaved, alternating order
                    sessions = args.sessions if size == "plan" else 0
                    try:
                        one = one_app(pw, app, root, size, sector_zh, args.timeout, sessions)
                    except StepTimeout as exc:
                        results["notes"].append(
                            f"{app} at {size}, rep {rep}: step {exc.step} timed out ({args.timeout} s);"
                            f" measured before it: { ({k: round(v, 3) for k, v in exc.measured.items()}) }"
                        )
                        one = exc.measured
                    print(size, app, rep, {k: round(v, 3) for k, v in one.items()}, flush=True)
                    for k, v in one.items():
                        samples[app].setdefault(k, []).append(v)
            results["sizes"][size] = {a: {k: summarise(v) for k, v in s.items()} for a, s in samples.items()}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.out}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    md = f"# App benchmark ({results['date']}, {results['machine']['cpus']} CPUs, {args.reps} reps)\n"
    md += "\nMedians (min–max) in seconds; `bench/app_bench.py` explains each measure.\n" + table(results)
    md += "".join(f"\n\n* {n}" for n in results["notes"]) + "\n"
    (RESULTS / f"{args.out}.md").write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()

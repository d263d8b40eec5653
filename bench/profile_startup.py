"""Where the seconds of a cold start and a warm page load go: a timeline of server and browser marks, and a profile.

    .venv/bin/python bench/profile_startup.py [--app atlas|naive] [--root DIR] [--top 30] [--out profile-startup]

One fresh ``streamlit run`` of the app (through a wrapper that profiles each script run with cProfile and logs the
moments of each run: start, the map component handed to Streamlit, end), one headless Chromium page opened at once
(cold) and one more after it settled (warm). The browser side polls every 25 ms: the st_folium frame in the page,
Leaflet loaded in it, the first point layer, every point drawn. Times are seconds since the process started.
The first script run's profile (cumulative) and the bytes of the map component's arguments are written too.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from harness import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

from bench.app_bench import APPS, OFFLINE_ARGS, POINTS_JS  # noqa: E402

RESULTS = ROOT / "bench" / "results"
WRAPPER = """
import cProfile, json, os, runpy, sys, time
sys.path.insert(0, {root!r})
MARKS = {marks!r}
def mark(what, **extra):
    with open(MARKS, "a", encoding="utf-8") as f:
        f.write(json.dumps({{"t": time.time(), "what": what, **extra}}) + "\\n")
from ui import warm as _warm
_warm.wait()  # as app.py: the served warm-up imports streamlit_folium and registers its component
import streamlit_folium as _sf
_orig = _sf._component_func
def _logged(*a, **k):
    size = sum(len(str(k.get(n) or "")) for n in ("script", "header", "html", "feature_group"))
    mark("map component", bytes=size)
    return _orig(*a, **k)
_sf._component_func = _logged
_n = int(os.environ.get("_PROFILE_RUN", "0"))
os.environ["_PROFILE_RUN"] = str(_n + 1)
mark("run start", run=_n)
_p = cProfile.Profile()
_p.enable()
try:
    runpy.run_path({app!r}, run_name="__main__")
finally:
    _p.disable()
    _p.dump_stats({prof!r} + f".{{_n}}")
    mark("run end", run=_n)
"""
#: The atlas served as scripts/app.sh serves it (serve.py: st.App with the warm-up lifespan) around the wrapper.
SERVE = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from serve import lifespan
app = st.App({script!r}, lifespan=lifespan)
"""
FRAME_JS = (
    """() => ({
  leaflet: !!window.L,
  points: ("""
    + POINTS_JS
    + """)(),
})"""
)


def timeline(page, t0: float, timeout: float, full: int | None) -> tuple[list[tuple[float, str]], int]:
    """Browser marks (epoch s − t0) until the map holds ``full`` points (or is stable 1 s when ``full`` is None)."""
    seen: dict[str, float] = {}
    deadline = time.time() + timeout
    last_n, since = None, time.time()
    while time.time() < deadline:
        now = time.time()
        if "frame" not in seen and page.locator("iframe[title='streamlit_folium.st_folium']").count():
            seen["frame"] = now
        if "title" not in seen and page.locator("h1").count():
            seen["title"] = now
        for frame in page.frames:
            if "st_folium" not in frame.url:
                continue
            try:
                info = frame.evaluate(FRAME_JS)
            except Exception:  # the frame is loading
                continue
            if info["leaflet"]:
                seen.setdefault("leaflet loaded in frame", now)
            n = info["points"]
            if n:
                seen.setdefault("first points drawn", now)
                if n != last_n:
                    last_n, since = n, now
                if full is not None and n == full:
                    seen.setdefault("all points drawn", now)
        if full is not None and "all points drawn" in seen:
            break
        if full is None and last_n and now - since > 1.0:
            seen["all points drawn"] = since
            break
        page.wait_for_timeout(25)
    return sorted((v - t0, k) for k, v in seen.items()), last_n or 0


def main() -> None:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only the benchmark needs it

    ap = argparse.ArgumentParser()
    ap.add_argument("--app", default="atlas", choices=sorted(APPS))
    ap.add_argument("--root", default=None, help="ATLAS_DATA_ROOT (default: the bundled data)")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--out", default=None, help="write bench/results/<out>.md")
    ap.add_argument("--query", default="", help="URL query of both pages, e.g. '?tab=about'")
    ap.add_argument("--plain", action="store_true", help="atlas: `streamlit run app.py` (no serve.py warm-up)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="startup-"))
    marks, prof = work / "marks.jsonl", work / "run.prof"
    (work / "static").symlink_to(ROOT / "static")
    (work / "wrapped_app.py").write_text(
        WRAPPER.format(root=str(ROOT), marks=str(marks), prof=str(prof), app=str(APPS[args.app]))
    )
    main_script = work / "wrapped_app.py"
    if args.app == "atlas" and not args.plain:
        main_script = work / "served_app.py"
        main_script.write_text(SERVE.format(root=str(ROOT), script=str(work / "wrapped_app.py")))
    port = free_port()
    env = {**os.environ, "ATLAS_OFFLINE": "1"}
    if args.root:
        env["ATLAS_DATA_ROOT"] = args.root
    cmd = [sys.executable, "-m", "streamlit", "run", str(main_script), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    url = f"http://127.0.0.1:{port}"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + OFFLINE_ARGS)
        t0 = time.time()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.025)
            healthy = time.time() - t0
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            opened = time.time() - t0
            page.goto(url + args.query, wait_until="commit")
            cold, full = timeline(page, t0, args.timeout, None)
            page.wait_for_timeout(1500)
            t1 = time.time()
            warm_page = browser.new_page(viewport={"width": 1400, "height": 900})
            warm_page.goto(url + args.query, wait_until="commit")
            warm, _ = timeline(warm_page, t1, args.timeout, full)
            nav = warm_page.evaluate("() => JSON.stringify(performance.getEntriesByType('navigation')[0])")
            resources = warm_page.evaluate(
                "() => performance.getEntriesByType('resource').map(r => [r.name, r.transferSize, r.duration])"
            )
            warm_page.wait_for_timeout(1500)
        finally:
            proc.terminate()
            proc.wait(10)
            browser.close()
    server = [json.loads(line) for line in marks.read_text().splitlines()]
    how = "streamlit run app.py" if args.app == "naive" or args.plain else "streamlit run serve.py"
    lines = [f"# Startup timeline ({args.app}: `{how}`, {args.root or 'bundled data'}, {full} points)\n"]
    lines.append(f"`uptime` load average at the end: {os.getloadavg()[0]:.2f} (2 cores shared with other work)\n")
    lines.append("## Cold: seconds since `streamlit run` started\n")
    events = [(healthy, "server healthy (/_stcore/health)"), (opened, "browser page opened, goto")]
    events += [(m["t"] - t0, m["what"] + _extra(m)) for m in server if m["t"] - t0 < t1 - t0]
    events += [(t, "browser: " + w) for t, w in cold]
    lines += [f"* {t:6.2f} s  {w}" for t, w in sorted(events)]
    lines.append("\n## Warm: seconds since a new page was opened on the running server\n")
    events = [(m["t"] - t1, m["what"] + _extra(m)) for m in server if m["t"] >= t1]
    events += [(t, "browser: " + w) for t, w in warm]
    lines += [f"* {t:6.2f} s  {w}" for t, w in sorted(events)]
    navd = json.loads(nav)
    lines.append(
        f"\nWarm navigation: responseEnd {navd['responseEnd']:.0f} ms, domContentLoaded "
        f"{navd['domContentLoadedEventEnd']:.0f} ms, load {navd['loadEventEnd']:.0f} ms."
    )
    slow = sorted(resources, key=lambda r: -r[2])[:8]
    lines.append(
        "Slowest resources of the warm page (ms): " + "; ".join(f"{n.split('/')[-1][:40]} {d:.0f}" for n, _, d in slow)
    )
    lines.append(f"\n## First script run: cProfile, cumulative, top {args.top}\n\n```")
    lines.append(_top(prof.with_suffix(".prof.0"), args.top))
    lines.append("```")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{args.out}.md").write_text(text, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


def _extra(mark: dict) -> str:
    bits = [f"{k}={v}" for k, v in mark.items() if k not in ("t", "what")]
    return f" ({', '.join(bits)})" if bits else ""


def _top(path: Path, n: int) -> str:
    import io  # noqa: PLC0415

    out = io.StringIO()
    stats = pstats.Stats(str(path), stream=out)
    stats.sort_stats("cumulative").print_stats(n)
    text = out.getvalue()
    return text[text.find("   ncalls") :].rstrip() if "   ncalls" in text else text


if __name__ == "__main__":
    main()

"""Start the app on 127.0.0.1 and drive it in headless Debian Chromium with every non-loopback request blocked."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppURL(str):
    """The app's base URL (a plain ``str`` to every caller) with the server's process id and its log file."""

    pid: int
    log: Path


@contextlib.contextmanager
def serve_app(env: dict[str, str] | None = None, app: str = "app.py") -> Iterator[AppURL]:
    """Run ``streamlit run app.py`` on a free loopback port; yields the base URL (``.pid``: the server's pid)."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    log = open(ROOT / f".streamlit-test-{port}.log", "w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
    url = AppURL(f"http://127.0.0.1:{port}")
    url.pid = proc.pid
    url.log = ROOT / f".streamlit-test-{port}.log"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("streamlit did not start")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        (ROOT / f".streamlit-test-{port}.log").unlink(missing_ok=True)


@contextlib.contextmanager
def browser_page(width: int = 1600, height: int = 1000) -> Iterator:
    """A Playwright page in Debian Chromium; requests to anything but 127.0.0.1 are aborted (and recorded),
    uncaught script errors are recorded in ``page.errors``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
        blocked: list[str] = []

        def route(r):
            host = r.request.url.split("/")[2] if "://" in r.request.url else ""
            if (
                host.startswith("127.0.0.1")
                or host.startswith("localhost")
                or r.request.url.startswith(("data:", "blob:", "about:", "file:"))
            ):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        errors: list[str] = []  # uncaught script errors in any page or frame of the context
        context.on("page", lambda p: p.on("pageerror", lambda e: errors.append(f"{p.url}: {e}")))
        page = context.new_page()
        page.blocked = blocked
        page.errors = errors
        try:
            yield page
        finally:
            context.close()
            browser.close()


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (VmRSS from /proc: no psutil needed on Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def map_frame(page, timeout: float = 90_000):
    """The st_folium component's frame once Leaflet has drawn the map (its container and our legend exist)."""
    deadline = time.time() + timeout / 1000
    while time.time() < deadline:
        for frame in page.frames:
            if "st_folium" not in frame.url:
                continue
            try:
                if frame.evaluate("() => !!document.querySelector('.leaflet-container .atlas-legend')"):
                    return frame
            except Exception:  # the frame is being replaced by a rerun
                pass
        page.wait_for_timeout(200)
    raise TimeoutError("map never drew")


COUNT_JS = """() => {
  const maps = [...new Set(Object.values(window).filter(v => v && window.L && v instanceof L.Map))];
  const out = {maps: maps.length, circles: 0, clustered: 0, markers: 0, polygons: 0, lines: 0, badges: 0, canvas: 0};
  for (const m of maps) {
    m.eachLayer(l => {
      if (l instanceof L.MarkerClusterGroup) {  // project points, or the county badges (markers) in their cluster
        for (const x of l.getLayers()) { if (x instanceof L.CircleMarker) out.clustered += 1; else out.markers += 1; }
      }
      else if (l instanceof L.CircleMarker) { out.circles += 1; }
      else if (l instanceof L.Marker) { out.markers += 1; }
      else if (l instanceof L.Polygon) { out.polygons += 1; }
      else if (l instanceof L.Polyline) { out.lines += 1; }
    });
  }
  out.badges = document.querySelectorAll('.atlas-badge').length;
  out.canvas = window.__atlasCanvasDrawn || 0;
  return out;
}"""


def count_markers(frame) -> dict[str, int]:
    """What Leaflet holds (works with the canvas renderer, where markers are not DOM elements)."""
    return frame.evaluate(COUNT_JS)


def board_table(page) -> dict[str, int]:
    """The per-board table (an HTML table) as {board: overlapping count}."""
    rows = page.evaluate(
        """() => {
          const tables = [...document.querySelectorAll('[data-testid="stTable"] table')];
          const t = tables.find(t => /重叠计数|Overlapping/.test(t.innerText));
          if (!t) return [];
          return [...t.querySelectorAll('tbody tr')].map(r => [...r.querySelectorAll('td,th')].map(c => c.innerText.trim()));
        }"""
    )
    return {r[0]: int(r[1]) for r in rows if len(r) >= 2}


def metric(page, label: str) -> str:
    return page.evaluate(
        """(label) => {
          const m = [...document.querySelectorAll('[data-testid="stMetric"]')].find(e => e.innerText.includes(label));
          return m ? m.querySelector('[data-testid="stMetricValue"]').innerText : null;
        }""",
        label,
    )


def scroll_to_panels(page, timeout: float = 60.0) -> None:
    """Scroll down to the panels below the map, as a person does; they are drawn once in view (ui/progressive.py)."""
    later = page.locator(".st-key-atlas_panels_later")
    wait_for(page, lambda: later.count() == 1 or page.locator('[data-testid="stTable"]').count() > 0, timeout)
    if later.count():
        later.scroll_into_view_if_needed()
        wait_for(page, lambda: later.count() == 0, timeout)


def wait_for(page, predicate, timeout=60.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            value = predicate()
        except Exception:  # a rerun replaced the map frame mid-check: look again
            value = None
        if value:
            return value
        page.wait_for_timeout(200)
    raise TimeoutError("condition not met")


def zoom_onto_first_project(frame, zoom: int) -> tuple[float, float]:
    """Zoom the map onto the first project circle (so it leaves its cluster); its container point (x, y)."""
    return frame.evaluate(
        """(zoom) => {
          const m = Object.values(window).find(v => v instanceof L.Map);
          let target = null;
          m.eachLayer(l => {  // the project cluster (the badges' cluster holds plain markers)
            if (l instanceof L.MarkerClusterGroup && !target) target = l.getLayers().find(x => x instanceof L.CircleMarker);
          });
          m.setView(target.getLatLng(), zoom, {animate: false});
          const p = m.latLngToContainerPoint(target.getLatLng());
          return [p.x, p.y];
        }""",
        zoom,
    )

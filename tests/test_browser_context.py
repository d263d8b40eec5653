"""The offline basemap's context in headless Chromium: province edge, neighbours, seats, named water; tile failure."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
from harness import browser_page, map_frame, serve_app, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]

CONTEXT_JS = """() => {
  const m = [...new Set(Object.values(window).filter(v => v instanceof L.Map))][0];
  const out = {edges: 0, neighbours: 0, seats: 0, hidden: m.getContainer().classList.contains('atlas-ctx-hidden')};
  m.eachLayer(l => {
    const pane = l.options && l.options.pane;
    if (pane === 'atlas-context' && l instanceof L.Polygon) { out.neighbours += 1; }
    else if (pane === 'atlas-context' && l instanceof L.Polyline) { out.edges += 1; }
    else if (pane === 'atlas-context-top' && l instanceof L.CircleMarker) { out.seats += 1; }
  });
  const names = kind => [...document.querySelectorAll('.atlas-name-' + kind)].map(e => e.textContent);
  out.prefectures = names('prefecture');
  out.water = names('water');
  out.seatNames = names('seat');
  const note = document.querySelector('.atlas-tile-notice');
  out.notice = note ? [note.textContent, getComputedStyle(note).display] : null;
  out.pane = getComputedStyle(m.getPane('atlas-context')).display;
  return out;
}"""


@pytest.fixture(scope="module")
def app_url():
    with serve_app(env={"ATLAS_OFFLINE": "1"}) as url:
        yield url


@pytest.mark.parametrize(
    ("lang", "water", "neighbour"),
    [("zh", {"松花江", "松花湖"}, "长春市"), ("en", {"Songhua River", "Songhua Lake"}, "Changchun")],
)
def test_offline_view_has_province_neighbours_seats_and_named_water(app_url, lang, water, neighbour):
    with browser_page(1366, 768) as page:
        page.goto(f"{app_url}/?lang={lang}")
        frame = map_frame(page)
        got = wait_for(page, lambda: (c := frame.evaluate(CONTEXT_JS)) and c["seats"] and c)
        assert got["edges"] >= 1  # the province edge (the city outline is drawn above, in the top pane)
        assert got["neighbours"] == 7 and len(got["prefectures"]) == 7 and neighbour in got["prefectures"]
        assert got["seats"] == 9 and len(got["seatNames"]) == 9
        assert water <= set(got["water"])  # text elements of the page, not canvas pixels
        assert not got["hidden"] and got["pane"] != "none"
        assert got["notice"] is None  # offline by choice: nothing to warn about


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (256, 256), (230, 230, 230)).save(buf, format="PNG")
    return buf.getvalue()


def test_unreachable_tiles_show_a_notice_and_the_offline_context(app_url):
    with browser_page(1366, 768) as page:
        page.route("**/*basemaps.cartocdn.com/**", lambda route: route.abort())  # the tile host is down
        page.goto(f"{app_url}/?lang=en&basemap=carto")
        frame = map_frame(page)
        got = wait_for(page, lambda: (c := frame.evaluate(CONTEXT_JS)) and c["notice"][1] == "block" and c)
        assert got["notice"][0] == "Basemap tiles unreachable — showing the offline basemap"
        assert not got["hidden"] and got["pane"] != "none" and got["seats"] == 9
        page.wait_for_timeout(300)
        shown = frame.evaluate(
            "() => [...document.querySelectorAll('.atlas-name-prefecture, .atlas-name-water')]"
            ".filter(e => e.style.visibility === 'visible').length"
        )
        assert shown >= 3  # the context's names come back with it


def test_working_tiles_keep_the_context_hidden(app_url):
    tile = _png()
    with browser_page(1366, 768) as page:
        page.route(
            "**/*basemaps.cartocdn.com/**",
            lambda route: route.fulfill(status=200, body=tile, headers={"Content-Type": "image/png"}),
        )
        page.goto(f"{app_url}/?lang=zh&basemap=carto")
        frame = map_frame(page)
        wait_for(page, lambda: frame.evaluate("() => document.querySelectorAll('.leaflet-tile-loaded').length > 3"))
        page.wait_for_timeout(500)
        got = frame.evaluate(CONTEXT_JS)
        assert got["hidden"] and got["pane"] == "none"
        assert got["notice"] == ["底图瓦片无法加载，已显示离线底图", "none"]
        shown = frame.evaluate(
            "() => [...document.querySelectorAll('.atlas-name-prefecture, .atlas-name-water, .atlas-name-seat')]"
            ".filter(e => e.style.visibility === 'visible').length"
        )
        assert shown == 0  # the tiles name the places themselves

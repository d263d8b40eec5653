"""A clear city centre, in headless Chromium: no two aggregate symbols (county badges, merged badges, project
clusters) overlap at the default view or one zoom step in, at projector sizes; the ✈ airport icon never takes a
click meant for what is under it; clusters show their children's sector mix around a neutral centre; badges count
the current selection and list its sector mix."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
from harness import browser_page, map_frame, serve_app, wait_for

from geo.atlas import load_atlas
from geo.render.badges import county_level_counts
from geo.render.style import sector_colors

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]
SIZES = [(1366, 768), (1920, 1080)]


@pytest.fixture(scope="module")
def app_url():
    ARTIFACTS.mkdir(exist_ok=True)
    with serve_app(env={"ATLAS_OFFLINE": "1"}) as url:
        yield url


#: Client rects of every aggregate symbol inside the map's container (the legend aside: it is a control).
BOXES_JS = """() => {
  const c = document.querySelector('.leaflet-container'), box = c.getBoundingClientRect();
  return [...c.querySelectorAll('.atlas-donut, .atlas-badge')].map(e => {
    const r = e.getBoundingClientRect();
    return {kind: e.classList.contains('atlas-donut') ? 'cluster' : 'badge', text: e.textContent,
            left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  }).filter(r => r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom);
}"""
#: Client rects of the visible place names (their text spans), with their kind.
NAMES_JS = """() => [...document.querySelectorAll('.atlas-name')]
  .filter(e => getComputedStyle(e).visibility === 'visible' && e.firstChild)
  .map(e => { const r = e.firstChild.getBoundingClientRect();
              return {kind: 'name', text: e.textContent, county: e.classList.contains('atlas-name-county'),
                      left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })"""
SETTLED_JS = "() => [window.__atlasSpaced || 0, document.querySelectorAll('.atlas-donut').length]"


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    """Every pair of boxes whose areas intersect (touching edges do not count)."""
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]:
                out.append((f"{a['kind']} {a['text']}", f"{b['kind']} {b['text']}"))
    return out


def test_overlap_check_catches_an_overlap():
    a = {"kind": "badge", "text": "13", "left": 0, "right": 34, "top": 0, "bottom": 34}
    b = {"kind": "cluster", "text": "3", "left": 30, "right": 62, "top": 10, "bottom": 42}
    c = {"kind": "cluster", "text": "5", "left": 34, "right": 66, "top": 0, "bottom": 30}  # touches a: no overlap
    assert overlaps([a, b]) and not overlaps([a, c])


def names_over_symbols(names: list[dict], boxes: list[dict]) -> list[tuple[str, str]]:
    """Every visible name that covers an aggregate symbol."""
    return [pair for pair in overlaps(names + boxes) if pair[0].startswith("name") != pair[1].startswith("name")]


def _settle(page, frame, after: int = 0) -> None:
    """Until the badges were spaced after the last zoom (count above ``after``) and the clusters are drawn."""
    wait_for(page, lambda: (s := frame.evaluate(SETTLED_JS)) and s[0] > after and s[1] > 0, timeout=30)
    page.wait_for_timeout(700)  # the cluster animation and the spacing's debounce


@pytest.mark.parametrize("width,height,query", [(*SIZES[0], ""), (*SIZES[1], ""), (*SIZES[0], "mode=present&step=1")])
def test_no_two_aggregate_symbols_overlap(app_url, width, height, query):
    with browser_page(width, height) as page:
        page.goto(app_url + "/?" + query)
        frame = map_frame(page)
        _settle(page, frame)
        boxes = frame.evaluate(BOXES_JS)
        kinds = Counter(b["kind"] for b in boxes)
        assert kinds["badge"] >= 5 and kinds["cluster"] >= 3, kinds
        assert overlaps(boxes) == [], f"default view at {width}×{height}"
        names = frame.evaluate(NAMES_JS)
        assert sum(n["county"] for n in names) >= 5, names  # county names are on the map
        assert names_over_symbols(names, boxes) == [], f"names over symbols at {width}×{height}"
        page.screenshot(path=str(ARTIFACTS / f"centre-{width}x{height}{'-present' if query else ''}.png"))
        spaced = frame.evaluate(SETTLED_JS)[0]
        frame.locator(".leaflet-control-zoom-in").click()  # one zoom step, as a person would
        _settle(page, frame, after=spaced)
        boxes = frame.evaluate(BOXES_JS)
        assert len(boxes) >= 5
        assert overlaps(boxes) == [], f"one step in at {width}×{height}"
        assert names_over_symbols(frame.evaluate(NAMES_JS), boxes) == [], "names over symbols one step in"
        assert page.errors == []


AIRPORT_JS = """() => {
  const a = document.querySelector('.atlas-airport');
  if (!a) return null;
  const r = a.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
  const hit = document.elementFromPoint(x, y);
  const clusters = [...document.querySelectorAll('.atlas-donut')].map(e => e.getBoundingClientRect())
    .filter(c => c.left < r.right && r.left < c.right && c.top < r.bottom && r.top < c.bottom)
    .map(c => { const e = document.elementFromPoint((c.left + c.right) / 2, (c.top + c.bottom) / 2);
                return !!(e && e.closest('.atlas-donut')); });
  return {onAirport: !!(hit && hit.closest('.atlas-airport')), hit: hit ? hit.tagName : null, clusters: clusters};
}"""


def test_the_airport_icon_never_takes_a_click(app_url):
    with browser_page(*SIZES[0]) as page:
        page.goto(app_url + "/")
        frame = map_frame(page)
        _settle(page, frame)
        seen = frame.evaluate(AIRPORT_JS)
        assert seen is not None
        assert not seen["onAirport"], seen
        assert all(seen["clusters"]), seen  # a cluster over the airport takes its own click
        # close up, the airport project's own circle lies under the icon: the point, not the icon, is hit
        frame.evaluate(
            "() => { const m = Object.values(window).find(v => v instanceof L.Map); let at = null;"
            " m.eachLayer(l => { if (l instanceof L.Marker && l.options.pane === 'atlas-airports') at = l.getLatLng(); });"
            " m.setView(at, 16, {animate: false}); }"
        )
        page.wait_for_timeout(1200)
        seen = frame.evaluate(AIRPORT_JS)
        assert seen is not None and not seen["onAirport"], seen
        assert seen["hit"] == "CANVAS", seen  # the canvas of circle markers (a project point, or the airport's tip)


DONUT_JS = """() => [...document.querySelectorAll('.atlas-donut')].map(e => ({
  n: +e.dataset.n,
  centre: getComputedStyle(e.querySelector('.atlas-donut-n')).backgroundColor,
  segs: [...e.querySelectorAll('.atlas-seg')].map(s => [s.dataset.color, +s.dataset.n,
        parseFloat(s.getAttribute('stroke-dasharray'))]),
  circ: 2 * Math.PI * parseFloat(e.querySelector('.atlas-seg').getAttribute('r')),
  kids: null}))"""
KIDS_JS = """() => {
  const m = Object.values(window).find(v => v instanceof L.Map), out = [];
  m.eachLayer(l => { if (l instanceof L.MarkerClusterGroup && l._featureGroup) l._featureGroup.eachLayer(x => {
    if (x instanceof L.MarkerCluster && x._icon && x._icon.querySelector('.atlas-donut')) {
      const c = {};
      x.getAllChildMarkers().forEach(k => { c[k.options.color] = (c[k.options.color] || 0) + 1; });
      out.push({n: x.getChildCount(), colours: c});
    }}); });
  return out;
}"""


@pytest.mark.parametrize("query", ["", "mode=present&step=1"])
def test_clusters_show_their_sector_mix_around_a_neutral_centre(app_url, query):
    colours = set(sector_colors([s["sector"] for s in load_atlas().sectors]).values()) | {"#666666"}
    with browser_page(*SIZES[0]) as page:
        page.goto(app_url + "/?" + query)
        frame = map_frame(page)
        _settle(page, frame)
        donuts, kids = frame.evaluate(DONUT_JS), frame.evaluate(KIDS_JS)
        assert donuts and len(donuts) == len(kids)
        by_n = sorted((d["n"], sorted((c, k) for c, k, _ in d["segs"])) for d in donuts)
        expected = sorted((k["n"], sorted(k["colours"].items())) for k in kids)
        assert by_n == expected  # ring segments: the children's sector colours, one per sector, with their counts
        for d in donuts:
            r, g, b = (int(float(x)) for x in d["centre"][d["centre"].index("(") + 1 : -1].split(",")[:3])
            assert r == g == b, d["centre"]  # neutral grey centre
            assert sum(k for _, k, _ in d["segs"]) == d["n"]
            for colour, k, length in d["segs"]:
                assert colour in colours
                assert length == pytest.approx(d["circ"] * k / d["n"], rel=1e-3)  # its share of the ring
        assert page.errors == []


BADGES_JS = """() => [...document.querySelectorAll('.atlas-badge:not(.atlas-badge-group)')].map(e => [e.title,
  +e.firstChild.textContent])"""


#: The centre of a single badge that the mouse would reach (nothing over it), in the frame's coordinates.
PICKABLE_BADGE_JS = """() => {
  for (const e of document.querySelectorAll('.atlas-badge:not(.atlas-badge-group)')) {
    const r = e.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    const hit = document.elementFromPoint(x, y);
    if (hit && hit.closest('.atlas-badge') === e) return [x, y];
  }
  return null;
}"""


def test_badges_count_the_selection_and_list_its_sector_mix(app_url):
    data = load_atlas()
    sector = "tourism_culture"
    chosen = data.projects[data.projects["sector"] == sector]
    want = county_level_counts(chosen)
    everything = county_level_counts(data.projects)
    assert want and any(want.get(a, 0) != n for a, n in everything.items())  # the filter changes some numbers
    names = dict(zip(data.counties["adcode"].astype(str), data.counties["name"], strict=True))
    with browser_page(1920, 1080) as page:
        page.goto(app_url + f"/?sector={sector}&at=43.75,126.7,10")  # zoomed in: every badge on its own
        frame = map_frame(page)
        wait_for(page, lambda: frame.evaluate(BADGES_JS), timeout=30)
        page.wait_for_timeout(800)
        shown = {title.split("：")[0]: n for title, n in frame.evaluate(BADGES_JS)}
        expected = {names[a]: n for a, n in want.items()}
        assert shown and all(expected[county] == n for county, n in shown.items()), (shown, expected)
        # the tooltip lists the sector mix, in the UI language: only the chosen sector here
        at = frame.evaluate(PICKABLE_BADGE_JS)
        assert at, "no badge free to hover"
        box = page.locator("iframe[title='streamlit_folium.st_folium']").last.bounding_box()
        page.mouse.move(box["x"] + at[0], box["y"] + at[1])
        tip = wait_for(page, frame.locator(".leaflet-tooltip").first.inner_text, timeout=10)
        assert "按产业/领域" in tip and "旅游文化" in tip and "精细化工" not in tip, tip


LEGEND_JS = """() => {
  const c = document.querySelector('.leaflet-container'), d = c.querySelector('.atlas-legend');
  return {open: d.open, legend: d.getBoundingClientRect().height, map: c.getBoundingClientRect().height};
}"""


def test_a_tall_legend_starts_folded_and_the_persons_choice_stands(app_url):
    """On a projector (1366×768, presentation) the legend would cover a third of the map: it starts folded, one
    click opens it, and a resize does not fold it again; on a large screen in the atlas view (threshold 60 %) it starts open."""
    with browser_page(*SIZES[0]) as page:
        page.goto(app_url + "/?mode=present&step=1&lang=en")
        frame = map_frame(page)
        folded = wait_for(page, lambda: (lg := frame.evaluate(LEGEND_JS)) and lg["map"] > 300 and lg)
        assert not folded["open"] and folded["legend"] < 0.1 * folded["map"], folded
        frame.locator(".atlas-legend summary").click()
        opened = frame.evaluate(LEGEND_JS)
        assert opened["open"] and opened["legend"] > 0.4 * opened["map"], opened
        page.set_viewport_size({"width": 1360, "height": 760})
        page.wait_for_timeout(800)
        assert frame.evaluate(LEGEND_JS)["open"]  # the person's choice stands
    with browser_page(*SIZES[1]) as page:
        page.goto(app_url + "/")
        frame = map_frame(page)
        lg = wait_for(page, lambda: (lg := frame.evaluate(LEGEND_JS)) and lg["map"] > 300 and lg)
        assert lg["open"] and lg["legend"] <= 0.6 * lg["map"], lg


#: The map container's client rect.
MAP_BOX_JS = """() => { const r = document.querySelector('.leaflet-container').getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }"""


@pytest.mark.parametrize("step", [4, 8, 9])  # tourism, agri-food, bio: symbols in the city's far corners
def test_a_presentation_step_frames_every_symbol_it_shows(app_url, step):
    """A presenter's step shows each of its clusters and county badges whole, not cut at the map's edge."""
    with browser_page(*SIZES[0]) as page:
        page.goto(app_url + f"/?mode=present&step={step}")
        frame = map_frame(page)
        wait_for(page, lambda: frame.evaluate("() => window.__atlasFitted || 0") >= 2, timeout=30)
        wait_for(page, lambda: frame.evaluate(SETTLED_JS)[0] > 0, timeout=30)  # badges spaced after the fit
        page.wait_for_timeout(700)
        box = frame.evaluate(MAP_BOX_JS)
        symbols = frame.evaluate(BOXES_JS)  # those at least partly inside the map
        assert symbols
        cut = [
            s["kind"] + " " + s["text"]
            for s in symbols
            if s["left"] < box["left"]
            or s["right"] > box["right"]
            or s["top"] < box["top"]
            or s["bottom"] > box["bottom"]
        ]
        assert cut == [], f"step {step + 1}: symbols cut at the map's edge"
        assert page.errors == []

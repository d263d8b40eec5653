"""The markers' tooltips and popups travel in escaped pieces that the browser joins: what it makes of them is
exactly the tooltip and popup the labels module writes, in Python and in Chromium, in both languages."""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
from harness import browser_page

from geo.atlas import load_atlas
from geo.core.domain import PINNED
from geo.render.clusters import ProjectMarkers, marker_texts
from geo.render.export import export
from geo.render.labels import POPUP_COLUMNS, project_label, project_popup
from geo.render.map import MapOptions, build_map, selection_group, standalone
from geo.render.style import esc


@pytest.fixture(scope="module")
def data():
    return load_atlas()


def _payload(group) -> dict:
    stack = [group]
    while stack:
        node = stack.pop()
        if isinstance(node, ProjectMarkers):
            return json.loads(node.payload)
        stack += list(node._children.values())
    raise AssertionError("no ProjectMarkers in the group")


def _expected(data, lang: str, options: MapOptions) -> tuple[list[str], list[str]]:
    """Tooltips per point and popups per project, written whole by the labels module (the reference)."""
    sectors = {s["sector"]: s for s in data.sectors}
    projects = data.projects
    located = projects[projects["precision"].isin(PINNED) & projects.geometry.notna()]
    records = located[[c for c in POPUP_COLUMNS if c in located.columns]].to_dict("records")
    tips, pops = [], []
    for p, geom in zip(records, located.geometry, strict=True):
        pops.append(project_popup(p, lang, sectors, options.county_names))
        tips += [esc(project_label(p, lang))] * (len(geom.geoms) if geom.geom_type == "MultiPoint" else 1)
    return tips, pops


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pieces_make_the_labels_tooltips_and_popups(data, lang):
    options = MapOptions(lang=lang)
    payload = _payload(
        selection_group(data.projects, counties_fc=data.county_layer, sectors=data.sectors, options=options)[0]
    )
    tips, pops = _expected(data, lang, options)
    assert len(pops) > 40 and len(tips) == len(payload["lat"])
    texts = marker_texts(payload)
    assert texts["tip"] == tips
    assert texts["pop"] == pops
    assert ("ne" in payload) == (lang == "en")  # English names only travel with an English map


def test_the_pieces_are_far_smaller_than_whole_popups(data):
    """What the change is for: the payload's texts take under half the bytes of whole tooltips and popups."""
    options = MapOptions(lang="zh")
    payload = _payload(
        selection_group(data.projects, counties_fc=data.county_layer, sectors=data.sectors, options=options)[0]
    )
    tips, pops = _expected(data, "zh", options)
    whole = len(json.dumps({"tip": tips, "pop": pops}, ensure_ascii=False).encode())
    keys = ("id", "n", "q", "th", "s", "r")
    pieces = len(json.dumps({k: payload[k] for k in keys}, ensure_ascii=False).encode())
    assert pieces < whole / 2


def test_hostile_names_stay_text_in_the_pieces(data):
    projects = data.projects.copy()
    row = projects.index[projects["precision"].isin(PINNED) & projects.geometry.notna()][0]
    projects.loc[row, "name"] = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    projects.loc[row, "plan_quote"] = "</div><script>alert(2)</script>"
    payload = _payload(
        selection_group(projects, counties_fc=data.county_layer, sectors=data.sectors, options=MapOptions())[0]
    )
    raw = json.dumps(payload, ensure_ascii=False)
    assert "<script>" not in raw and "<img" not in raw
    texts = marker_texts(payload)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in p for p in texts["pop"])
    assert all("<script>" not in p for p in texts["pop"])


#: Every clustered marker's tooltip and popup, as the browser makes them (the popup's content function called as
#: Leaflet calls it when the popup opens).
TEXTS_JS = """() => {
  const m = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k]).find(v => v instanceof L.Map);
  const out = [];
  m.eachLayer(l => {
    if (!(l instanceof L.MarkerClusterGroup)) return;
    l.getLayers().filter(x => x.options.project !== undefined).forEach(x => {
      const c = x.getPopup().getContent();
      out.push([x.getTooltip().getContent(), typeof c === 'function' ? c(x) : c]);
    });
  });
  return out;
}"""
#: Open the first marker's popup as a click would (its cluster spread first) and read what the reader sees.
OPEN_JS = """() => new Promise(done => {
  const m = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k]).find(v => v instanceof L.Map);
  let group = null;
  m.eachLayer(l => { if (l instanceof L.MarkerClusterGroup && l.getLayers()[0].options.project !== undefined) group = l; });
  const first = group.getLayers()[0];
  group.zoomToShowLayer(first, () => { first.openPopup(); done([first.getTooltip().getContent(),
    document.querySelector('.leaflet-popup-content').innerText]); });
})"""


@pytest.mark.browser
@pytest.mark.usefixtures("chromium")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_browser_makes_the_same_tooltips_and_popups(data, tmp_path, lang):
    options = MapOptions(lang=lang)
    fmap, group, _ = build_map(data.projects, counties_fc=data.county_layer, sectors=data.sectors, options=options)
    payload = _payload(group)
    tips, pops = _expected(data, lang, options)
    expected = sorted(zip(tips, [pops[k] for k in payload["k"]], strict=True))
    path = tmp_path / "map.html"
    path.write_text(export(data.projects, "html", fmap=standalone(fmap, group)).decode("utf-8"), encoding="utf-8")
    with browser_page() as page:
        page.goto(path.as_uri())
        page.wait_for_function("() => window.__atlasMarkers > 0", timeout=30_000)
        shown = sorted(tuple(pair) for pair in page.evaluate(TEXTS_JS))
        tooltip, opened = page.evaluate(OPEN_JS)
        assert page.errors == []
    assert shown == expected
    # the opened popup shows the project's name, the row heads and its quote as text
    k = payload["k"][tips.index(tooltip)]
    for piece in [payload["n"][k], *payload["th"], payload["q"][k][:20]]:
        assert html.unescape(piece) in opened

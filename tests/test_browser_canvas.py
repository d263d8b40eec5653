"""The canvas layer of a large selection, in headless Chromium: it draws every point and, when a filter swaps it for
another selection, takes its points back (the canvas gone, the count the tests and the app benchmark read at 0)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
from harness import browser_page

from geo.atlas import load_atlas
from geo.render.export import export
from geo.render.map import MapOptions, build_map, standalone

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]

#: The Folium map (a global ``map_<id>``).
MAP = "Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k]).find(v => v instanceof L.Map)"
#: The canvases in the page and the drawn count the tests and the benchmark read.
STATE_JS = """() => {
  return {canvases: document.querySelectorAll('canvas.atlas-canvas').length,
          drawn: window.__atlasCanvasDrawn || 0};
}"""
SWAP_JS = (
    """(add) => {
  const m = """
    + MAP
    + """;
  if (add) m.addLayer(window.__atlasTestGroup); else m.removeLayer(window.__atlasTestGroup);
}"""
)
#: The selection group: the feature group holding the canvas layer.
MARK_JS = (
    """() => {
  const m = """
    + MAP
    + """;
  let hit = null;
  m.eachLayer(l => { if (l instanceof L.FeatureGroup && !hit && l.getLayers().some(c => c._c)) hit = l; });
  window.__atlasTestGroup = hit;
  return hit ? hit.getLayers().length : 0;
}"""
)


def test_removing_the_canvas_layer_takes_its_points_back(tmp_path):
    data = load_atlas()
    selection = data.projects[data.projects.geometry.notna()]
    fmap, group, drawn = build_map(
        selection, counties_fc=data.county_layer, sectors=data.sectors, options=MapOptions(large_threshold=1)
    )
    assert drawn.get("renderer") == "canvas"
    html = export(selection, "html", fmap=standalone(fmap, group)).decode("utf-8")  # Leaflet inlined
    n_points = int(selection.geometry.geom_type.eq("Point").sum())
    with browser_page() as page:
        path = tmp_path / "map.html"  # a file, not set_content: about:blank denies the map's localStorage
        path.write_text(html, encoding="utf-8")
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_function("() => (window.__atlasCanvasDrawn || 0) > 0")
        before = page.evaluate(STATE_JS)
        assert before["canvases"] == 1
        assert before["drawn"] >= n_points  # every located project (lines at their representative point)
        assert page.evaluate(MARK_JS) >= 1
        page.evaluate(SWAP_JS, False)  # the filter changes: st_folium removes the old selection group
        assert page.evaluate(STATE_JS) == {"canvases": 0, "drawn": 0}
        page.evaluate(SWAP_JS, True)  # and the same selection comes back
        assert page.evaluate(STATE_JS) == before
        assert not page.errors

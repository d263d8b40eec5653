"""Keeps aggregate symbols apart: after each zoom or pan, a county badge that would overlap a project cluster, a
project point, the airport, a visible place name or another badge moves to the nearest free spot around its county point."""

from __future__ import annotations

from branca.element import MacroElement, Template

#: Runs once per map (the selection group that carries it is swapped on every filter change).
SPACING_JS = """
(function() {
  var map = Object.values(window).find(function(v) { return v instanceof L.Map; });
  if (!map || map.__atlasSpacing) { return; }
  map.__atlasSpacing = true;
  var GAP = 3;
  function hits(r, others) {
    return others.some(function(o) {
      return r.left < o.right + GAP && r.right > o.left - GAP && r.top < o.bottom + GAP && r.bottom > o.top - GAP; });
  }
  function moved(r, dx, dy) {
    return {left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy};
  }
  function points(box) {  // the project circles drawn on their own (outside clusters), as client rects
    var out = [];
    map.eachLayer(function(l) {
      if (!(l instanceof L.MarkerClusterGroup) || !l._featureGroup) { return; }
      l._featureGroup.eachLayer(function(x) {
        if (!(x instanceof L.CircleMarker)) { return; }
        var p = map.latLngToContainerPoint(x.getLatLng()), r = x.getRadius() + 2;
        out.push({left: box.left + p.x - r, right: box.left + p.x + r, top: box.top + p.y - r, bottom: box.top + p.y + r});
      });
    });
    return out;
  }
  function space() {
    var c = map.getContainer(), box = c.getBoundingClientRect();
    var fixed = [].slice.call(c.querySelectorAll('.atlas-donut, .atlas-airport')).map(function(e) {
      return e.getBoundingClientRect(); }).concat(points(box));
    // the place names left visible by their own decluttering: a badge does not cover them either
    [].slice.call(c.querySelectorAll('.atlas-name span')).forEach(function(e) {
      if (e.parentElement.style.visibility !== 'hidden') { fixed.push(e.getBoundingClientRect()); } });
    var badges = [].slice.call(c.querySelectorAll('.atlas-badge'));
    badges.forEach(function(b) {  // back to where Leaflet put them
      var icon = b.parentElement;
      if (icon.dataset.ml === undefined) { icon.dataset.ml = icon.style.marginLeft; icon.dataset.mt = icon.style.marginTop; }
      icon.style.marginLeft = icon.dataset.ml; icon.style.marginTop = icon.dataset.mt;
    });
    var placed = [], moves = 0;
    badges.forEach(function(b) {
      var r = b.getBoundingClientRect(), size = r.right - r.left, best = null;
      var tries = [[0, 0]];
      for (var k = 1; k <= 8; k++) {
        var d = k * size / 2;  // rings of growing radius, straight down first (the county's name is above)
        [90, 45, 135, 0, 180, 270, 315, 225].forEach(function(a) {
          tries.push([Math.round(d * Math.cos(a * Math.PI / 180)), Math.round(d * Math.sin(a * Math.PI / 180))]);
        });
      }
      for (var i = 0; i < tries.length && !best; i++) {
        var q = moved(r, tries[i][0], tries[i][1]);
        if (!hits(q, fixed) && !hits(q, placed)) { best = tries[i]; }
      }
      best = best || [0, 0];
      if (best[0] || best[1]) {
        var icon = b.parentElement;
        icon.style.marginLeft = (parseFloat(icon.dataset.ml) || 0) + best[0] + 'px';
        icon.style.marginTop = (parseFloat(icon.dataset.mt) || 0) + best[1] + 'px';
        moves += 1;
      }
      placed.push(moved(r, best[0], best[1]));
    });
    window.__atlasSpaced = (window.__atlasSpaced || 0) + 1;
    window.__atlasBadgesMoved = moves;
    map.fire('atlas:spaced', {moved: moves});  // for layers that place themselves around the symbols
  }
  var pending = null;
  function later() { clearTimeout(pending); pending = setTimeout(space, 400); }
  map.on('zoomend moveend resize layeradd', later);
  map.__atlasSpace = space;
  later();
})();
"""


class AggregateSpacing(MacroElement):
    """Moves county badges off project clusters, project points, the airport and each other (see ``SPACING_JS``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.js }}
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "AggregateSpacing"
        self.js = SPACING_JS

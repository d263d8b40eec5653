"""The map frame's signals to its page: the map has drawn, and the panels below it have come into view.

A page load draws the map first (``ui/progressive.py``): the sidebar's filters wait in a placeholder until the
map has drawn its selection, the panels below the map (statistics, table, exports…) until their placeholder comes
into view (the map fills the window, so they are drawn when the person scrolls to them). The map frame tells the
page through the component channel it already has (Streamlit's ``setComponentValue`` message from the st_folium
frame): the value is ``{"drawn": true}``, then
``{"drawn": true, "below": true}``; each makes the app rerun once. A placeholder that is not on the page (already
replaced, presentation mode, a standalone HTML file) is never signalled, so the signals cost nothing after the
first draw.
"""

from __future__ import annotations

import json

from branca.element import MacroElement, Template

#: The CSS classes Streamlit gives the keyed containers of the placeholders (``st.container(key=…)`` →
#: ``st-key-<key>``): the filters' placeholder in the sidebar, the panels' placeholder below the map.
FILTERS_KEY = "atlas_filters_later"
PANELS_KEY = "atlas_panels_later"


class PageSignals(MacroElement):
    """Added to the selection group: runs after the selection is drawn, acts once per frame document."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var page;
          try { page = window.parent; if (page === window || !page.document) { return; } } catch (e) { return; }
          if (window.__atlasSignals) { return; }
          window.__atlasSignals = true;
          var sent = {};
          function post(what) {
            sent[what] = true;
            page.postMessage({isStreamlitMessage: true, type: 'streamlit:setComponentValue',
                              value: sent, dataType: 'json'}, '*');
          }
          function placeholder(key) { return page.document.querySelector('.st-key-' + key); }
          // after the frame has painted what it drew
          requestAnimationFrame(function() { setTimeout(function() {
            if (placeholder({{ this.filters }})) { post('drawn'); }
            var below = placeholder({{ this.panels }});
            if (!below) { return; }
            if (!page.IntersectionObserver) { post('below'); return; }
            var seen = new page.IntersectionObserver(function(entries) {
              if (!entries.some(function(e) { return e.isIntersecting; })) { return; }
              seen.disconnect();
              post('below');
            });
            seen.observe(below);
          }, 0); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PageSignals"
        self.filters = json.dumps(FILTERS_KEY)
        self.panels = json.dumps(PANELS_KEY)

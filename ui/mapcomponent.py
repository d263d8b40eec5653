"""st_folium with the base map rendered once per (data, options): each run renders only the selection group.

``st_folium`` renders the whole Folium map (a Jinja template per element) on every script run, although the base map
(boundaries, boards, layout, transport, legend) changes only with the language, basemap and layer set. Here the
component arguments of the base map are computed once per (data version, options) and cached; each run adds the
selection group's script, exactly as ``st_folium`` does (``tests/test_speed.py`` checks that the arguments are the
same as ``st_folium``'s). It uses the helpers of the pinned streamlit-folium (requirements.txt).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import Any

import folium
import streamlit as st
import streamlit_folium as sf

from geo.render.map import MapOptions

DEFAULTS = (
    "last_clicked",
    "last_object_clicked",
    "last_object_clicked_count",
    "last_object_clicked_tooltip",
    "last_object_clicked_popup",
    "all_drawings",
    "last_active_drawing",
    "bounds",
    "zoom",
    "last_circle_radius",
    "last_circle_polygon",
    "selected_layers",
    "selected_tags",
    "last_geocoder_result",
)


def options_key(options: MapOptions) -> tuple:
    """Every option the base map may depend on (layers as a sorted tuple; the popups' county names left out)."""
    out = []
    for f in fields(options):
        if f.name == "county_names":
            continue
        value = getattr(options, f.name)
        out.append((f.name, tuple(sorted(value)) if isinstance(value, set) else value))
    return tuple(out)


def _links(element: Any) -> tuple[list[str], list[str]]:
    """The CSS and JS links of ``element`` and its descendants, in st_folium's order."""
    css: list[str] = []
    js: list[str] = []
    stack = [element]
    while stack:  # depth-first, children in order (as st_folium's walk)
        node = stack.pop()
        if isinstance(node, folium.elements.JSCSSMixin):
            css += [href for _, href in getattr(node, "default_css", [])]
            js += [src for _, src in getattr(node, "default_js", [])]
        stack.extend(reversed(list(getattr(node, "_children", {}).values())))
    return css, js


def base_args(fmap: folium.Map) -> dict[str, Any]:
    """The component arguments st_folium derives from the map itself (before the selection group is added)."""
    fmap.get_root().render()
    fmap.render()
    html = sf._get_html(fmap)
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    css, js = _links(fmap)
    try:
        (s, w), (n, e) = fmap.get_bounds()
        bounds = {"_southWest": {"lat": s, "lng": w}, "_northEast": {"lat": n, "lng": e}}
    except (AttributeError, TypeError, ValueError):
        bounds = {"_southWest": {"lat": None, "lng": None}, "_northEast": {"lat": None, "lng": None}}
    return {
        "script": script,
        "header": header,
        "html": html,
        "id": sf.get_full_id(fmap),
        "css_links": css,
        "js_links": js,
        "bounds": bounds,
        "zoom": fmap.options.get("zoom"),
    }


@st.cache_resource(show_spinner=False, max_entries=48)
def cached_base_args(data_key: Any, key: tuple, _build: Callable[[], folium.Map]) -> dict[str, Any]:
    """``base_args`` of the base map, once per data version and options (shared by every session; read-only)."""
    return base_args(_build())


@st.cache_resource(show_spinner=False, max_entries=16)  # at 100k points one entry is megabytes of script
def cached_group_args(data_key: Any, key: tuple, _build: Callable[[], tuple[folium.FeatureGroup, dict]]):
    """``group_args`` of the selection group and what was drawn, once per data version, selection and options
    (shared by every session; read-only): a page load or a return to a view already seen renders nothing."""
    group, drawn = _build()
    return group_args(group), drawn


def group_args(group: folium.FeatureGroup) -> tuple[str, list[str], list[str]]:
    """The selection group's script (as st_folium writes it, the map variable named ``map_div``) and its links."""
    holder = folium.Map(tiles=None)  # the group needs a parent map; its name is replaced by map_div
    script = sf._get_feature_group_string(group, map=holder)
    css, js = _links(group)
    return script, css, js


def folium_component(
    base: dict[str, Any],
    group: folium.FeatureGroup | tuple[str, list[str], list[str]],
    *,
    key: str,
    height: int,
    returned_objects: Iterable[str],
    center=None,
    zoom=None,
) -> Any:
    """What ``st_folium(map, key=…, use_container_width=True, feature_group_to_add=group, …)`` shows and returns
    (``group``: the selection group, or its ``group_args`` already rendered)."""
    returned = list(returned_objects)
    fg_script, fg_css, fg_js = group if isinstance(group, tuple) else group_args(group)
    defaults = {k: base.get(k) for k in DEFAULTS if k in returned}
    hash_key = sf.generate_js_hash(base["script"], key, False)

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=base["script"],
        header=base["header"],
        html=base["html"],
        id=base["id"],
        key=hash_key,
        height=height,
        width=None,
        returned_objects=returned,
        default=defaults,
        zoom=zoom,
        center=center,
        feature_group=fg_script,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(dict.fromkeys(base["css_links"] + fg_css)),
        js_links=list(dict.fromkeys(base["js_links"] + fg_js)),
        on_change=on_change,
        wrap_longitude=False,
    )

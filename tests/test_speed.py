"""The app's caches: what each is keyed by, that a filter change recomputes and a language switch or tab does not,
and that the cached map component sends the browser what st_folium would."""

from __future__ import annotations

import re
import uuid
from dataclasses import fields

import pytest
import streamlit_folium as sf
from apptest_helpers import open_tab, selected_count, start, switch_language, view, widget

import ui.selection
from geo.analysis.viewstate import ViewState
from geo.atlas import load_atlas
from geo.render.map import MapOptions
from ui import mapcomponent
from ui.map import map_layers

#: View fields that do not change which projects are selected (a new field must be put here or in FILTER_FIELDS).
#: ``plan`` picks another atlas: it changes the data version, which is part of every key.
NOT_SELECTION = {
    "lang",
    "basemap",
    "project",
    "mode",
    "step",
    "choropleth",
    "layers",
    "extent",
    "tab",
    "counting",
    "plan",
}


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("ATLAS_OFFLINE", "1")


@pytest.fixture(scope="module")
def data():
    return load_atlas()


def test_every_view_field_is_either_a_filter_or_declared_not_to_select():
    names = {f.name for f in fields(ViewState)}
    assert set(ui.selection.FILTER_FIELDS) | NOT_SELECTION == names
    assert not set(ui.selection.FILTER_FIELDS) & NOT_SELECTION


@pytest.mark.parametrize(
    "change",
    [
        {"sectors": ("tourism_culture",)},
        {"boxes": (5,)},
        {"boards": ("south",)},
        {"counties": ("220281",)},
        {"precisions": (3,)},
        {"q": "雾凇"},
        {"near": "rail"},
        {"near_km": 25.0},
    ],
)
def test_a_changed_filter_changes_the_selection_key(monkeypatch, change):
    monkeypatch.setattr(ui.selection, "data_version", lambda: ("root", "v1"))
    base = ViewState(near="rail") if "near_km" in change else ViewState()
    assert ui.selection.selection_key(base) != ui.selection.selection_key(base.with_(**change))


@pytest.mark.parametrize(
    "change",
    [
        {"lang": "en"},
        {"basemap": "osm"},
        {"project": "B05-05"},
        {"tab": "table"},
        {"layers": ("counties",)},
        {"extent": (43.8, 126.5, 10.0)},
        {"choropleth": True},
        {"counting": "primary"},
    ],
)
def test_language_tab_layers_and_extent_keep_the_selection_key(monkeypatch, change):
    monkeypatch.setattr(ui.selection, "data_version", lambda: ("root", "v1"))
    assert ui.selection.selection_key(ViewState()) == ui.selection.selection_key(ViewState().with_(**change))


def test_new_data_or_new_corrections_change_the_selection_key(monkeypatch):
    monkeypatch.setattr(ui.selection, "data_version", lambda: ("root", "v1"))
    before = ui.selection.selection_key(ViewState())
    assert ui.selection.selection_key(ViewState(), token="edits-1") != before
    monkeypatch.setattr(ui.selection, "data_version", lambda: ("root", "v2"))
    assert ui.selection.selection_key(ViewState()) != before


def test_the_base_map_key_ignores_layer_order_but_not_language_or_layers():
    key = mapcomponent.options_key
    assert key(MapOptions(layers={"counties", "boards"})) == key(MapOptions(layers={"boards", "counties"}))
    assert key(MapOptions(lang="zh")) != key(MapOptions(lang="en"))
    assert key(MapOptions(layers={"counties"})) != key(MapOptions(layers={"counties", "boards"}))
    assert key(MapOptions(basemap="none")) != key(MapOptions(basemap="osm"))


def test_a_language_switch_or_tab_reuses_the_selection_and_a_filter_change_computes_it(monkeypatch):
    calls = []
    real = ui.selection.apply_filters
    monkeypatch.setattr(ui.selection, "apply_filters", lambda projects, v: calls.append(v) or real(projects, v))
    at = start()
    calls.clear()  # the first run selected every project (unless an earlier test had cached that)
    token = f"zz{uuid.uuid4().hex}"  # a filter no earlier run in this process can have cached
    widget(at, "q").set_value(token).run()
    assert not at.exception
    assert len(calls) == 1 and calls[-1].q == token
    assert selected_count(at) == 0
    switch_language(at, "en")
    open_tab(at, "table")
    assert not at.exception and view(at).q == token and view(at).lang == "en"
    assert len(calls) == 1  # neither the language nor the tab selects anew
    assert selected_count(at) == 0
    widget(at, "q").set_value("").run()  # back to every project: a different selection, right numbers
    assert selected_count(at) == len(load_atlas().projects)


def _captured(monkeypatch, call) -> dict:
    got: dict = {}
    monkeypatch.setattr(sf, "_component_func", lambda **kw: got.update(kw))
    call()
    got.pop("on_change")
    return {k: re.sub(r"[0-9a-f]{32}", "ID", str(v)) for k, v in got.items()}  # folium's random element ids


@pytest.mark.parametrize("lang,n", [("zh", None), ("en", 40)])
def test_the_cached_map_component_sends_what_st_folium_sends(monkeypatch, data, lang, n):
    selection = data.projects if n is None else data.projects.iloc[:n]
    options = dict(
        lang=lang, layers={"counties", "boards", "layout", "towns", "transport", "projects", "county_counts"}
    )

    def build():
        return map_layers(data, selection, MapOptions(**options))

    returned = ["last_object_clicked_tooltip"]
    fmap, group, _ = build()
    expected = _captured(
        monkeypatch,
        lambda: sf.st_folium(
            fmap, key="m", height=500, use_container_width=True, returned_objects=returned, feature_group_to_add=group
        ),
    )
    fmap, group, _ = build()
    got = _captured(
        monkeypatch,
        lambda: mapcomponent.folium_component(
            mapcomponent.base_args(fmap), group, key="m", height=500, returned_objects=returned
        ),
    )
    assert got == expected
    assert "feature_group_feature_group_0" in got["feature_group"] and len(got["script"]) > 10_000

"""Driving the app with AppTest as a person does: widgets by view field, tabs, table picks, what is on screen."""

from __future__ import annotations

import json
import os
import re

from conftest import ROOT
from streamlit.testing.v1 import AppTest

from geo.analysis.viewstate import ViewState
from geo.render.clusters import marker_texts
from ui.progressive import FILTERS, MAP_KEY

WIDGET_TYPES = ("multiselect", "selectbox", "radio", "text_input", "toggle", "segmented_control", "number_input")


def start(query: dict | None = None, *, drawn: bool = True, scrolled: bool = True, **env: str) -> AppTest:
    """A fresh session (a new browser tab) opened on ``query``, as a browser shows it once the map has ``drawn``
    and the person has ``scrolled`` to the panels below it: AppTest has no browser, so the map frame's signals
    (``geo/render/signals.py``) are sent here, as the frame sends them. ``drawn=False``: the first run alone."""
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        if not drawn or at.exception or "view" not in at.session_state or view(at).mode == "present":
            return at  # the first run; an error page; presentation mode (no map-first page load to finish)
        map_signals(at, drawn=True)
        return map_signals(at, drawn=True, below=True) if scrolled else at
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def map_signals(at: AppTest, **signals: bool) -> AppTest:
    """What the map frame tells the page (``drawn``: it has drawn; ``below``: the panels' placeholder is in view):
    the component value its on_change copies into the session, then the rerun it causes."""
    at.session_state[MAP_KEY] = dict(signals)
    return at.run()


def widget(at: AppTest, field: str):
    """The widget that shows view field ``field`` (its key carries the language: ``w.<field>.<lang>``)."""
    for kind in WIDGET_TYPES:
        for element in getattr(at, kind):
            if element.key and element.key.startswith(f"w.{field}."):
                return element
    raise AssertionError(f"no widget for view field {field!r}")


def view(at: AppTest) -> ViewState:
    return at.session_state["view"]


def switch_language(at: AppTest, lang: str, drawn: bool = True) -> AppTest:
    """The language switch; then, as the new language's map frame does once it has drawn, its signal (which brings
    the filters back: ui/progressive.py). ``drawn=False``: the switch's run alone."""
    at.radio(key="w.lang").set_value(lang).run()
    shown = FILTERS in at.session_state and at.session_state[FILTERS]
    if drawn and not shown and at.session_state["view"].mode == "atlas":
        map_signals(at, drawn=True)
    return at


def open_tab(at: AppTest, tab: str) -> AppTest:
    return widget(at, "tab").set_value(tab).run()


def pick_row(at: AppTest, row: int, key: str = "tbl_projects") -> AppTest:
    """Pick row ``row`` of a table as the browser reports it (the selection state of the keyed dataframe)."""
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


def selected_count(at: AppTest) -> int:
    """The first metric: 'N / total' projects selected."""
    return int(at.metric[0].value.split("/")[0])


def map_script(at: AppTest, key: str = "atlas_map") -> str:
    """The Leaflet JS of the map component: the base map and the selection group st_folium adds to it."""
    for component in at.get("component_instance"):
        args = json.loads(component.proto.json_args)
        if "script" in args:
            return args["script"] + "\n" + (args.get("feature_group") or "")
    raise AssertionError("no map component on the page")


def marker_payload(at: AppTest) -> dict:
    """The project-marker payload, with the tooltips (``tip``, per point) and popups (``pop``) the browser makes."""
    match = re.search(r"var d = (\{.*?\});\n", map_script(at))
    if not match:
        return {"lat": [], "tip": [], "pop": []}
    payload = json.loads(match.group(1))
    return payload | marker_texts(payload)


def shown_text(at: AppTest) -> list[tuple[str, str]]:
    """Every piece of text on screen as (where, text): headings, metrics, notices, tables, labels and options."""
    out: list[tuple[str, str]] = []
    for kind in ("title", "header", "subheader", "caption", "info", "warning", "error", "success"):
        out += [(kind, e.value) for e in getattr(at, kind)]
    out += [("markdown", e.value) for e in at.markdown if not e.value.lstrip().startswith("<style")]
    out += [("text", e.value) for e in at.text]
    for m in at.metric:
        out += [("metric label", m.label), ("metric", str(m.value))]
    for table in [*at.table, *at.dataframe]:
        frame = table.value
        out += [("column", str(c)) for c in frame.columns]
        if frame.index.dtype == object:  # labelled rows (the details table)
            out += [("row label", str(i)) for i in frame.index]
        for col in frame.columns:
            out += [("cell", str(v)) for v in frame[col].tolist()]
    for kind in WIDGET_TYPES:
        for element in getattr(at, kind):
            out.append(("widget label", element.label))
            out += [("option", str(o)) for o in getattr(element, "options", []) or []]
    return out

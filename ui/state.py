"""The one place where widgets, the URL and the session meet: a ViewState in st.session_state, codes only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from geo.analysis.viewstate import ViewState, Vocabulary, parse_query, to_query
from geo.plans import plan_choices

VIEW = "view"
NOTICES = "_url_notices"


def vocabulary(data: Any) -> Vocabulary:
    """The codes a URL may name, from the loaded atlas."""
    return Vocabulary(
        sectors=frozenset(s["sector"] for s in data.sectors),
        boxes=frozenset(int(b["box"]) for b in data.boxes if b.get("kind") == "project"),
        counties=frozenset(data.counties["adcode"]),
        projects=frozenset(data.projects["id"]),
        features=frozenset(data.transport_frame["id"]),
        plans=frozenset(k for k in plan_choices() if k),
    )


def init_view(data: Any) -> list[str]:
    """On a session's first run: the view from the URL; returns the notices for parameters that were dropped."""
    if VIEW not in st.session_state:
        state, notices = parse_query(st.query_params.to_dict(), vocabulary(data))
        st.session_state[VIEW] = state
        st.session_state[NOTICES] = notices
        return notices
    return []


def view() -> ViewState:
    return st.session_state.get(VIEW) or ViewState()


def widget_key(name: str, lang: str) -> str:
    """Widget keys carry the language: a switch creates fresh widgets seeded from the view, never stale labels."""
    return f"w.{name}.{lang}"


PENDING = "_pending_widgets"


def drop_widgets() -> None:
    """Forget every widget's value (on a language switch: the new language's widgets seed from the view)."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("w.") and k != "w.lang"]:
        del st.session_state[key]


def update(**changes: Any) -> ViewState:
    """Change the view from code (a callback, a map click, a button).

    The changed fields' widgets take the new value the next time they are drawn, even when the browser still
    sends their old one (it does after an ``st.rerun()``): a value set before a widget is drawn wins.
    """
    new = view().with_(**changes)
    st.session_state[VIEW] = new
    st.session_state[PENDING] = set(st.session_state.get(PENDING, set())) | set(changes)
    return new


def bind(name: str, lang: str, to_widget: Callable[[Any], Any] = lambda v: v, from_widget=lambda v: v) -> dict:
    """Keyword arguments for a widget that shows view field ``name``: its key, seeded value and on_change."""
    key = widget_key(name, lang)
    pending = st.session_state.get(PENDING, set())
    if key not in st.session_state or name in pending:
        st.session_state[key] = to_widget(getattr(view(), name))
        pending.discard(name)

    def changed() -> None:
        if key not in st.session_state:  # dropped by a language switch in the same rerun: nothing to take
            return
        value = from_widget(st.session_state[key])
        st.session_state[VIEW] = view().with_(**{name: value})

    return {"key": key, "on_change": changed}


def push_url() -> None:
    """Write the view into the URL (only when it changed, so a rerun does not rewrite history)."""
    query = to_query(view())
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def new_pick(key: str, value: object) -> bool:
    """Whether ``value`` picked in table/chart ``key`` is new (each pick acts once, however often it is re-sent)."""
    handled = st.session_state.setdefault("_picks", {})
    if value is None:  # deselected: the next pick of the same row counts again
        handled.pop(key, None)
        return False
    if handled.get(key) == value:
        return False
    handled[key] = value
    return True

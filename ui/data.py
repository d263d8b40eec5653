"""The app's data: the atlas loaded once, the curation store, and the curated projects every panel uses."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import geopandas as gpd
import streamlit as st

from geo.atlas import Atlas, atlas_fingerprint, load_atlas
from geo.core.config import current
from geo.core.errors import AtlasError
from geo.curation.auth import EditorGate, configured_token
from geo.curation.service import overlay
from geo.curation.store import CurationStore, default_sqlite_path, open_store
from geo.places.boards import BoardAssigner, load_rules
from geo.places.gazetteer import load_gazetteer
from geo.plans import plan_choices
from ui import heap

#: What a corrupt, unreachable or unwritable curation database raises (the app turns each into a notice).
STORE_FAULTS = (AtlasError, OSError, sqlite3.Error, ValueError)
VERSION = "_atlas_version"


@st.cache_resource(show_spinner=False, max_entries=2)  # the current files and the version before a replacement
def _atlas(root: str | None, fingerprint: tuple) -> Atlas:
    with heap.loading():
        data = load_atlas(Path(root) if root else None)
    heap.settle()  # long-lived from here: out of the collection Streamlit runs after every script run
    return data


def data_root() -> str:
    """The root of the plan this session looks at: its view's plan, else the URL's ``plan``, else the default."""
    choices = plan_choices()
    view = st.session_state.get("view")
    wanted = view.plan if view is not None else str(st.query_params.get("plan") or "")
    return str((choices.get(wanted) or choices[""]).root)


def atlas() -> Atlas:
    """The bundled data, loaded once per version of its files (ATLAS_DATA_ROOT points the app at another copy).

    The cache key holds every file's mtime and size (a ``stat`` of each per run): a file replaced while the app runs
    is reloaded, and a broken replacement gives its named error (an error is not cached, so fixing the file heals).
    """
    root = data_root()
    fingerprint = atlas_fingerprint(Path(root))
    st.session_state[VERSION] = version_of(root, fingerprint)
    return _atlas(root, fingerprint)


def version_of(root: str, fingerprint: tuple) -> tuple[str, str]:
    """(root, digest of the fingerprint): the data part of every derived cache's key."""
    return root, hashlib.sha256(repr(fingerprint).encode()).hexdigest()


def atlas_at(root: str) -> tuple[Atlas, tuple[str, str]]:
    """The atlas of ``root`` from ``atlas()``'s cache and its version, without a session (the server's warm-up)."""
    fingerprint = atlas_fingerprint(Path(root))
    return _atlas(root, fingerprint), version_of(root, fingerprint)


def data_version() -> tuple[str, str]:
    """(root, digest of the fingerprint) of the atlas the current run loaded: the data part of every derived
    cache's key (a digest: cheap for the caches to hash)."""
    version = st.session_state.get(VERSION)
    if version is None or version[0] != data_root():
        atlas()
        version = st.session_state[VERSION]
    return version


def secrets() -> dict | None:
    """st.secrets as a dict, or None when the app has no secrets file."""
    try:
        return dict(st.secrets)
    except Exception:  # no secrets.toml: Streamlit raises on access
        return None


@st.cache_resource(show_spinner=False)
def _gate(token_hash: str) -> EditorGate:
    return EditorGate(configured_token(secrets()))


def editor_gate() -> EditorGate:
    """One gate per configured token, shared by every session of this server."""
    return _gate(hashlib.sha256((configured_token(secrets()) or "").encode()).hexdigest())


@st.cache_resource(show_spinner=False)
def _store(url: str) -> CurationStore:
    return open_store(url)


def curation_store(create: bool = False) -> CurationStore | None:
    """The curation database: PostgreSQL if ATLAS_DB_URL/secrets say so, else the SQLite file (made on first edit).

    A store that cannot be opened is None, and ``store_notice()`` says why: the app stays up, read-only.
    """
    url = current().db_url or (secrets() or {}).get("db_url")
    try:
        if not url and not create and not default_sqlite_path().exists():
            return None
        return _store(url or str(default_sqlite_path()))
    except STORE_FAULTS as exc:
        _unavailable(exc)
        return None


def _unavailable(exc: Exception) -> None:
    """Remember why the store cannot be used; the app shows it once per run and stays read-only."""
    reason = exc.one_line() if isinstance(exc, AtlasError) else f"{type(exc).__name__}: {exc}"
    st.session_state["_store_notice"] = " ".join(reason.split())[:300]
    st.session_state["editor_ok"] = False


def store_notice() -> str | None:
    return st.session_state.get("_store_notice")


def board_assigner():
    """The board rule table, to re-assign the boards of a curated location (of the plan this session looks at)."""
    return _board_assigner(data_root())


@st.cache_resource(show_spinner=False)
def _board_assigner(root: str):
    data = Path(root) / "data"
    gazetteer = load_gazetteer(data / "gazetteer", data / "counties.csv")
    return BoardAssigner(gazetteer, load_rules(gazetteer, data / "board_rules.csv"))


def curated(data: Atlas) -> tuple[gpd.GeoDataFrame, str]:
    """The projects with the database's current corrections applied (live, without a rebuild), and a token of those
    corrections (``""`` for none) that keys every cache derived from them."""
    store = curation_store()
    if store is None:
        return data.projects, ""
    try:
        edits = store.current()
    except STORE_FAULTS as exc:
        _unavailable(exc)
        return data.projects, ""
    if not edits:
        return data.projects, ""
    token = hashlib.sha256(repr(sorted(edits.items())).encode()).hexdigest()
    return _overlaid(data_version(), token, data, edits), token


@st.cache_resource(show_spinner=False, max_entries=4)
def _overlaid(version: tuple, token: str, _data: Atlas, _edits: dict) -> gpd.GeoDataFrame:
    names = dict(zip(_data.counties["adcode"], _data.counties["name"], strict=True))
    assigner = board_assigner()
    return overlay(_data.projects, _edits, names, lambda adcode: assigner.assign([assigner.gaz.places[adcode]]))


def curated_projects(data: Atlas) -> gpd.GeoDataFrame:
    """The projects with the database's current corrections applied (live, without a rebuild)."""
    return curated(data)[0]


def project_row(projects: gpd.GeoDataFrame, project_id: str | None) -> dict[str, Any] | None:
    if not project_id:
        return None
    rows = projects[projects["id"] == project_id]
    return None if rows.empty else rows.iloc[0].to_dict()

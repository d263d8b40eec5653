"""The view state: filters, language, basemap, mode — parsed from and written to URL query parameters (pure, no UI)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from geo.core.domain import BASEMAP_NAMES, BOARD_CODES, LANGS, Precision

MODES = ("atlas", "present")
MAX_QUERY = 100
PRECISION_CODES = tuple(str(p.value) for p in Precision)
PARAMS = ("lang", "sector", "box", "board", "county", "precision", "q", "basemap", "p", "mode", "step", "choro")


@dataclass
class ViewState:
    """Everything a shared link reproduces."""

    lang: str = "zh"
    sectors: list[str] = field(default_factory=list)
    boxes: list[int] = field(default_factory=list)
    boards: list[str] = field(default_factory=list)  # board codes, or "none"
    counties: list[str] = field(default_factory=list)  # adcodes
    precisions: list[int] = field(default_factory=list)
    q: str = ""
    basemap: str | None = None  # None = automatic (tiles if reachable, else offline)
    project: str | None = None
    mode: str = "atlas"
    step: int = 0
    choropleth: bool = False


def _values(raw: str | list[str] | None) -> list[str]:
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for item in items:
        out += [x.strip() for x in str(item).split(",") if x.strip()]
    return out[:200]


def parse_query(  # noqa: C901 - one independent check per URL parameter; a table-driven rewrite is the next step
    params: Mapping[str, str | list[str]],
    *,
    sectors: set[str],
    boxes: set[int],
    counties: set[str],
    projects: set[str],
) -> tuple[ViewState, list[str]]:
    """A ViewState from URL parameters; every unknown or malformed parameter is dropped with a notice."""
    state = ViewState()
    notices: list[str] = []

    def bad(name: str, value: object) -> None:
        shown = str(value)
        notices.append(f"{name}={shown[:40]}{'…' if len(shown) > 40 else ''}")

    for name in params:
        if name not in PARAMS:
            bad(name, params[name])
    get = params.get
    lang = _values(get("lang"))
    if lang:
        if lang[0] in LANGS:
            state.lang = lang[0]
        else:
            bad("lang", lang[0])
    for value in _values(get("sector")):
        (state.sectors.append(value) if value in sectors and value not in state.sectors else bad("sector", value))
    for value in _values(get("box")):
        if re.fullmatch(r"\d{1,2}", value) and int(value) in boxes and int(value) not in state.boxes:
            state.boxes.append(int(value))
        else:
            bad("box", value)
    for value in _values(get("board")):
        (
            state.boards.append(value)
            if value in (*BOARD_CODES, "none") and value not in state.boards
            else bad("board", value)
        )
    for value in _values(get("county")):
        (state.counties.append(value) if value in counties and value not in state.counties else bad("county", value))
    for value in _values(get("precision")):
        if value in PRECISION_CODES and int(value) not in state.precisions:
            state.precisions.append(int(value))
        else:
            bad("precision", value)
    q = get("q")
    if q:
        text = q[0] if isinstance(q, list) else q
        if len(text) > MAX_QUERY or any(ord(ch) < 32 for ch in text):
            bad("q", text)
        else:
            state.q = text.strip()
    for key, attr, allowed in (
        ("basemap", "basemap", BASEMAP_NAMES),
        ("p", "project", projects),
        ("mode", "mode", MODES),
    ):
        value = _values(get(key))
        if value and value[0] in allowed:
            setattr(state, attr, value[0])
        elif value:
            bad(key, value[0])
    step = _values(get("step"))
    if step:
        if re.fullmatch(r"\d{1,2}", step[0]):
            state.step = int(step[0])
        else:
            bad("step", step[0])
    choro = _values(get("choro"))
    if choro:
        if choro[0] in ("0", "1"):
            state.choropleth = choro[0] == "1"
        else:
            bad("choro", choro[0])
    return state, notices


def to_query(state: ViewState) -> dict[str, str]:
    """URL parameters for a state (defaults omitted, so the default view has a clean URL)."""
    out: dict[str, str] = {}
    if state.lang != "zh":
        out["lang"] = state.lang
    for key, values in (
        ("sector", state.sectors),
        ("box", state.boxes),
        ("board", state.boards),
        ("county", state.counties),
        ("precision", state.precisions),
    ):
        if values:
            out[key] = ",".join(str(v) for v in values)
    if state.q:
        out["q"] = state.q
    if state.basemap:
        out["basemap"] = state.basemap
    if state.project:
        out["p"] = state.project
    if state.mode != "atlas":
        out["mode"] = state.mode
        out["step"] = str(state.step)
    if state.choropleth:
        out["choro"] = "1"
    return out


def field_names() -> list[str]:
    return [f.name for f in fields(ViewState)]

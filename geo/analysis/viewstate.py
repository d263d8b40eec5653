"""The view a person sees: filters, layers, extent, tab, project, proximity query — one object, URL round-trip."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from geo.core.domain import BASEMAP_NAMES, BOARD_CODES, LANGS, LAYER_NAMES, Precision

MODES = ("atlas", "present")
DEFAULT_LAYERS = ("counties", "boards", "transport", "projects", "county_counts")
TABS = ("stats", "table", "unmapped", "indicators", "export", "about")
COUNTINGS = ("overlapping", "primary")
#: Proximity query modes: every feature of a transport mode, or every drawn transport feature.
NEAR_MODES = ("transport", "rail", "highway", "airport")
DEFAULT_KM = 10.0
MAX_KM = 200.0
MAX_QUERY = 100
#: URL parameters: the first twelve are the ones links shared before this version use; keep them working.
PARAMS = (
    "lang",
    "sector",
    "box",
    "board",
    "county",
    "precision",
    "q",
    "basemap",
    "p",
    "mode",
    "step",
    "choro",
    "layers",
    "at",
    "tab",
    "near",
    "km",
    "count",
    "plan",
)
SECRET_PARAMS = ("token", "key", "password", "secret", "tianditu_key", "editor_token")


@dataclass(frozen=True)
class ViewState:
    """Everything a person can change and a shared link reproduces (codes only, never display labels)."""

    lang: str = "zh"
    sectors: tuple[str, ...] = ()
    boxes: tuple[int, ...] = ()
    boards: tuple[str, ...] = ()  # board codes, or "none"
    counties: tuple[str, ...] = ()  # adcodes
    precisions: tuple[int, ...] = ()
    q: str = ""
    basemap: str | None = None  # None = automatic (tiles if reachable, else offline)
    project: str | None = None
    mode: str = "atlas"
    step: int = 0
    choropleth: bool = False
    layers: tuple[str, ...] = DEFAULT_LAYERS
    extent: tuple[float, float, float] | None = None  # (lat, lon, zoom) of the map; None = the default view
    tab: str = "stats"
    near: str | None = None  # a NEAR_MODES value or one transport feature id; None = no proximity query
    near_km: float = DEFAULT_KM
    counting: str = "overlapping"
    plan: str = ""  # a built plan's id (geo.plans); "" = the atlas the app was started on

    def with_(self, **changes: object) -> ViewState:
        """A copy with some fields changed (list values become tuples)."""
        clean = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        return replace(self, **clean)

    @property
    def filtered(self) -> bool:
        """Whether any project filter is set."""
        return bool(self.sectors or self.boxes or self.boards or self.counties or self.precisions or self.q)


@dataclass(frozen=True)
class Vocabulary:
    """The codes a URL may name (from the loaded data)."""

    sectors: frozenset[str]
    boxes: frozenset[int]
    counties: frozenset[str]
    projects: frozenset[str]
    features: frozenset[str] = field(default_factory=frozenset)  # transport feature ids for ``near``
    plans: frozenset[str] = field(default_factory=frozenset)  # ids of the other built plans (``plan``)


def _values(raw: str | list[str] | None) -> list[str]:
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for item in items:
        out += [x.strip() for x in str(item).split(",") if x.strip()]
    return out[:200]


def _float(text: str) -> float | None:
    if not re.fullmatch(r"-?\d{1,3}(\.\d{1,8})?", text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def shown_param(name: str, value: object) -> str:
    """A rejected parameter as it may be shown back to the user: secrets masked, length capped."""
    if name.lower() in SECRET_PARAMS:
        return f"{name[:20]}=…"
    text = str(value)
    return f"{name[:20]}={text[:40]}{'…' if len(text) > 40 else ''}"


def _small_int(text: str) -> int:
    if not re.fullmatch(r"\d{1,2}", text):
        raise ValueError(text)
    return int(text)


def _extent(values: list[str]) -> tuple[float, float, float] | None:
    numbers = [_float(x) for x in values[:3]]
    if len(values) != 3 or None in numbers or not (-90 <= numbers[0] <= 90 and -180 <= numbers[1] <= 180):
        return None
    return (round(numbers[0], 5), round(numbers[1], 5), round(min(max(numbers[2], 3.0), 18.0), 2))


def _km(values: list[str]) -> float | None:
    value = _float(values[0])
    return value if value is not None and 0 < value <= MAX_KM else None


def _text(values: str | list[str]) -> str | None:
    text = values[0] if isinstance(values, list) else values
    if len(text) > MAX_QUERY or any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in text):
        return None
    return text.strip()


class _Parser:
    """URL parameters read one by one; what cannot be used becomes a notice."""

    def __init__(self, params: Mapping[str, str | list[str]]) -> None:
        self.params = params
        self.notices = [shown_param(name, params[name]) for name in params if name not in PARAMS]
        self.out: dict[str, object] = {}

    def members(self, key: str, attr: str, allowed, convert=str) -> None:
        kept: list = []
        for value in _values(self.params.get(key)):
            try:
                code = convert(value)
            except ValueError:
                code = None
            if code is not None and code in allowed and code not in kept:
                kept.append(code)
            else:
                self.notices.append(shown_param(key, value))
        if key in self.params:
            self.out[attr] = tuple(kept)

    def one(self, key: str, attr: str, read) -> None:
        """The first value of ``key`` through ``read`` (None: not usable)."""
        values = _values(self.params.get(key))
        if not values:
            return
        value = read(values)
        if value is None:
            self.notices.append(shown_param(key, ",".join(values)))
        else:
            self.out[attr] = value


def _choice(allowed):
    return lambda values: values[0] if values[0] in allowed else None


def parse_query(params: Mapping[str, str | list[str]], vocab: Vocabulary) -> tuple[ViewState, list[str]]:
    """A ViewState from URL parameters; every unknown or malformed parameter is dropped with a notice."""
    parse = _Parser(params)
    parse.members("sector", "sectors", vocab.sectors)
    parse.members("box", "boxes", vocab.boxes, _small_int)
    parse.members("board", "boards", (*BOARD_CODES, "none"))
    parse.members("county", "counties", vocab.counties)
    parse.members("precision", "precisions", tuple(int(p) for p in Precision), _small_int)
    if _values(params.get("layers")) == ["-"]:
        parse.out["layers"] = ()
    else:
        parse.members("layers", "layers", LAYER_NAMES)
    if params.get("q"):
        text = _text(params["q"])
        if text is None:
            parse.notices.append(shown_param("q", params["q"]))
        else:
            parse.out["q"] = text
    for key, attr, allowed in (
        ("lang", "lang", LANGS),
        ("basemap", "basemap", BASEMAP_NAMES),
        ("p", "project", vocab.projects),
        ("mode", "mode", MODES),
        ("tab", "tab", TABS),
        ("count", "counting", COUNTINGS),
        ("near", "near", (*NEAR_MODES, *vocab.features)),
        ("choro", "choropleth", ("0", "1")),
        ("plan", "plan", vocab.plans),
    ):
        parse.one(key, attr, _choice(allowed))
    if "choropleth" in parse.out:
        parse.out["choropleth"] = parse.out["choropleth"] == "1"
    parse.one("step", "step", lambda v: int(v[0]) if re.fullmatch(r"\d{1,2}", v[0]) else None)
    parse.one("at", "extent", _extent)
    parse.one("km", "near_km", _km)
    return ViewState().with_(**parse.out), parse.notices


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
    if tuple(state.layers) != DEFAULT_LAYERS:
        out["layers"] = ",".join(state.layers) or "-"
    if state.extent:
        out["at"] = ",".join(f"{v:g}" for v in state.extent)
    if state.tab != "stats":
        out["tab"] = state.tab
    if state.near:
        out["near"] = state.near
    if state.near_km != DEFAULT_KM:
        out["km"] = f"{state.near_km:g}"
    out.update(_settings(state))
    return out


def _settings(state: ViewState) -> dict[str, str]:
    """The map and panel settings of ``to_query`` that differ from the default."""
    out: dict[str, str] = {}
    if state.counting != "overlapping":
        out["count"] = state.counting
    if state.plan:
        out["plan"] = state.plan
    return out


def field_names() -> list[str]:
    return [f.name for f in fields(ViewState)]

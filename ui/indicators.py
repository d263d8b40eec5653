"""The 32 main indicators: a table in the UI language and a sorted chart of the percentage indicators."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from geo.atlas import Atlas
from geo.core.i18n import t
from geo.core.tables import read_table
from ui.data import data_root

if TYPE_CHECKING:
    import altair as alt


def indicator_names() -> dict[int, dict[str, str]]:
    """The reviewed English names of this plan's indicators (keyed by the atlas's root: each plan has its own)."""
    return _indicator_names(data_root())


@st.cache_data(show_spinner=False)
def _indicator_names(root: str) -> dict[int, dict[str, str]]:
    path = Path(root) / "data" / "translations" / "indicators_en.csv"  # absent: the names are shown in Chinese
    rows = read_table(path, ("no", "category_en", "name_en")) if path.exists() else []
    return {int(r["no"]): r for r in rows}


def indicator_terms() -> list[tuple[str, str]]:
    return _indicator_terms(data_root())


@st.cache_data(show_spinner=False)
def _indicator_terms(root: str) -> list[tuple[str, str]]:
    path = Path(root) / "data" / "translations" / "indicator_terms.csv"
    rows = read_table(path, ("zh", "en")) if path.exists() else []
    return [(r["zh"], r["en"].strip()) for r in rows]


def term(value: str | None, lang: str) -> str:
    """An indicator cell in the UI language (values such as 7以上 → '7 or more')."""
    if value is None:
        return "—"
    if lang == "en":
        for zh, en in indicator_terms():
            value = value.replace(zh, f" {en} ")
        value = re.sub(r"\s+", " ", value).strip()
    return value


def _base(r: dict) -> str | None:
    """The base-year value (``base_value``; older files: ``value_2020``)."""
    return r.get("base_value", r.get("value_2020"))


def _target(r: dict) -> str | None:
    return r.get("target_value", r.get("target_2025"))


def indicators_panel(data: Atlas, lang: str, big: bool = False) -> None:
    names = indicator_names()
    base_year, target_year = (str(y) for y in data.indicator_years)
    rows = []
    for r in data.indicators:
        en = names.get(r["no"], {})
        rows.append(
            {
                "#": r["no"],
                t("ind.category", lang): (en.get("category_en") if lang == "en" else None) or r["category"],
                t("ind.name", lang): (en.get("name_en") if lang == "en" else None) or r["name"],
                t("ind.v2020", lang, year=base_year): term(_base(r), lang),
                t("ind.t2025", lang, year=target_year): term(_target(r), lang),
                t("ind.annual", lang): term(r["annual_or_cumulative"], lang),
                t("ind.attr", lang): t("ind.binding" if r["attribute"] == "约束性" else "ind.anticipatory", lang),
                t("ind.parts", lang): "; ".join(
                    f"{term(p['label'], lang)} {term(_base(p), lang)} → {term(_target(p), lang)}"
                    + (f" ({term(p['annual_or_cumulative'], lang)})" if p["annual_or_cumulative"] else "")
                    for p in r["parts"]
                )
                or "—",
            }
        )
    frame = pd.DataFrame(rows)
    st.dataframe(frame, hide_index=True, width="stretch", height=560 if big else 420, key="tbl_indicators")
    numeric = []
    for r in data.indicators:
        try:
            a, b = float(_base(r)), float(_target(r))
        except (TypeError, ValueError):
            continue
        if r["unit"] == "%":
            label = (names.get(r["no"], {}).get("name_en") if lang == "en" else None) or r["name"]
            numeric.append({"indicator": f"{r['no']}. {label}", base_year: a, target_year: b})
    if numeric:
        st.markdown(f"#### {t('ind.chart', lang, base=base_year, target=target_year)}")
        st.altair_chart(change_chart(numeric, lang, big, (base_year, target_year)), width="stretch")


def change_chart(
    numeric: list[dict], lang: str, big: bool = False, years: tuple[str, str] = ("2020", "2025")
) -> alt.LayerChart:
    """One row per indicator, sorted by the target: a line from the base-year value to the target, both labelled.

    Row labels are never cut (``labelLimit=0``); each row also prints "base → target" beside its dots.
    """
    import altair as alt  # noqa: PLC0415 - only this chart needs it (0.2 s of import a page load does not pay)

    base, target = years
    frame = pd.DataFrame(numeric).sort_values(target, ascending=False)
    order = list(frame["indicator"])
    long = frame.melt(id_vars="indicator", value_vars=[base, target], var_name="year", value_name="value")
    y = alt.Y("indicator:N", sort=order, title=None, axis=alt.Axis(labelLimit=0, labelFontSize=15 if big else 12))
    x = alt.X("value:Q", title="%", scale=alt.Scale(zero=True))
    rule = (
        alt.Chart(frame)
        .mark_rule(color="#999", strokeWidth=2)
        .encode(y=alt.Y("indicator:N", sort=order), x=f"{base}:Q", x2=f"{target}:Q")
    )
    year = alt.Color(
        "year:N",
        scale=alt.Scale(domain=[base, target], range=["#999999", "#1f6f8b"]),
        legend=alt.Legend(title=t("ind.chart_legend", lang, base=base, target=target), orient="top"),
    )
    dots = alt.Chart(long).mark_circle(size=120 if big else 80, opacity=1).encode(y=y, x=x, color=year)
    frame["label"] = [f"{a:g} → {b:g}" for a, b in zip(frame[base], frame[target], strict=True)]
    frame["right"] = frame[[base, target]].max(axis=1)
    text = (
        alt.Chart(frame)
        .mark_text(align="left", dx=10, fontSize=14 if big else 11)
        .encode(y=alt.Y("indicator:N", sort=order), x="right:Q", text="label:N")
    )
    return (rule + dots + text).properties(height=alt.Step(34 if big else 26))

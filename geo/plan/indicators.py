"""Parse the plan's table of main indicators (“十四五”时期经济社会发展主要指标)."""

from __future__ import annotations

import re
from typing import Any

from geo.core.errors import PlanParseError
from geo.core.text import clean

#: The table's title line, whatever the plan: “十四五”时期经济社会发展主要指标, 十五五时期主要指标表…
TITLE_RE = re.compile(r"^\s*\S{0,30}主要指标(表|一览表)?\s*$")
YEAR_RE = re.compile(r"((?:19|20)\d\d)年")
ROW_RE = re.compile(r"^\s*(?P<no>\d{1,2})\s+(?P<body>\S.*)$")
ATTRIBUTES = ("预期性", "约束性")
ATTRIBUTE_EN = {"预期性": "anticipatory", "约束性": "binding"}
_VALUE_RE = re.compile(r"^(——|[<>≥≤]?\d[\d.]*(以上|以内)?|〔.*〕|待省下达|与经济增长同步|高于经济增长)$")
_NAME_RE = re.compile(r"^(?P<name>.+?（[^（）]*）)\s+(?P<rest>.*)$")


def _is_value(token: str) -> bool:
    return _VALUE_RE.match(token) is not None


def _is_word(token: str) -> bool:
    """A text cell fragment: Chinese without digits (e.g. 与经济, 增长同步, 待省)."""
    return not re.search(r"\d", token) and token not in ("——",) and not token.startswith("〔")


def _merge_wrapped(tokens: list[str]) -> list[str]:
    """Join cell text the PDF wrapped onto two lines (待省|下达, 与经济|增长同步…).

    A word followed by a number is a sub-row label (一产 6.9 …) and is never joined.
    """
    out: list[str] = []
    for k, token in enumerate(tokens):
        following = tokens[k + 1] if k + 1 < len(tokens) else ""
        is_label = bool(re.search(r"\d", following))
        if out and _is_word(out[-1]) and _is_word(token) and not is_label:
            out[-1] += token
        else:
            out.append(token)
    return out


def _parse_cells(rest: str, no: int, path: str | None) -> tuple[str | None, list[dict[str, Any]]]:
    tokens = rest.split()
    attribute = None
    cleaned: list[str] = []
    for token in tokens:
        for attr in ATTRIBUTES:
            if attr in token:
                attribute = attr
                token = token.replace(attr, "")
        if token:
            cleaned.append(token)
    cells = _merge_wrapped(cleaned)
    if cells and _is_value(cells[0]):
        if len(cells) != 3:
            raise PlanParseError(f"indicator {no}: expected 3 values, got {cells}", path=path)
        return attribute, [{"label": None, "values": cells}]
    # Sub-rows: label v2020 v2025 annual, repeated.
    subs = []
    k = 0
    while k < len(cells):
        label = cells[k]
        values = cells[k + 1 : k + 4]
        if len(values) != 3 or not _is_value(values[0]):
            raise PlanParseError(f"indicator {no}: sub-row {label!r} not understood: {cells}", path=path)
        subs.append({"label": label, "values": values})
        k += 4
    return attribute, subs


def _value(cell: str) -> str | None:
    return None if cell == "——" else cell


def table_years(lines: list[str]) -> tuple[int, int] | None:
    """(base year, target year) of the main indicators table, from its header (2020年 预计 … 2025年 目标)."""
    header = _header(lines)
    if header is None:
        return None
    years = [int(y) for no in range(*header) for y in YEAR_RE.findall(lines[no])]
    return (years[0], years[1]) if len(years) >= 2 and years[0] < years[1] else None


def _header(lines: list[str]) -> tuple[int, int] | None:
    start = next((i for i, raw in enumerate(lines) if TITLE_RE.match(raw)), None)
    if start is None:
        return None
    end = next((i for i in range(start, min(start + 40, len(lines))) if lines[i].strip() == "属性"), None)
    return (start, end) if end is not None else None


def parse_indicators(
    lines: list[str], *, path: str | None = None, years: tuple[int, int] | None = None
) -> list[dict[str, Any]]:
    """The main indicators with category, base value, target, annual/cumulative and 属性; [] if the plan has none.

    Each value is stored twice: ``base_value``/``target_value`` and, named by the table's years (``years``, else
    the header's), e.g. ``value_2020``/``target_2025`` for the 14th plan.
    """
    header = _header(lines)
    if header is None:
        if any(TITLE_RE.match(raw) for raw in lines):
            raise PlanParseError("main indicators table has no 属性 header", path=path)
        return []
    years = years or table_years(lines)
    if years is None:
        raise PlanParseError(
            "main indicators table: no base and target year (e.g. 2020年 … 2025年) in its header", path=path
        )
    base_key, target_key = f"value_{years[0]}", f"target_{years[1]}"
    header_end = header[1]
    rows: list[dict[str, Any]] = []
    category = ""
    pending_category = ""
    for no in range(header_end + 2, len(lines) + 1):
        text = lines[no - 1].strip()
        if not text:
            continue
        if text.startswith("注"):
            break
        if re.fullmatch(r"[\u4e00-\u9fff]", text):  # category names are set one character a line
            pending_category += text
            continue
        match = ROW_RE.match(text)
        if match and (not rows or int(match.group("no")) == rows[-1]["no"] + 1):
            if pending_category:
                category, pending_category = pending_category, ""
            rows.append(
                {"no": int(match.group("no")), "category": category, "body": match.group("body"), "lines": [no, no]}
            )
        elif rows:
            rows[-1]["body"] += " " + text
            rows[-1]["lines"][1] = no
    out = [_record(row, base_key, target_key, path) for row in rows]
    if not out or [r["no"] for r in out] != list(range(1, len(out) + 1)):
        raise PlanParseError("main indicators are not numbered 1..N", path=path)
    return out


def _record(row: dict[str, Any], base_key: str, target_key: str, path: str | None) -> dict[str, Any]:
    """One indicator row: name, unit, 属性 and its values (or its sub-rows' values)."""
    m = _NAME_RE.match(row["body"])
    if not m:
        raise PlanParseError(f"indicator {row['no']}: name with （unit） not found", path=path)
    name = clean(m.group("name"))
    unit = re.search(r"（([^（）]*)）$", name).group(1)
    attribute, subs = _parse_cells(m.group("rest"), row["no"], path)
    if attribute is None:
        raise PlanParseError(f"indicator {row['no']}: no 属性 (预期性/约束性)", path=path)
    record: dict[str, Any] = {
        "no": row["no"],
        "category": row["category"],
        "name": name,
        "unit": unit,
        "attribute": attribute,
        "attribute_en": ATTRIBUTE_EN[attribute],
        "lines": row["lines"],
    }
    if len(subs) == 1 and subs[0]["label"] is None:
        v = subs[0]["values"]
        record.update(
            {base_key: _value(v[0]), target_key: _value(v[1])},
            annual_or_cumulative=_value(v[2]),
            parts=[],
            base_value=_value(v[0]),
            target_value=_value(v[1]),
        )
    else:
        record.update({base_key: None, target_key: None}, annual_or_cumulative=None, base_value=None)
        record["target_value"] = None
        record["parts"] = [
            {
                "label": s["label"],
                base_key: _value(s["values"][0]),
                target_key: _value(s["values"][1]),
                "annual_or_cumulative": _value(s["values"][2]),
                "base_value": _value(s["values"][0]),
                "target_value": _value(s["values"][1]),
            }
            for s in subs
        ]
    return record

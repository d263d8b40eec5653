"""Every UI string exists in Chinese and English; every key the code uses is in the table."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from geo.analysis.viewstate import NEAR_MODES, TABS
from geo.atlas import load_atlas
from geo.core.domain import Precision
from geo.core.errors import MissingString
from geo.core.i18n import strings, t
from geo.core.tables import read_table
from geo.places.evidence import BASIS_KEYS
from geo.places.gazetteer import KINDS
from geo.render.basemaps import BASEMAPS
from geo.render.export import FORMATS
from geo.render.map import LAYERS
from geo.render.style import MODE_GROUPS

ROOT = Path(__file__).resolve().parent.parent
CODE = [ROOT / "app.py", *sorted((ROOT / "geo").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]


def test_every_key_has_both_languages():
    table = strings()
    assert len(table) > 100
    for key, value in table.items():
        assert value["zh"].strip() and value["en"].strip(), key
        assert re.search(r"[\u4e00-\u9fff]", value["zh"]) or key.startswith(
            ("basemap.osm", "format.geojson", "map.board_name")
        ), key
        # placeholders match between the languages
        assert sorted(re.findall(r"{(\w+)}", value["zh"])) == sorted(re.findall(r"{(\w+)}", value["en"])), key


def literal_keys() -> set[str]:
    keys = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    keys.add(first.value)
    return keys


def dynamic_keys() -> set[str]:
    modes = {r["mode"] for r in read_table(ROOT / "data" / "transport.csv", ("mode",))}
    statuses = {r["status"] for r in read_table(ROOT / "data" / "transport.csv", ("status",))}
    return (
        {f"precision.{int(p)}" for p in Precision}
        | {f"layer.{name}" for name in LAYERS}
        | {f"basemap.{name}" for name in BASEMAPS}
        | {f"basemap.tianditu.{x}" for x in ("vec", "cva", "eva")}
        | {f"mode.{m}" for m in modes}
        | {f"status.{s}" for s in statuses}
        | {f"format.{f}" for f in FORMATS}
        | {"stats.overlapping", "stats.primary", "ind.binding", "ind.anticipatory", "ui.conflicts", "ui.notes"}
        | set(BASIS_KEYS.values())
        | {f"tab.{tab}" for tab in TABS}
        | {f"stats.near_{mode}" for mode in NEAR_MODES}
        | {f"kind.{kind}" for kind in KINDS}
        | {"edit.kind_edit", "edit.kind_revert"}
        | {f"mode.{group}" for group in MODE_GROUPS}  # the legend's transport rows
    )


def test_every_key_the_code_uses_is_translated():
    missing = (literal_keys() | dynamic_keys()) - set(strings())
    assert not missing, sorted(missing)


def test_no_unused_keys():
    unused = set(strings()) - literal_keys() - dynamic_keys()
    assert not unused, sorted(unused)


def test_ui_calls_do_not_hard_code_visible_text():
    """Widget labels, titles and messages in app.py go through t(); no bare string literal is shown."""
    shown = {
        "title",
        "header",
        "subheader",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "metric",
        "button",
        "radio",
        "selectbox",
        "multiselect",
        "text_input",
        "toggle",
        "download_button",
        "number_input",
        "tabs",
    }
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    offenders = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in shown
            and node.args
        ):
            first = node.args[0]
            if (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and re.search(r"[A-Za-z\u4e00-\u9fff]", first.value)
            ):
                offenders.append((node.lineno, first.value))
    assert not offenders, offenders


def test_unknown_key_is_an_error_and_placeholders_fill():
    with pytest.raises(MissingString):
        t("no.such.key")
    assert "12" in t("ui.unmapped_hint", "en", n=12)
    assert t("ui.title", "en") != t("ui.title", "zh")


def test_every_project_layout_item_and_indicator_has_english(projects):
    for f in projects["features"]:
        assert f["properties"]["name_en"] and f["properties"]["summary_en"], f["id"]
    data = load_atlas()
    for layer in (data.layout, data.towns):
        for f in layer["features"]:
            assert f["properties"].get("name_en"), f["id"]
    english = {int(r["no"]) for r in read_table(ROOT / "data" / "translations" / "indicators_en.csv", ("no",))}
    assert english == {i["no"] for i in data.indicators}


def test_every_location_basis_in_the_data_has_a_label(projects):
    bases = {
        f["properties"]["location_basis"] for f in projects["features"] if f["properties"]["entry_type"] != "group"
    }
    assert bases <= set(BASIS_KEYS), bases - set(BASIS_KEYS)


def test_indicator_values_have_english_terms():
    """Every Chinese word that appears in an indicator value or sub-row label has an English rendering."""

    terms = read_table(ROOT / "data" / "translations" / "indicator_terms.csv", ("zh", "en"))
    data = json.loads((ROOT / "data" / "indicators.json").read_text(encoding="utf-8"))["indicators"]
    values = [v for r in data for v in (r["value_2020"], r["target_2025"], r["annual_or_cumulative"]) if v]
    values += [
        v
        for r in data
        for p in r["parts"]
        for v in (p["label"], p["value_2020"], p["target_2025"], p["annual_or_cumulative"])
        if v
    ]
    for value in values:
        for row in terms:
            value = value.replace(row["zh"], row["en"])
        assert not re.search(r"[\u4e00-\u9fff]", value), value

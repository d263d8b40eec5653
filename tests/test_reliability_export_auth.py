"""Nothing injected through exports (formulas behind invisible prefixes, KML markup) and no lockout for the right token."""

from __future__ import annotations

import io
import threading

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.core.errors import AuthError
from geo.core.neutralise import kml_plain_descriptions, neutralise_cell
from geo.curation.auth import EditorGate
from geo.render.export import export

TOKEN = "the-right-editor-token"
PREFIXES = ["", " ", "   ", "\u3000", "\u00a0", "\ufeff", "\u200b", "\u200d", "\u2060", " \ufeff\u200b "]
SIGNS = ["=", "+", "-", "@", "＝", "＋", "－", "＠"]


@pytest.mark.parametrize("sign", SIGNS)
@pytest.mark.parametrize("prefix", PREFIXES)
def test_formula_behind_invisible_prefix_is_neutralised(prefix, sign):
    cell = f'{prefix}{sign}HYPERLINK("http://evil","x")'
    assert neutralise_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["磐石 = 小镇", "a+b", "2026-11", "项目@吉林", "", " 平常文字", "\u200b文字"])
def test_ordinary_text_is_left_alone(cell):
    assert neutralise_cell(cell) == cell


def selection(**props) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({k: [v] for k, v in props.items()}, geometry=[Point(126.5, 43.8)], crs="EPSG:4326")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_neutralise_hidden_formulas(fmt):
    hostile = "\ufeff\u200b＝cmd|' /C calc'!A0"
    data = export(selection(id="X1", name=hostile, description=" =1+1"), fmt)
    frame = pd.read_csv(io.BytesIO(data), dtype=str) if fmt == "csv" else pd.read_excel(io.BytesIO(data), dtype=str)
    assert frame.loc[0, "name"] == "'" + hostile
    assert frame.loc[0, "description"] == "' =1+1"


def test_kml_description_is_plain_text_in_cdata():
    markup = '<img src=x onerror="alert(1)"> <a href="http://evil">unlock</a> 1 < 2 & ]]> end'
    kml = export(selection(id="X1", name="n", description=markup), "kml").decode("utf-8")
    start = kml.index("<description>")
    body = kml[start : kml.index("</description>", start)]
    assert body.startswith("<description><![CDATA[") and body.endswith("]]>")
    inner = body[len("<description><![CDATA[") : -3]
    assert "<" not in inner and ">" not in inner  # no tag a client could render …
    assert "&lt;img src=x" in inner and "1 &lt; 2 &amp; ]]&gt; end" in inner  # … the text is all there


def test_kml_plain_descriptions_is_idempotent_on_cdata():
    once = kml_plain_descriptions(b"<description>&lt;b&gt;x&lt;/b&gt;</description>")
    assert once == b"<description><![CDATA[&lt;b&gt;x&lt;/b&gt;]]></description>"


def test_other_clients_failures_never_lock_out_the_right_token():
    slept = []
    gate = EditorGate(TOKEN, clock=lambda: 0.0, sleep=slept.append)
    for session in range(4):  # four sessions × 5 wrong tokens (the reported denial of service)
        for attempt in range(5):
            assert not gate.check(f"guess-{attempt}", f"s{session}")
    for session in range(4):
        with pytest.raises(AuthError, match="too many"):
            gate.check(TOKEN, f"s{session}")  # each guessing session is locked out …
    assert gate.check(TOKEN, "editor")  # … but the editor's own session gets in at once
    assert not gate.check("wrong", "editor")
    assert slept and all(s == gate.global_delay for s in slept)  # past 20 failures: wrong guesses are slowed


def test_lockout_expires_per_client():
    now = [0.0]
    gate = EditorGate(TOKEN, clock=lambda: now[0], sleep=lambda s: None)
    for _ in range(5):
        gate.check("bad", "a")
    with pytest.raises(AuthError):
        gate.check(TOKEN, "a")
    now[0] = 61
    assert gate.check(TOKEN, "a")


def test_concurrent_guessers_do_not_block_the_right_token():
    gate = EditorGate(TOKEN, sleep=lambda s: None)
    results = []

    def guess(n):
        for i in range(10):
            try:
                gate.check(f"g{n}-{i}", f"attacker{n}")
            except AuthError:
                pass

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    results.append(gate.check(TOKEN, "editor"))
    for t in threads:
        t.join()
    results.append(gate.check(TOKEN, "editor"))
    assert results == [True, True]


def unescaped_markup(text: str) -> list[str]:
    """Markdown punctuation not escaped by a backslash (CommonMark §2.4: an escaped one is a literal character)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            i += 2
            continue
        if text[i] in "[]()!<>*_`#|~":
            out.append(text[i])
        i += 1
    return out


@pytest.mark.parametrize(
    "text", ["[unlock](https://evil.example)", "![](https://evil.example/x.png)", "<img src=x>", "**b** `c` \\[x]"]
)
def test_markdown_literal_keeps_untrusted_text_inert(text):
    from geo.core.neutralise import markdown_literal

    shown = markdown_literal(text)
    assert unescaped_markup(shown) == []
    assert shown.replace("\\", "") == text.replace("\\", "")  # the same characters, only escaped


def test_redacted_params_hide_secrets():
    from geo.core.neutralise import redacted_params

    shown = redacted_params({"token": "the-right-editor-token", "x": "[a](b)"})
    assert shown["token"] == "***" and "the-right" not in str(shown)
    assert shown["x"] == r"\[a\]\(b\)"

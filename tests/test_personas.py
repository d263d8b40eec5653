"""Three people's journeys in real headless Chromium, offline: a planner, an investor (English), a presenter.

Each is a scripted path of clicks asserting what that person would check; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

sys.path.insert(0, str(Path(__file__).parent / "browser"))
from harness import browser_page, count_markers, map_frame, metric, serve_app, wait_for

from geo.analysis.filters import apply_filters
from geo.analysis.viewstate import ViewState
from geo.atlas import load_atlas

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "personas"
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]

CHIPS_JS = """(label) => {
  const box = [...document.querySelectorAll('[data-testid="stMultiSelect"]')]
    .find(e => e.innerText.split('\\n')[0].trim() === label);
  if (!box) return null;
  const chips = box.innerText.split('\\n').slice(1).map(t => t.trim()).filter(Boolean);
  return chips.length ? chips : null;
}"""


@pytest.fixture(scope="module")
def app_url():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve_app({"ATLAS_OFFLINE": "1"}) as url:
        yield url


@pytest.fixture(scope="module")
def data():
    return load_atlas()


def text(page) -> str:
    return page.evaluate("() => document.body.innerText")


def choose(page, label: str, typed: str) -> None:
    """Type into the sidebar multiselect called ``label`` and pick the first match, as a person does."""
    for _attempt in range(3):  # a rerun that redraws the sidebar can swallow the keystrokes: look, then retry
        box = page.locator('[data-testid="stMultiSelect"]').filter(has_text=label).first
        box.click()
        page.keyboard.type(typed)
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        try:
            wait_for(page, lambda box=box: typed in box.inner_text().split("\n", 1)[-1], timeout=8)
            return
        except TimeoutError:
            continue
    raise AssertionError(f"could not choose {typed!r} in {label!r}")


def switch_language(page, option: str) -> None:
    """Click 中文 or English, until the page title is in that language (a click during a rerun can be lost)."""
    title = "Jilin Plan Atlas" if option == "English" else "吉林市"
    for _attempt in range(3):
        try:
            page.locator('[data-testid="stSidebar"] label').filter(has_text=option).first.click(timeout=15_000)
            wait_for(page, lambda: page.locator("h1").first.inner_text().startswith(title), timeout=15)
            return
        except (TimeoutError, PlaywrightError):
            continue
    page.screenshot(path=str(ARTIFACTS / f"switch-to-{option}-FAILED.png"))
    raise AssertionError(f"the language did not switch to {option}: {text(page)[:300]}")


def layers_drawn(page) -> dict[str, int]:
    return wait_for(page, lambda: (c := count_markers(map_frame(page))) and c["polygons"] >= 9 and c)


FIT_JS = """() => {
  const frames = [...document.querySelectorAll("iframe[title='streamlit_folium.st_folium']")];
  const map = frames.map(f => f.getBoundingClientRect()).sort((a, b) => b.height - a.height)[0];
  const clipped = [...document.querySelectorAll('.stButton button, .stButton button *')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0).map(e => e.innerText);
  return {top: map.top, bottom: map.bottom, height: map.height, clipped: clipped};
}"""


def assert_presentation_fits(page, height: int) -> dict:
    """The presentation map takes at least 60 % of the window's height, lies wholly inside it, no button is cut."""

    def fits(f: dict) -> bool:
        return f["height"] / height >= 0.6 and f["top"] >= 0 and f["bottom"] <= height + 1 and not f["clipped"]

    try:  # a rerun may still be replacing the previous page's elements: wait until it settles
        return wait_for(page, lambda: (f := page.evaluate(FIT_JS)) and fits(f) and f, timeout=20)
    except TimeoutError:
        fit = page.evaluate(FIT_JS)
        raise AssertionError(f"the presentation does not fit a {height}px window: {fit}") from None


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, text(page)[:500]


def test_planner_switches_language_filters_to_nothing_and_lists_a_county_badge(app_url, data):
    with browser_page() as page:
        page.goto(app_url + "/")
        before = layers_drawn(page)
        assert before["clustered"] > 0
        chips_zh = wait_for(page, lambda: page.evaluate(CHIPS_JS, "图层"))
        for lang, label in (("English", "Layers"), ("中文", "图层")) * 2:
            switch_language(page, lang)
            chips = wait_for(page, lambda label=label: page.evaluate(CHIPS_JS, label))
            assert len(chips) == len(chips_zh), chips  # every layer still selected, labelled in the new language
            after = layers_drawn(page)
            assert after["clustered"] == before["clustered"] and after["polygons"] >= before["polygons"] - 1
            no_exception(page)
        page.screenshot(path=str(ARTIFACTS / "planner-after-switches.png"))

        # filter to nothing: fine chemicals in Yongji
        sector, county = "精细化工", "永吉县"
        choose(page, "产业", sector)
        choose(page, "县（市）区", county)
        try:
            wait_for(page, lambda: (metric(page, "所选项目") or "").startswith("0 /"))
        except TimeoutError:
            page.screenshot(path=str(ARTIFACTS / "planner-empty-FAILED.png"))
            raise AssertionError(f"not empty: {metric(page, '所选项目')} at {page.url}") from None
        assert f"{county} 没有符合筛选条件的项目" in text(page)
        no_exception(page)
        page.screenshot(path=str(ARTIFACTS / "planner-empty.png"))

        # a county badge lists the county-level projects behind its number
        page.get_by_text("清除全部筛选").click()
        wait_for(page, lambda: (metric(page, "所选项目") or "").startswith(f"{len(data.projects)} /"))
        frame = map_frame(page)
        badge = wait_for(page, lambda: map_frame(page).locator('.atlas-badge[title*="龙潭区"]').count() and True)
        assert badge
        frame = map_frame(page)
        number = int(frame.locator('.atlas-badge[title*="龙潭区"]').first.inner_text())
        # zoom in on the badge so that no other symbol covers it, then click it with the mouse
        frame.evaluate(
            """() => {
              const m = [...new Set(Object.values(window).filter(v => v instanceof L.Map))][0];
              m.eachLayer(l => {
                const el = l.getElement && l.getElement();
                if (el && el.querySelector && el.querySelector('.atlas-badge[title*="龙潭区"]')) {
                  m.setView(l.getLatLng(), 12, {animate: false});
                }
              });
            }"""
        )
        page.wait_for_timeout(600)
        frame.locator('.atlas-badge[title*="龙潭区"]').first.click()
        wait_for(page, lambda: "county=220203" in page.url and "precision=3" in page.url, timeout=30)
        expected = apply_filters(data.projects, ViewState(counties=("220203",), precisions=(3,)))
        wait_for(page, lambda: (metric(page, "所选项目") or "").startswith(f"{len(expected)} /"))
        assert number == len(expected)
        wait_for(page, lambda: f"龙潭区：{number} 个项目仅定位到县级" in text(page), timeout=30)
        assert "tab=table" in page.url
        page.screenshot(path=str(ARTIFACTS / "planner-badge-list.png"))
        assert page.errors == []


def test_investor_in_english_picks_a_row_and_shares_the_view(app_url, data):
    with browser_page() as page:
        page.goto(app_url + "/?lang=en")
        layers_drawn(page)
        choose(page, "Sector", "Tourism")
        expected = apply_filters(data.projects, ViewState(sectors=("tourism_culture",)))
        wait_for(page, lambda: (metric(page, "Projects selected") or "").startswith(f"{len(expected)} /"))
        # once in CI this click left no tab=table in the URL (not reproduced in 10 runs since, 7 of them under
        # load); the suspect is a click in the moment the panels appear (the frame's "below" run replaces the tab
        # bar, and Streamlit drops a value for a widget the last run no longer drew): a person clicks again
        for _attempt in range(3):
            page.get_by_text("Project table", exact=True).click()
            try:
                wait_for(page, lambda: "tab=table" in page.url, timeout=10)
                break
            except TimeoutError:
                continue
        assert "tab=table" in page.url
        first = expected.iloc[2]
        for _attempt in range(4):  # the grid is redrawn by reruns: find it again, click the third row's selector
            try:
                grid = page.locator('[data-testid="stDataFrame"]').first
                grid.wait_for()
                grid.scroll_into_view_if_needed()
                page.wait_for_timeout(800)
                box = grid.bounding_box()
                page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 * 2 + 17)
                wait_for(page, lambda: f"p={first['id']}" in page.url, timeout=10)
                break
            except (TimeoutError, PlaywrightError):
                continue
        assert f"p={first['id']}" in page.url
        wait_for(page, lambda: f"{first['id']} · {first['name_en']}" in text(page), timeout=30)  # the details open
        assert "Name in the plan:" in text(page)
        no_exception(page)
        page.screenshot(path=str(ARTIFACTS / "investor-picked.png"))
        shared = page.url
        assert re.search(r"[?&]tab=table", shared) and "lang=en" in shared
    with browser_page() as fresh:
        fresh.goto(shared)
        layers_drawn(fresh)
        wait_for(fresh, lambda: f"{first['id']} · {first['name_en']}" in text(fresh))
        assert (metric(fresh, "Projects selected") or "").startswith(f"{len(expected)} /")
        assert fresh.locator('[data-testid="stDataFrame"]').count() >= 1  # the table tab is open again
        fresh.screenshot(path=str(ARTIFACTS / "investor-shared-url.png"))
        assert fresh.errors == [] and fresh.blocked == []


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_presenter_offline_steps_through_and_switches_language(app_url, size):
    width, height = size
    with browser_page(width=width, height=height) as page:
        page.goto(app_url + "/")
        layers_drawn(page)
        page.get_by_role("button", name="演示模式").click()
        wait_for(page, lambda: "1/11" in text(page))
        layers_drawn(page)
        assert_presentation_fits(page, height)
        page.screenshot(path=str(ARTIFACTS / f"presenter-{width}-zh-1.png"))
        page.locator(".atlas-caption").click()
        page.keyboard.press("ArrowRight")
        wait_for(page, lambda: "2/11" in text(page), timeout=30)
        wait_for(page, lambda: "step=1" in page.url, timeout=30)
        page.keyboard.press("Escape")
        wait_for(page, lambda: "mode=present" not in page.url, timeout=30)
        switch_language(page, "English")
        page.get_by_role("button", name="Presentation mode").click()
        wait_for(page, lambda: "1/11" in text(page) and "Back" in text(page))
        drawn = layers_drawn(page)
        assert drawn["polygons"] >= 9
        share = assert_presentation_fits(page, height)["height"] / height
        (ARTIFACTS / f"presenter-{width}-map-share.txt").write_text(f"{share:.2f}\n", encoding="utf-8")
        page.screenshot(path=str(ARTIFACTS / f"presenter-{width}-en-1.png"))
        no_exception(page)
        assert page.errors == [] and page.blocked == []


AXIS_LABELS_JS = """() => {
  const chart = [...document.querySelectorAll('[data-testid="stExpander"] [data-testid="stVegaLiteChart"]')].pop();
  if (!chart) return null;
  const axis = [...chart.querySelectorAll('g.role-axis')].find(g => /^Y-axis/.test(g.getAttribute('aria-label') || ''));
  if (!axis) return [];
  return [...axis.querySelectorAll('.role-axis-label text')].filter(t => t.getAttribute('opacity') !== '0')
    .map(t => { const r = t.getBoundingClientRect(); return [t.textContent, r.top, r.bottom]; });
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presenter_opens_the_indicators_and_every_percentage_row_is_labelled(app_url, data, lang):
    """The 2020 → 2025 chart has one readable row per percentage indicator: no label hidden, none on another."""
    expected = set()
    for r in data.indicators:
        try:
            float(r.get("base_value", r.get("value_2020"))), float(r.get("target_value", r.get("target_2025")))
        except (TypeError, ValueError):
            continue
        if r["unit"] == "%":
            expected.add(r["no"])
    assert len(expected) >= 5
    with browser_page(width=1366, height=768) as page:
        page.goto(app_url + f"/?lang={lang}&mode=present&step=0")
        layers_drawn(page)
        page.locator('[data-testid="stExpander"] summary').last.click()
        labels = wait_for(page, lambda: (got := page.evaluate(AXIS_LABELS_JS)) and got, timeout=30)
        assert {int(name.split(".", 1)[0]) for name, _, _ in labels} == expected, labels
        rows = sorted(labels, key=lambda x: x[1])
        assert all(a[2] <= b[1] + 0.5 for a, b in itertools.pairwise(rows)), rows  # no label sits on the next
        no_exception(page)

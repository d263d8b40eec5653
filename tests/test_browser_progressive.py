"""A page load in headless Chromium draws the map first, then the filters, then the panels below once scrolled to."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from harness import browser_page, count_markers, map_frame, serve_app, wait_for

from geo.analysis.stats import count_by_board
from geo.atlas import load_atlas
from geo.core.i18n import t

pytestmark = pytest.mark.browser

FILTERS_JS = """() => document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').length"""
CHARTS_JS = """() => document.querySelectorAll('[data-testid="stVegaLiteChart"]').length"""
#: The visible y-axis labels of every stats chart: [chart index, text, top, bottom].
BAR_LABELS_JS = """() => {
  const out = [];
  [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].forEach((chart, i) => {
    const axis = [...chart.querySelectorAll('g.role-axis')].find(g => /^Y-axis/.test(g.getAttribute('aria-label') || ''));
    if (!axis) return;
    for (const label of axis.querySelectorAll('.role-axis-label text')) {
      if (label.getAttribute('opacity') === '0') continue;
      const r = label.getBoundingClientRect();
      out.push([i, label.textContent, r.top, r.bottom]);
    }
  });
  return out;
}"""


@pytest.fixture(scope="module")
def app_url():
    with serve_app({"ATLAS_OFFLINE": "1"}) as url:
        yield url


@pytest.fixture(scope="module")
def data():
    return load_atlas()


def points(page) -> int:
    counts = count_markers(map_frame(page))
    return counts["clustered"] + counts["circles"] + counts["canvas"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_page_load_draws_the_map_then_the_filters_and_the_panels_once_scrolled_to(app_url, data, lang):
    with browser_page(width=1400, height=900) as page:
        page.goto(app_url + f"/?lang={lang}")
        # the filters come only after the map has drawn its selection: whenever they are there, so is every point
        wait_for(page, lambda: page.evaluate(FILTERS_JS) >= 5, timeout=60)
        drawn = points(page)
        assert drawn > 0
        page.wait_for_timeout(1500)
        assert points(page) == drawn  # nothing was still to come
        # the panels below the map wait until the person scrolls to them
        assert page.evaluate(CHARTS_JS) == 0
        later = page.locator(".st-key-atlas_panels_later")
        assert later.count() == 1 and t("ui.panels_later", lang) in later.inner_text()
        page.mouse.move(700, 60)  # over the title, not the map (the wheel zooms the map)
        page.mouse.wheel(0, 2500)
        wait_for(page, lambda: page.evaluate(CHARTS_JS) == 2, timeout=30)
        assert page.locator(".st-key-atlas_panels_later").count() == 0
        # every board and county bar has its label, none on another (a fixed chart height hid some)
        labels = wait_for(page, lambda: (got := page.evaluate(BAR_LABELS_JS)) and got, timeout=30)
        per_chart = {i: [x for x in labels if x[0] == i] for i in (0, 1)}
        assert len(per_chart[0]) == len(count_by_board(data.projects)), per_chart[0]  # four boards and "none"
        assert len(per_chart[1]) == len(data.counties), per_chart[1]
        for rows in per_chart.values():
            rows.sort(key=lambda x: x[2])
            assert all(a[3] <= b[2] + 0.5 for a, b in itertools.pairwise(rows)), rows
        assert not page.errors, page.errors


@pytest.mark.parametrize("tab", ["table", "stats"])
def test_a_tab_picked_before_scrolling_is_drawn_at_once(app_url, tab):
    """The view's own tab (statistics) too: no tab is marked until the panels are drawn, so its click counts."""
    shown = '[data-testid="stDataFrame"]' if tab == "table" else '[data-testid="stVegaLiteChart"]'
    with browser_page(width=1400, height=900) as page:
        page.goto(app_url + "/?lang=en")
        wait_for(page, lambda: page.evaluate(FILTERS_JS) >= 5, timeout=60)
        page.get_by_text(t(f"tab.{tab}", "en"), exact=True).click()
        wait_for(page, lambda: page.locator(shown).count() > 0, timeout=30)
        assert page.locator(".st-key-atlas_panels_later").count() == 0
        assert not page.errors, page.errors


def test_a_language_switch_draws_the_new_map_then_brings_the_filters_back_as_they_were(app_url):
    """Switching language is drawn map first too: the new language's map frame says when it has drawn, and the
    filters come back in the new language, holding what was chosen; back again the same way."""
    bio_zh, bio_en = "生物", "Bio"
    with browser_page(width=1400, height=900) as page:
        page.goto(app_url + "/?sector=bio")
        wait_for(page, lambda: page.evaluate(FILTERS_JS) >= 5, timeout=60)
        filtered = points(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert bio_zh in sidebar.inner_text()
        for lang, word, chosen in (("en", "English", bio_en), ("zh", "中文", bio_zh)):
            sidebar.locator("label").filter(has_text=word).first.click()
            title = t("ui.title", lang)
            wait_for(page, lambda title=title: title in page.locator("h1").first.inner_text(), timeout=30)
            # the filters come back only once the new map has drawn, in the new language, with the choice kept
            label = t("ui.sector", lang)
            wait_for(page, lambda label=label: label in sidebar.inner_text(), timeout=30)
            wait_for(page, lambda: page.locator(".st-key-atlas_filters_later").count() == 0, timeout=30)
            assert page.evaluate(FILTERS_JS) >= 5 and chosen in sidebar.inner_text()
            assert points(page) == filtered
        assert "sector=bio" in page.url
        assert not page.errors, page.errors

"""The atlas as scripts/app.sh serves it (``streamlit run serve.py``: the warm-up at server start) draws the same map
as ``streamlit run app.py``, offline, with st_folium's component files served (the warm-up registers them), and a
filter change still redraws the map."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
from harness import browser_page, count_markers, map_frame, metric, serve_app, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]


def _markers(url: str) -> dict[str, int]:
    with browser_page() as page:
        failed: list[str] = []
        page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
        page.goto(url + "/")
        frame = map_frame(page)
        counts = wait_for(page, lambda: (c := count_markers(frame)) and c["clustered"] > 0 and c)
        assert failed == [] and page.blocked == [] and page.errors == []
        return counts


def test_served_app_draws_the_same_map_as_the_plain_app_and_filters():
    with serve_app(env={"ATLAS_OFFLINE": "1"}) as plain:
        expected = _markers(plain)
    with serve_app(env={"ATLAS_OFFLINE": "1"}, app="serve.py") as served:
        assert "warm-up" not in served.log.read_text().lower() or "failed" not in served.log.read_text().lower()
        assert _markers(served) == expected  # the first page of a fresh server
        with browser_page() as page:  # a second page: from the warm caches
            page.goto(served + "/")
            before = count_markers(map_frame(page))
            assert before == expected
            widget = page.locator('[data-testid="stMultiSelect"]').first
            widget.click()
            page.keyboard.type("生物")
            page.keyboard.press("Enter")
            page.keyboard.press("Escape")
            wait_for(page, lambda: (metric(page, "所选项目") or "").startswith("8 /"))
            after = wait_for(
                page, lambda: (c := count_markers(map_frame(page))) and c["clustered"] != before["clustered"] and c
            )
            assert after["clustered"] < before["clustered"]
        assert "warm-up: import failed" not in served.log.read_text()

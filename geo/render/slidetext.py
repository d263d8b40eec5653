"""The words of a slide: its title naming the selection and filters, the source line and a filename."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode, urlsplit

from geo.analysis.viewstate import NEAR_MODES, ViewState, to_query
from geo.core.i18n import t
from geo.render.wording import Labels, box_label, join, number, precision_label

#: At most this many values of one filter are named in a title; the rest are counted ("… +3").
MAX_NAMED = 4


def _values(names: list[str], lang: str) -> str:
    shown = join(names[:MAX_NAMED], lang)
    return shown + (f" … +{len(names) - MAX_NAMED}" if len(names) > MAX_NAMED else "")


def _near(view: ViewState, data: Any, lang: str) -> str:
    if view.near in NEAR_MODES:
        what = t(f"stats.near_{view.near}", lang)
    else:
        frame = data.transport_frame
        row = frame[frame["id"] == view.near]
        what = str(row.iloc[0]["name_en" if lang == "en" else "name"] or view.near) if len(row) else str(view.near)
    return t("slide.f_near", lang, what=what, km=number(view.near_km, lang, 1 if view.near_km % 1 else 0))


def filter_parts(view: ViewState | None, data: Any, lang: str) -> list[str]:
    """One phrase per filter that is set ("产业：旅游文化", "县（市）区：永吉县"), in the order of the sidebar."""
    if view is None:
        return []
    words = Labels(data, lang)
    boxes = {int(b["box"]): b for b in getattr(data, "boxes", [])}
    parts = []
    if view.sectors:
        parts.append(t("slide.f_sector", lang, v=_values([words.sector(s) for s in view.sectors], lang)))
    if view.boxes:
        named = [
            box_label(b, boxes.get(b, {}).get("title"), boxes.get(b, {}).get("title_en"), lang) for b in view.boxes
        ]
        parts.append(t("slide.f_box", lang, v=_values(named, lang)))
    if view.boards:
        parts.append(t("slide.f_board", lang, v=_values([words.board(b) for b in view.boards], lang)))
    if view.counties:
        parts.append(t("slide.f_county", lang, v=_values([words.county(c) for c in view.counties], lang)))
    if view.precisions:
        named = [precision_label(p, lang) for p in view.precisions]
        parts.append(t("slide.f_precision", lang, v=_values(named, lang)))
    if view.q:
        parts.append(t("slide.f_q", lang, v=view.q))
    if view.near:
        parts.append(_near(view, data, lang))
    return parts


def slide_title(view: ViewState | None, data: Any, n: int, lang: str) -> str:
    """'吉林市“十四五”规划重大项目 · 产业：旅游文化 · 县（市）区：永吉县 — 23 个项目' in the UI language."""
    head = " · ".join([t("png.title", lang), *filter_parts(view, data, lang)])
    return f"{head} — {t('slide.count', lang, n=n)}"


def source_line(lang: str, today: date, url: str | None = None) -> str:
    """Plan, boundaries and water sources, the export date and (when given) the view's address."""
    text = f"{t('png.source', lang)} {t('slide.exported', lang, date=today.isoformat())}"
    return text + (f" {url}" if url else "")


def slide_filename(view: ViewState | None, n: int, fmt: str) -> str:
    """'jilin-plan-atlas_tourism_culture_220221_23-projects.pdf': the selection's codes (ASCII, safe on any disk)."""
    codes: list[str] = []
    if view is not None:
        codes += [*view.sectors, *(f"box{b}" for b in view.boxes), *view.boards, *view.counties]
        codes += [f"p{p}" for p in view.precisions]
        if view.q:
            codes.append("q-" + (re.sub(r"[^A-Za-z0-9]+", "-", view.q).strip("-") or "text"))
        if view.near:
            codes.append(f"near-{view.near}-{view.near_km:g}km")
    stem = "_".join(["jilin-plan-atlas", *codes, f"{n}-projects"])
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem)[:150]
    suffix = "pdf" if fmt.startswith("pdf") else fmt
    return f"{stem}.{suffix}"


def view_url(base: str | None, view: ViewState) -> str | None:
    """The shareable address of ``view`` under the app's public ``base`` URL; None without a valid http(s) base."""
    if not base:
        return None
    parts = urlsplit(base.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    query = urlencode(to_query(view))
    root = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/"
    return root + (f"?{query}" if query else "")

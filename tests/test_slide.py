"""Slides and prints stand alone: page sizes, a title naming the filters, legend, true scale, labels apart, QR, text."""

from __future__ import annotations

import dataclasses
import io
import itertools
from datetime import date

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from pyproj import Geod, Proj, Transformer

from geo.analysis.filters import apply_filters
from geo.analysis.viewstate import ViewState
from geo.atlas import load_atlas
from geo.core.crs import METRIC, WGS84
from geo.core.errors import InputFileError
from geo.core.i18n import t
from geo.render.export import export
from geo.render.slide import build_slide, render_slide, slide_style
from geo.render.slidelabels import Label, place_labels
from geo.render.slidemarks import qr_matrix
from geo.render.slidetext import slide_filename, view_url

FILTERED = ViewState(sectors=("tourism_culture",), counties=("220221",))  # 旅游文化 in 永吉县
URL = "https://atlas.example.org/?lang=zh&sector=tourism_culture&county=220221"
HOSTILE = "<script>alert(1)</script> $\\frac{}$ {n} $x^2$"


@pytest.fixture(scope="module")
def data():
    return load_atlas()


def figure(selection, data, **kwargs):
    with slide_style():
        fig = build_slide(selection, data, today=date(2026, 1, 2), **kwargs)
        fig.canvas.draw()
    return fig


def texts(fig, prefix: str) -> list[str]:
    return [a.get_text() for a in fig.findobj(lambda a: hasattr(a, "get_text") and str(a.get_gid()).startswith(prefix))]


def test_png_is_1920_by_1080_and_drawn(data):
    png = render_slide(data.projects, data, page="png", lang="zh")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1920, 1080)
    assert len(np.unique(np.asarray(image.convert("RGB")).reshape(-1, 3), axis=0)) > 50


@pytest.mark.parametrize(("page", "size"), [("pdf_a4", (841.89, 595.28)), ("pdf_a3", (1190.55, 841.89))])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_is_a_landscape_page_with_extractable_embedded_text(data, page, size, lang):
    view = FILTERED.with_(lang=lang)
    pdf = render_slide(apply_filters(data.projects, view), data, page=page, lang=lang, view=view)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.5)
    text = reader.pages[0].extract_text().replace("\n", "")
    for needed in ("旅游文化", "永吉县", "6 个项目") if lang == "zh" else ("Tourism & culture", "Yongji County"):
        assert needed in text, needed
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded TrueType, not a reference


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_title_names_the_selection_and_its_filters(data, lang):
    view = FILTERED.with_(lang=lang)
    selection = apply_filters(data.projects, view)
    title = "".join(texts(figure(selection, data, lang=lang, view=view), "title"))
    assert title.startswith(t("png.title", lang))
    if lang == "zh":
        assert "产业：旅游文化" in title and "县（市）区：永吉县" in title and f"{len(selection)} 个项目" in title
    else:
        assert "Sector: Tourism & culture" in title and "County: Yongji County" in title
        assert f"{len(selection)} projects" in title


def test_legend_lists_the_sectors_present_boards_and_transport_modes(data):
    selection = data.projects[data.projects["sector"].isin(["tourism_culture", "bio"])]
    fig = figure(selection, data, lang="en")
    sectors = " ".join(texts(fig, "legend:sector"))
    assert "Tourism & culture" in sectors and "Bio-industry" in sectors and "Energy" not in sectors
    boards = texts(fig, "legend:board")
    assert boards == [t("map.board_name", "en", name=b["short_en"]) for b in data.board_info]
    modes = set(texts(fig, "legend:transport"))
    assert modes == {t(f"mode.{m}", "en") for m in set(data.transport_frame["mode"])}
    symbols = texts(fig, "legend:symbol")
    assert t("precision.1", "en") in symbols and t("legend.county_badge", "en") in symbols


@pytest.mark.parametrize("page", ["png", "pdf_a4", "pdf_a3"])
@pytest.mark.parametrize("view", [ViewState(), FILTERED])
def test_the_scale_bar_states_its_drawn_length_within_two_percent(data, page, view):
    fig = figure(apply_filters(data.projects, view), data, page=page, view=view)
    bars = [p for p in fig.findobj() if getattr(p, "get_gid", lambda: None)() == "scalebar"]
    assert len(bars) == 2
    km = bars[0].scalebar_km
    ax = bars[0].axes
    left = min(b.get_window_extent().x0 for b in bars)
    right = max(b.get_window_extent().x1 for b in bars)
    y = bars[0].get_window_extent().y0
    (x0, y0), (x1, y1) = ax.transData.inverted().transform([(left, y), (right, y)])
    to_geo = Transformer.from_crs(METRIC, WGS84, always_xy=True)
    (lon0, lon1), (lat0, lat1) = to_geo.transform([x0, x1], [y0, y1])
    ground_km = Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat1)[2] / 1000
    assert ground_km == pytest.approx(km, rel=0.02)
    assert any(f"{km:g} km" == s for s in (a.get_text() for a in ax.texts))


def test_the_north_arrow_points_to_true_north(data):
    fig = figure(data.projects, data)
    arrow = next(p for p in fig.findobj() if getattr(p, "get_gid", lambda: None)() == "north")
    ax = arrow.axes
    cx, cy = np.mean(ax.get_xlim()), np.mean(ax.get_ylim())
    lon, lat = Transformer.from_crs(METRIC, WGS84, always_xy=True).transform(cx, cy)
    assert arrow.north_angle == pytest.approx(Proj(METRIC).get_factors(lon, lat).meridian_convergence, abs=0.05)
    assert arrow.north_angle != 0  # UTM grid north is not true north at Jilin (≈ 1.7° west of the zone's centre)


def _drawn_boxes(fig):
    boxes = []
    for artist in fig.findobj(lambda a: str(a.get_gid()).startswith(("label:", "badge:"))):
        patch = artist.get_bbox_patch()
        boxes.append((artist.get_text(), (patch or artist).get_window_extent()))
    return boxes


@pytest.mark.parametrize("page", ["png", "pdf_a4"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", [ViewState(), FILTERED])
def test_no_two_labels_overlap_and_counties_are_named(data, page, lang, view):
    fig = figure(apply_filters(data.projects, view), data, page=page, lang=lang, view=view)
    boxes = _drawn_boxes(fig)
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), (a, b)
    airports = [a.get_window_extent() for a in fig.findobj(lambda a: a.get_gid() == "airport")]
    assert airports  # the airport is drawn, and no name or number sits on it
    assert not [name for name, box in boxes for airport in airports if box.overlaps(airport)]
    names = set(texts(fig, "label:county"))
    if view == ViewState():
        assert len(names) == len(data.counties), names  # every county named (in its short form if need be)
    frame = fig.axes[0].get_window_extent()
    assert all(frame.x0 <= box.x0 and box.x1 <= frame.x1 for _, box in boxes)


def test_the_placer_shifts_or_drops_a_label_that_would_collide():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3), dpi=100)
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    same = [Label(5, 5, f"County {i}", "county", i, {"fontsize": 14}, badge=str(i)) for i in range(30)]
    drawn, dropped = place_labels(ax, same, renderer)
    assert drawn and dropped  # thirty labels on one spot: some move, the rest are left out
    fig.canvas.draw()
    boxes = _drawn_boxes(fig)
    assert len(boxes) == len(drawn) and len(boxes) < 60
    assert all(not a.overlaps(b) for (_, a), (_, b) in itertools.combinations(boxes, 2))
    assert "County 0" in [s for s, _ in boxes]  # the first by priority keeps its place


def test_the_qr_code_reads_back_as_the_view_url(data):
    import zxingcpp

    png = render_slide(data.projects, data, page="png", share_url=URL)
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert [r.text for r in found if r.format == zxingcpp.BarcodeFormat.QRCode] == [URL]
    fig = figure(data.projects, data, share_url=URL)
    qr = next(a for a in fig.axes if a.get_gid() == "qr")
    assert qr.qr_url == URL
    assert np.array_equal(1 - qr.images[0].get_array(), qr_matrix(URL))
    assert not [a for a in figure(data.projects, data).axes if a.get_gid() == "qr"]  # no URL, no code


@pytest.mark.parametrize("page", ["png", "pdf_a4", "pdf_a3"])
def test_an_empty_selection_renders_a_slide_that_says_so(data, page):
    empty = data.projects.iloc[0:0]
    out = export(empty, page, data=data, lang="en", view=ViewState(q="nothing"))
    assert out[:4] in (b"\x89PNG", b"%PDF")
    fig = figure(empty, data, lang="en", page=page)
    assert texts(fig, "empty") == [t("slide.empty", "en")]
    assert "0 projects" in "".join(texts(fig, "title"))


def test_hostile_names_render_literally(data):
    counties = data.counties.copy()
    counties.loc[counties.index[0], ["name", "name_en"]] = HOSTILE
    hostile = dataclasses.replace(data, counties=counties)
    selection = data.projects.head(40).copy()
    selection.loc[selection.index[0], ["name", "precision"]] = [HOSTILE, 6]
    view = ViewState(q=HOSTILE)
    fig = figure(selection, hostile, lang="zh", view=view)  # mathtext would raise on $\frac{}$
    assert HOSTILE in "".join(texts(fig, "title"))
    assert HOSTILE in texts(fig, "label:county") or HOSTILE not in texts(fig, "label:")
    notes = "".join(texts(fig, "legend:notes")).replace(" ", "")  # wrapped lines, joined
    assert HOSTILE.replace(" ", "") in notes  # the outside-the-city project, by name
    assert all(not a.get_parse_math() for a in fig.findobj(lambda a: hasattr(a, "get_parse_math")) if a.get_text())
    pdf = render_slide(selection, hostile, page="pdf_a4", view=view)
    assert "$\\frac{}$" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_filename_and_url_say_the_selection():
    assert slide_filename(FILTERED, 6, "pdf_a4") == "jilin-plan-atlas_tourism_culture_220221_6-projects.pdf"
    assert slide_filename(ViewState(q="../<x>"), 0, "png") == "jilin-plan-atlas_q-x_0-projects.png"
    assert view_url("https://atlas.example.org/app/", FILTERED).startswith("https://atlas.example.org/app/?")
    assert "county=220221" in view_url("https://atlas.example.org", FILTERED)
    assert view_url("javascript:alert(1)", FILTERED) is None and view_url("", FILTERED) is None


def test_a_slide_export_without_the_atlas_is_a_clear_error(data):
    with pytest.raises(InputFileError, match="needs the atlas"):
        export(data.projects, "png")


def test_the_export_panel_offers_slides_named_after_the_selection_with_the_view_qr(monkeypatch):
    import zxingcpp
    from apptest_helpers import open_tab, start

    monkeypatch.setenv("ATLAS_PUBLIC_URL", "https://atlas.example.org/fair")
    at = open_tab(start({"sector": "tourism_culture", "county": "220221", "lang": "en"}), "export")
    offered = set(at.selectbox(key="f_format").options)  # shown by their labels
    assert {t(f"format.{f}", "en") for f in ("png", "pdf_a4", "pdf_a3")} <= offered
    at.selectbox(key="f_format").set_value("pdf_a3").run()
    assert at.checkbox(key="f_slide_qr").value  # offered (a public URL is configured) and on
    at.button(key="btn_prepare").click().run()
    assert not at.exception
    fmt, _, pdf, name = at.session_state["_export"]
    assert fmt == "pdf_a3" and pdf.startswith(b"%PDF") and name.endswith("tourism_culture_220221_6-projects.pdf")
    assert "Tourism & culture" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    at.selectbox(key="f_format").set_value("png").run()
    at.button(key="btn_prepare").click().run()
    png = at.session_state["_export"][2]
    found = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))]
    assert len(found) == 1 and found[0].startswith("https://atlas.example.org/fair/?")
    assert "sector=tourism_culture" in found[0] and "county=220221" in found[0] and "lang=en" in found[0]


def test_an_empty_selection_exports_without_a_public_url_or_qr(monkeypatch):
    from apptest_helpers import open_tab, start

    monkeypatch.delenv("ATLAS_PUBLIC_URL", raising=False)
    at = open_tab(start({"q": "$\\frac{}$ no such project"}), "export")
    at.selectbox(key="f_format").set_value("pdf_a4").run()
    assert not [c for c in at.checkbox if c.key == "f_slide_qr"]  # no public URL: no QR offered
    at.button(key="btn_prepare").click().run()
    assert not at.exception and not at.error
    _, ids, pdf, name = at.session_state["_export"]
    assert ids == () and name.endswith("_0-projects.pdf")
    assert t("slide.empty", "zh") in PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\n", "")

"""PDF pages as images: the passage's and the query words' boxes land on their lines; cache; typed errors."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from jinasearch.core import pages
from jinasearch.core.pages import (
    MAX_PIXELS,
    PageCache,
    PageDamagedError,
    PageEncryptedError,
    PageMissingError,
    PageUnsupportedError,
    budget_scale,
    render_page,
)
from jinasearch.core.scan import record_path
from tests.core.docgen import pdf_bytes, write_encrypted_pdf, write_pdf

# docgen draws page text from (50, 800) on a 612 x 842 page, 14 points a line, 80 characters a line.
LEFT, TOP, LEADING, HEIGHT = 50, 800, 14, 842
GARDEN = (
    "Tomatoes need full sun and regular watering. Prune the side shoots every week so the plant puts "
    "its strength into the fruit. Compost improves heavy clay soil and feeds the plants slowly through "
    "the season."
)
PAGES = [
    "Orchard notes\n\nApple trees are pruned in winter while they are dormant and the cuts heal well.",
    "Garden Handbook    Chapter 2\n\n" + GARDEN + "\n\nHarvest the tomatoes when they are fully red.",
    "Bees and pollination: a hive needs water close by during the hot weeks of summer.",
]


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "garden.pdf", PAGES)


def baseline_px(line: int, scale: float) -> float:
    """Where docgen's line `line` (0-based, counting blank lines) sits in the image."""
    return (HEIGHT - (TOP - LEADING * line)) * scale


def test_the_passage_boxes_cover_its_lines_and_not_the_running_header(pdf: Path) -> None:
    # As the index holds it: the header dropped, whitespace collapsed, another case.
    passage = " ".join(GARDEN.upper().split())
    page = render_page(str(pdf), 2, scale=2.0, passage=passage)
    assert page.placement == "found"
    assert (page.page, page.pages) == (2, 3)
    assert (page.image.width, page.image.height) == (1224, 1684)
    assert len(page.image.data) == page.image.stride * page.image.height
    # Lines 2, 3 and 4 hold the passage (line 0: the header, line 1: blank); one box a line.
    assert len(page.passage) == 3
    for box, line in zip(page.passage, (2, 3, 4)):
        assert box.y0 < baseline_px(line, 2.0) < box.y1
        assert box.x0 == pytest.approx(LEFT * 2.0, abs=4)
    assert page.passage[0].y0 > baseline_px(0, 2.0)  # the header stays unmarked
    assert page.passage[-1].y1 < baseline_px(6, 2.0)  # so does the paragraph after it


def test_query_words_are_boxed_in_the_passage_and_apart_elsewhere(pdf: Path) -> None:
    page = render_page(str(pdf), 2, scale=1.0, passage=GARDEN, terms=["tomatoes", "Compost"])
    assert len(page.words) == 2  # "Tomatoes" and "Compost" in the passage
    assert all(any(p.y0 <= w.y0 and w.y1 <= p.y1 for p in page.passage) for w in page.words)
    (harvest,) = page.elsewhere  # "the tomatoes" of the next paragraph, past "Harvest"
    assert harvest.y0 < baseline_px(6, 1.0) < harvest.y1 and harvest.x0 > LEFT + 50
    turned = render_page(str(pdf), 2, scale=1.0, terms=["tomatoes"])  # no passage: the whole page's words
    assert len(turned.words) == 2 and turned.elsewhere == ()


def test_a_passage_joined_across_a_line_end_hyphen_is_found(tmp_path: Path) -> None:
    body = "The quick brown fox jumps over the lazy dog and then the shell reads a long com-mand from the input."
    path = write_pdf(tmp_path / "h.pdf", [body])
    page = render_page(str(path), 1, scale=1.0, passage=body.replace("com-mand", "command"), terms=["command"])
    assert page.placement == "found"
    assert len(page.passage) == 2 and len(page.words) == 2  # "com-" and "mand" on their two lines


def test_a_passage_that_is_not_on_the_page_still_shows_the_page(pdf: Path) -> None:
    page = render_page(str(pdf), 1, scale=1.0, passage="an entirely different paragraph about databases")
    assert page.placement == "missing"
    assert page.passage == () and page.image.width == 612
    assert render_page(str(pdf), 3, scale=1.0).placement == "none"  # a page turned to: nothing to place


def test_a_page_shown_again_comes_from_the_cache(pdf: Path) -> None:
    cache = PageCache()
    first = render_page(str(pdf), 2, scale=1.0, passage=GARDEN, cache=cache)
    again = render_page(str(pdf), 2, scale=1.0, passage="Harvest the tomatoes", cache=cache)
    assert not first.cached and again.cached
    assert again.image is first.image and again.passage != first.passage
    assert not render_page(str(pdf), 2, scale=1.5, cache=cache).cached  # another zoom is another picture


def test_the_cache_keeps_at_most_its_bytes(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "five.pdf", [f"Page {n} of the notes." for n in range(1, 6)])
    one = len(render_page(str(pdf), 1, scale=1.0).image.data)
    cache = PageCache(max_bytes=4 * one)
    for n in range(1, 6):
        render_page(str(pdf), n, scale=1.0, cache=cache)
    assert len(cache) == 4
    assert not render_page(str(pdf), 1, scale=1.0, cache=cache).cached  # the least recent went first
    assert render_page(str(pdf), 5, scale=1.0, cache=cache).cached


def test_a_page_over_a_quarter_of_the_cache_is_not_kept(pdf: Path) -> None:
    one = len(render_page(str(pdf), 1, scale=1.0).image.data)
    cache = PageCache(max_bytes=4 * one)
    render_page(str(pdf), 1, scale=1.0, cache=cache)
    render_page(str(pdf), 2, scale=2.0, cache=cache)  # four times the pixels
    assert len(cache) == 1 and render_page(str(pdf), 1, scale=1.0, cache=cache).cached
    assert not render_page(str(pdf), 2, scale=2.0, cache=cache).cached


A0 = (2384, 3370)  # points


def test_a_huge_page_at_a_big_zoom_is_drawn_within_the_pixel_budget() -> None:
    s = budget_scale(8.0, *A0)  # 514 megapixels asked for
    assert s < 8.0 and math.ceil(A0[0] * s) * math.ceil(A0[1] * s) <= MAX_PIXELS
    assert s > 0.99 * math.sqrt(MAX_PIXELS / (A0[0] * A0[1]))  # not much less than fits
    assert budget_scale(8.0, 612, 792) == 8.0  # a Letter page at the largest zoom fits whole


def test_render_page_keeps_to_the_pixel_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdfium2 as pdfium

    monkeypatch.setattr(pages, "MAX_PIXELS", 2_000_000)  # the budget scaled down: the test stays cheap
    path = tmp_path / "poster.pdf"
    doc = pdfium.PdfDocument.new()
    doc.new_page(*A0)
    doc.save(str(path))
    doc.close()
    page = render_page(str(path), 1, scale=8.0)
    assert page.image.width * page.image.height <= 2_000_000
    assert page.scale < 8.0 and page.image.width == math.ceil(A0[0] * page.scale)


def test_a_changed_file_is_drawn_again(pdf: Path) -> None:
    cache = PageCache()
    render_page(str(pdf), 1, scale=1.0, cache=cache)
    write_pdf(pdf, ["A rewritten first page", "and a second"])
    os.utime(pdf, ns=(1, 1))
    page = render_page(str(pdf), 1, scale=1.0, passage="A rewritten first page", cache=cache)
    assert not page.cached and page.pages == 2 and page.placement == "found"


def test_a_name_that_is_not_utf8_opens(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9-\xff.pdf"
    with open(raw, "wb") as fh:
        fh.write(write_pdf(tmp_path / "src.pdf", PAGES).read_bytes())
    page = render_page(record_path(os.fsdecode(raw)), 3, scale=1.0, passage=PAGES[2])
    assert page.placement == "found"


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_boxes_follow_a_rotated_page(tmp_path: Path, rotate: int) -> None:
    """The boxes sit where PDFium itself puts the page's characters (FPDF_PageToDevice)."""
    import ctypes
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(write_pdf(tmp_path / "r.pdf", PAGES).read_bytes())))
    writer.pages[1].rotate(rotate)
    path = tmp_path / "rotated.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    page = render_page(str(path), 2, scale=1.0, passage=GARDEN)
    assert page.placement == "found"
    doc = pdfium.PdfDocument(str(path))
    pg = doc[1]
    w, h = page.image.width, page.image.height
    assert (w, h) == ((842, 612) if rotate in (90, 270) else (612, 842))
    tp = pg.get_textpage()
    first = next(i for i in range(tp.count_chars()) if chr(pdfium_c.FPDFText_GetUnicode(tp, i)) == "T")
    left, bottom, right, top = tp.get_charbox(first, loose=True)
    dx, dy = ctypes.c_int(), ctypes.c_int()
    cx, cy = (left + right) / 2, (bottom + top) / 2
    pdfium_c.FPDF_PageToDevice(pg, 0, 0, w, h, 0, cx, cy, ctypes.byref(dx), ctypes.byref(dy))
    assert len(page.passage) == 3  # one box a line, however the line runs on screen
    assert any(b.x0 - 1 <= dx.value <= b.x1 + 1 and b.y0 - 1 <= dy.value <= b.y1 + 1 for b in page.passage)
    doc.close()


@pytest.mark.parametrize(
    ("content", "error"),
    [(b"%PDF-1.4 this is not really a pdf", PageDamagedError), (b"", PageDamagedError)],
)
def test_a_broken_pdf_is_a_typed_error(tmp_path: Path, content: bytes, error: type[Exception]) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(error):
        render_page(str(path), 1)


def test_a_brotli_pdf_pdfium_would_draw_blank_is_a_typed_error(tmp_path: Path) -> None:
    pytest.importorskip("brotli")
    path = tmp_path / "pdf20.pdf"
    path.write_bytes(pdf_bytes(PAGES, brotli=True))
    with pytest.raises(PageUnsupportedError):
        render_page(str(path), 1)


def test_an_encrypted_pdf_is_a_typed_error(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "secret.pdf", PAGES, user_password="s3cret")
    with pytest.raises(PageEncryptedError):
        render_page(str(path), 1)


def test_a_missing_file_or_page_is_a_typed_error(pdf: Path, tmp_path: Path) -> None:
    with pytest.raises(PageMissingError):
        render_page(str(tmp_path / "gone.pdf"), 1)
    with pytest.raises(PageMissingError):
        render_page(str(pdf), 4)

"""Pages without a text layer (a scanned PDF page, a PNG or JPEG image): the passage and the query's words
are boxed where they were drawn once OCR has read the page; a missing or failing Tesseract leaves the page
unmarked with the reason; OCR's words are kept for the session, not read again at another zoom."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import ocr
from jinasearch.core.extract.ocr import OcrUnavailableError, OcrWord
from jinasearch.core.extract.ocr import tesseract as tess
from jinasearch.core.page_ocr import layout_of
from jinasearch.core.pagemarks import find_terms, locate
from jinasearch.core.pages import Box, PageCache, render_page
from tests.core.scanned_docs import FONT, need_tesseract, page_image, write_scanned_pdf

LINES = [
    "Orchard notes for the winter months",
    "Tomatoes need full sun and regular watering.",
    "Prune the side shoots every week in summer.",
    "Compost feeds heavy clay soil slowly.",
]
PASSAGE = "Tomatoes need full sun and regular watering. Prune the side shoots every week in summer."
# scanned_docs.page_image draws line i at (150, 200 + 80 i) in DejaVu Sans 44 px, on a 200 dpi page.
X0, Y0, LEADING, SIZE, DPI = 150, 200, 80, 44, 200
TOL = 3.0  # preview pixels: Tesseract's boxes hug the ink, give or take its edge's antialiasing
# TSV's boxes are whole words: where the letters of "summer." end is estimated (page_ocr._widths), within
# about a third of a letter (~10 of the drawn pixels at 44 px).
SLICE = 10.0


def ink(line: int, word: str, px_per_image_px: float) -> Box:
    """Where `word` of LINES[line] was drawn, in the pixels of the page shown at that many a drawn pixel."""
    from PIL import ImageFont

    font = ImageFont.truetype(str(FONT), SIZE)
    text = LINES[line]
    left = X0 + font.getlength(text[: text.index(word)])
    bx0, by0, bx1, by1 = font.getbbox(word)
    top = Y0 + line * LEADING
    f = px_per_image_px
    return Box((left + bx0) * f, (top + by0) * f, (left + bx1) * f, (top + by1) * f)


def covers(box: Box, want: Box) -> bool:
    """`box` holds `want` and is no more than TOL larger on any side."""
    edges = zip((box.x0, box.y0, -box.x1, -box.y1), (want.x0, want.y0, -want.x1, -want.y1), strict=True)
    return all(want_edge - TOL <= edge <= want_edge + TOL for edge, want_edge in edges)


def holds(box: Box, want: Box, slack: float = TOL) -> bool:
    """`box` holds `want`, within `slack` on each side."""
    return (
        box.x0 <= want.x0 + slack
        and box.y0 <= want.y0 + slack
        and box.x1 >= want.x1 - slack
        and box.y1 >= want.y1 - slack
    )


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    return write_scanned_pdf(tmp_path / "garden.pdf", [LINES], text_pages=["A cover page with a text layer."])


def test_a_scanned_pdf_page_boxes_the_passage_and_a_query_word_where_they_were_drawn(scan: Path) -> None:
    need_tesseract()
    scale = 1.5  # pixels a point: the page was drawn at 200 dpi, so a drawn pixel is 72/200 of a point
    page = render_page(str(scan), 2, scale=scale, passage=PASSAGE, terms=["shoots"], ocr=True)
    assert page.marks == "ocr" and page.unread is None and page.placement == "found"
    f = scale * 72 / DPI
    (shoots,) = page.words
    assert covers(shoots, ink(2, "shoots", f))
    first, second = page.passage  # one box a line, the passage's two lines and not the others
    assert holds(first, ink(1, "Tomatoes", f)) and holds(first, ink(1, "watering", f), SLICE * f)
    assert holds(second, ink(2, "Prune", f)) and holds(second, ink(2, "summer", f), SLICE * f)  # not its "."
    assert first.y1 < ink(2, "Prune", f).y0 and first.y0 > ink(0, "Orchard", f).y1
    assert page.elsewhere == ()


@pytest.mark.parametrize("suffix", [".png", ".jpg"])
def test_an_image_boxes_the_passage_and_a_query_word_where_they_were_drawn(tmp_path: Path, suffix: str) -> None:
    need_tesseract()
    path = tmp_path / f"note{suffix}"
    page_image(LINES, size=(1300, 600)).save(path)
    scale = 0.5  # screen pixels an image pixel
    page = render_page(str(path), 1, scale=scale, passage=PASSAGE, terms=["compost"], ocr=True)
    assert page.marks == "ocr" and page.pages == 1 and (page.image.width, page.image.height) == (650, 300)
    assert page.placement == "found" and len(page.passage) == 2
    assert holds(page.passage[0], ink(1, "Tomatoes", scale)) and holds(page.passage[1], ink(2, "summer", scale), SLICE)
    (compost,) = page.elsewhere  # a query word outside the passage: marked apart
    assert covers(compost, ink(3, "Compost", scale)) and page.words == ()


def test_ocr_is_read_once_and_kept_whatever_the_zoom(scan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need_tesseract()
    calls: list[int] = []
    real = ocr.read_words
    monkeypatch.setattr(ocr, "read_words", lambda *a, **k: calls.append(1) or real(*a, **k))
    cache = PageCache()
    waiting = render_page(str(scan), 2, scale=1.0, passage=PASSAGE, cache=cache)
    assert waiting.marks == "reading" and waiting.passage == () and waiting.image.width == 612 and calls == []
    assert render_page(str(scan), 2, scale=1.0, passage=PASSAGE, cache=cache, ocr=True).marks == "ocr"
    zoomed = render_page(str(scan), 2, scale=2.0, passage=PASSAGE, cache=cache)  # at another zoom: no OCR
    assert zoomed.marks == "ocr" and zoomed.passage and calls == [1]
    cover = render_page(str(scan), 1, scale=1.0, passage="A cover page", cache=cache, ocr=True)
    assert cover.marks == "text" and cover.passage and calls == [1]  # a text layer is never read by OCR


def test_without_tesseract_the_page_is_shown_unmarked_with_the_reason(
    scan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tess, "find_binary", lambda: None)
    monkeypatch.setattr(ocr, "_ENGINES", {})
    cache = PageCache()
    page = render_page(str(scan), 2, scale=1.0, passage=PASSAGE, terms=["shoots"], cache=cache, ocr=True)
    assert page.marks == "unread" and isinstance(page.unread, OcrUnavailableError)
    assert "install" in page.unread.fix and page.image.width == 612
    assert page.passage == page.words == page.elsewhere == ()
    # Not kept: Tesseract installed meanwhile marks the page the next time it is shown.
    assert render_page(str(scan), 2, scale=1.0, passage=PASSAGE, cache=cache).marks == "reading"


def stand_in_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, then: str) -> Path:
    """A tesseract that knows English, notes each run in the file it returns, then does `then`."""
    runs = tmp_path / "runs"
    script = tmp_path / "tesseract"
    script.write_text(f'#!/bin/sh\nif [ "$1" = --list-langs ]; then echo eng; exit 0; fi\necho run >> {runs}\n{then}\n')
    script.chmod(0o755)
    monkeypatch.setattr(ocr, "_ENGINES", {"tesseract": tess.TesseractEngine(script)})
    return runs


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in tesseract is a shell script")
def test_a_failing_tesseract_leaves_the_page_unmarked_and_is_not_run_again(
    scan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = stand_in_tesseract(tmp_path, monkeypatch, "echo 'Error in pixReadMem' >&2; exit 1")
    cache = PageCache()
    page = render_page(str(scan), 2, scale=1.0, passage=PASSAGE, cache=cache, ocr=True)
    assert page.marks == "unread" and isinstance(page.unread, ExtractionError) and "pixReadMem" in str(page.unread)
    again = render_page(str(scan), 2, scale=2.0, passage=PASSAGE, cache=cache, ocr=True)
    assert again.marks == "unread" and runs.read_text().count("run") == 1


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in tesseract is a shell script")
def test_a_tesseract_killed_on_a_busy_machine_is_tried_again_at_the_next_showing(
    scan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash says more about the machine than the page (as indexing's OCR pass judges it): not kept."""
    runs = stand_in_tesseract(tmp_path, monkeypatch, "kill -9 $$")
    cache = PageCache()
    page = render_page(str(scan), 2, scale=1.0, passage=PASSAGE, cache=cache, ocr=True)
    assert page.marks == "unread" and isinstance(page.unread, ocr.OcrCrashedError)
    assert render_page(str(scan), 2, scale=1.0, passage=PASSAGE, cache=cache).marks == "reading"  # not kept
    render_page(str(scan), 2, scale=1.0, passage=PASSAGE, cache=cache, ocr=True)
    assert runs.read_text().count("run") == 2


def test_ocr_words_become_pagemarks_words_and_boxes() -> None:
    words = [
        OcrWord("Prune", 100, 50, 200, 80, 96.0, (1, 1, 1, 1)),
        OcrWord("(shoots),", 220, 50, 400, 80, 95.0, (1, 1, 1, 1)),
        OcrWord("weekly", 100, 100, 220, 130, 90.0, (1, 1, 1, 2)),
    ]
    layout = layout_of(words, (500.0, 300.0))
    assert [w.text for w in layout.words] == ["prune", "shoots", "weekly"]
    (hit,) = find_terms(layout.words, ["shoots"])
    left = min(b[0] for b in layout.boxes[hit[0] : hit[1]] if b)
    assert left == pytest.approx(232)  # "(shoots),": 180 px in 7.5 shares, half a share the bracket
    assert layout.boxes[0] == (100, 300 - 80, 120, 300 - 50)  # page space: y counted up from the bottom
    assert locate(layout.words, "prune shoots weekly").placement == "found"

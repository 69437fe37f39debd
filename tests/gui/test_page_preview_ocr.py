"""A hit on a scanned PDF page or an image is previewed as its page: shown at once with a note that its
words are being read, then marked once OCR has read them; without Tesseract the page stays unmarked with
the reason, never an error dialog and never the text view."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.extract import ocr
from jinasearch.core.extract.ocr import tesseract as tess
from jinasearch.core.models import Hit
from jinasearch.gui.page_view import READING, PageView
from tests.core.scanned_docs import need_tesseract, page_image, write_scanned_pdf
from tests.gui.helpers import index_folder, search

LINES = ["Tomatoes need full sun and regular watering.", "Prune the side shoots every week in summer."]
PASSAGE = " ".join(LINES)


def _hit(path: Path, page: int) -> Hit:
    start = PASSAGE.index("shoots")
    return Hit(1, 1, str(path), page, 1.0, PASSAGE, 0, len(PASSAGE), ("keyword",), ((start, start + 6),))


def _view(qtbot) -> tuple[PageView, list[object], list[object]]:  # type: ignore[no-untyped-def]
    view = PageView()
    qtbot.addWidget(view)
    view.resize(700, 800)
    view.show()
    shown: list[object] = []
    failed: list[object] = []
    view.shown.connect(shown.append)
    view.failed.connect(failed.append)
    return view, shown, failed


def test_a_scanned_page_shows_at_once_then_its_marks(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    need_tesseract()
    scan = write_scanned_pdf(tmp_path / "garden.pdf", [LINES], text_pages=["A cover page."])
    view, shown, failed = _view(qtbot)
    view.show_hits([_hit(scan, 2)], _hit(scan, 2))
    qtbot.waitUntil(lambda: view.rendered is not None and view.rendered.marks == "ocr", timeout=30_000)
    assert shown[0].marks == "reading" and shown[0].image.width > 0  # the page first, unmarked
    page = view.rendered
    assert page.placement == "found" and len(page.passage) == 2 and len(page.words) == 1
    assert not view.note.isVisibleTo(view) and failed == []
    view.wait_idle()


def test_the_wait_is_said_until_the_words_are_read(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import threading

    from jinasearch.core import page_ocr

    scan = write_scanned_pdf(tmp_path / "slow.pdf", [LINES])
    release = threading.Event()

    def slow_ocr(*_args: object) -> page_ocr.OcrMarks:  # OCR that takes until the test has looked
        release.wait(10)
        return page_ocr.OcrMarks(None, ocr.OcrTimeoutError(30))

    monkeypatch.setattr(page_ocr, "read_marks", slow_ocr)
    view, shown, _failed = _view(qtbot)
    view.show_hits([_hit(scan, 1)], _hit(scan, 1))
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown[0].marks == "reading" and view.note.isVisibleTo(view) and view.note.text() == READING
    assert view.canvas.width() > 0  # the page is there to look at meanwhile
    release.set()
    qtbot.waitUntil(lambda: view.rendered.marks == "unread", timeout=10_000)
    assert "took over 30 s" in view.note.text()
    view.wait_idle()


def test_without_tesseract_the_page_shows_unmarked_with_the_reason(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication, QMessageBox

    monkeypatch.setattr(tess, "find_binary", lambda: None)
    monkeypatch.setattr(ocr, "_ENGINES", {})
    path = tmp_path / "note.png"
    page_image(LINES, size=(1300, 500)).save(path)
    view, _shown, failed = _view(qtbot)
    view.show_hits([_hit(path, 1)], _hit(path, 1))
    qtbot.waitUntil(lambda: view.rendered is not None and view.rendered.marks == "unread", timeout=10_000)
    assert view.rendered.passage == () and view.canvas.width() > 0 and failed == []
    assert view.note.isVisibleTo(view) and "could not be read" in view.note.text()
    assert "install Tesseract" in view.note.text()  # what to do about it
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    view.wait_idle()


def test_an_image_hit_in_the_window_shows_its_page_marked(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    need_tesseract()
    root = tmp_path / "notes"
    root.mkdir()
    page_image(LINES, size=(1300, 500)).save(root / "garden-note.png")
    (root / "other.txt").write_text("Seed potatoes go in when the soil is warm.", "utf-8")
    w = make_window()
    index_folder(qtbot, w, root, timeout=60_000)
    search(qtbot, w, "shoots")
    row = next(i for i, h in enumerate(w.results.model.hits) if h.path.endswith(".png"))
    hit = w.results.model.hit(row)
    assert hit.page == 1
    view = w.preview.page_view
    w.results.list.setCurrentIndex(w.results.model.index(row))
    qtbot.waitUntil(lambda: view.rendered is not None and view.rendered.marks == "ocr", timeout=30_000)
    assert w.preview.stack.currentWidget() is view and view.rendered.words
    assert "page 1 of 1" in view.where.text()
    view.wait_idle()

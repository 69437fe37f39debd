"""A PDF hit is previewed as its page, the passage and the query's words marked; hit and page keys;
a PDF whose pages cannot be drawn says so and shows the text; other formats keep the text preview."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.pages import PageDamagedError
from tests.core.docgen import write_pdf
from tests.gui.helpers import index_folder, search

PAGES = [
    "Tomatoes need full sun and regular watering. Prune the side shoots of the tomatoes every week.",
    "Apple trees are pruned in winter while they are dormant and the cuts heal well before spring.",
    "Late blight spreads fast on tomatoes in wet weather: remove the spotted leaves and burn them.",
    "Bees need water close by during the hot weeks of summer, and a sheltered place for the hive.",
    "Harvest the tomatoes when they are fully red; green ones ripen indoors on a sunny windowsill.",
]


@pytest.fixture
def garden(tmp_path: Path) -> Path:
    root = tmp_path / "garden"
    root.mkdir()
    write_pdf(root / "handbook.pdf", PAGES)
    (root / "notes.txt").write_text("Seed potatoes go in when the soil is warm; tomatoes wait for May.", "utf-8")
    return root


def pdf_hit_row(w) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, h in enumerate(w.results.model.hits) if h.path.endswith(".pdf"))


def settle(qtbot, w) -> None:  # type: ignore[no-untyped-def]
    """Let the window lay out the new results (the preview's width changes, and the page is fitted anew)."""
    view = w.preview.page_view
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not view._refit.isActive() and view.wait_idle(0), timeout=10_000)
    qtbot.wait(50)


def select(qtbot, w, row: int, signal):  # type: ignore[no-untyped-def]
    """Select the notes first (the list selects its first row itself), then `row`, as a person clicks."""
    settle(qtbot, w)
    other = next(i for i, h in enumerate(w.results.model.hits) if h.path.endswith(".txt"))
    w.results.list.setCurrentIndex(w.results.model.index(other))
    with qtbot.waitSignal(signal, timeout=10_000) as blocker:
        w.results.list.setCurrentIndex(w.results.model.index(row))
    return blocker.args[0]


def test_a_pdf_hit_shows_its_page_with_the_passage_and_words_marked(qtbot, make_window, garden: Path) -> None:
    w = make_window()
    index_folder(qtbot, w, garden)
    search(qtbot, w, "tomatoes")
    view = w.preview.page_view
    row = pdf_hit_row(w)
    hit = w.results.model.hit(row)
    page = select(qtbot, w, row, view.shown)
    assert w.preview.stack.currentWidget() is view
    assert page.page == hit.page and page.pages == 5
    assert page.placement == "found" and page.passage and page.words
    assert view.canvas.width() == pytest.approx(page.image.width / view.devicePixelRatioF(), abs=1)
    assert "page" in view.where.text() and "of 5" in view.where.text()
    # The text arriving afterwards (the window asks for it) leaves the page as it is.
    qtbot.wait(300)
    assert w.preview.stack.currentWidget() is view and view.rendered is page


def test_next_and_previous_hit_and_page_keys(qtbot, make_window, garden: Path) -> None:
    w = make_window()
    index_folder(qtbot, w, garden)
    search(qtbot, w, "tomatoes")
    view = w.preview.page_view
    select(qtbot, w, pdf_hit_row(w), view.shown)
    assert [h.page for h in view.hits] == [1, 3, 5]  # the file's hits the list holds, in page order
    start = view.index
    with qtbot.waitSignal(view.shown, timeout=10_000) as shown:
        view.buttons["next_hit"].click()
    nxt = view.hits[(start + 1) % 3]
    assert shown.args[0].page == nxt.page and shown.args[0].passage
    assert w.preview.hit is nxt and f"p. {nxt.page}" in w.preview.title.text()
    with qtbot.waitSignal(view.shown, timeout=10_000) as shown:
        view.buttons["prev_hit"].click()
    assert shown.args[0].page == view.hits[start].page
    view.go_to_hit(0)
    qtbot.waitUntil(lambda: view.rendered is not None and view.rendered.page == 1, timeout=10_000)
    with qtbot.waitSignal(view.shown, timeout=10_000) as shown:
        view.buttons["next_page"].click()
    assert shown.args[0].page == 2 and shown.args[0].passage == () and shown.args[0].placement == "none"
    assert shown.args[0].words == ()  # page 2 has no "tomatoes"
    with qtbot.waitSignal(view.shown, timeout=10_000) as shown:
        view.buttons["next_page"].click()
    assert shown.args[0].page == 3 and shown.args[0].passage  # a page holding a hit shows it marked
    assert view.hit is not None and view.hit.page == 3
    with qtbot.waitSignal(view.shown, timeout=10_000) as shown:
        view.page_up()
    assert shown.args[0].page == 2
    fit = shown.args[0].scale
    with qtbot.waitSignal(view.shown, timeout=10_000) as shown:
        view.buttons["zoom_in"].click()
    assert shown.args[0].scale > fit
    with qtbot.waitSignal(view.shown, timeout=10_000) as shown:
        view.buttons["fit"].click()
    assert shown.args[0].scale == pytest.approx(fit, rel=0.03)


def test_a_pdf_that_cannot_be_drawn_says_so_and_shows_the_text(qtbot, make_window, garden: Path) -> None:
    w = make_window()
    index_folder(qtbot, w, garden)
    (garden / "handbook.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")  # damaged since it was indexed
    errors: list[object] = []
    w.preview.page_view.failed.connect(errors.append)
    search(qtbot, w, "tomatoes")
    assert w.results.model.hit(0).path.endswith(".pdf")  # the list selects it at once
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert [type(e) for e in errors] == [PageDamagedError]
    assert w.preview.stack.currentWidget() is w.preview.text
    assert w.preview.notice.isVisibleTo(w.preview) and "cannot be shown" in w.preview.notice.text()
    qtbot.waitUntil(lambda: "Prune the side shoots" in w.preview.text.toPlainText(), timeout=10_000)
    # The file's other hits go straight to the text, with the same notice.
    settle(qtbot, w)
    w.preview.page_view.next_hit()  # not on show: nothing happens to the text
    assert w.preview.stack.currentWidget() is w.preview.text and len(errors) == 1


def test_other_formats_keep_the_text_preview(qtbot, make_window, garden: Path) -> None:
    w = make_window()
    index_folder(qtbot, w, garden)
    search(qtbot, w, "tomatoes")
    row = next(i for i, h in enumerate(w.results.model.hits) if h.path.endswith(".txt"))
    w.results.list.setCurrentIndex(w.results.model.index(row))
    qtbot.waitUntil(lambda: "potatoes" in w.preview.text.toPlainText())
    assert w.preview.stack.currentWidget() is w.preview.text and not w.preview.notice.isVisibleTo(w.preview)
    assert w.preview.title.text().startswith("notes.txt")


def test_page_down_scrolls_a_tall_page_then_turns_it(qtbot, make_window, garden: Path) -> None:
    from PySide6.QtCore import Qt

    w = make_window()
    index_folder(qtbot, w, garden)
    search(qtbot, w, "tomatoes")
    view = w.preview.page_view
    select(qtbot, w, pdf_hit_row(w), view.shown)
    with qtbot.waitSignal(view.shown, timeout=10_000):
        view._zoom_to(4.0)  # far taller than the pane
    bar = view.scroll.verticalScrollBar()
    page = view.rendered.page
    view.scroll.setFocus()
    bar.setValue(0)
    qtbot.keyClick(view.scroll, Qt.Key.Key_PageDown)
    assert bar.value() > 0 and view.page == page  # scrolled, not turned
    bar.setValue(bar.maximum())
    with qtbot.waitSignal(view.shown, timeout=10_000) as shown:
        qtbot.keyClick(view.scroll, Qt.Key.Key_PageDown)
    assert shown.args[0].page == page + 1 and bar.value() == 0  # the next page, from its top
    with qtbot.waitSignal(view.shown, timeout=10_000) as shown:
        qtbot.keyClick(view.scroll, Qt.Key.Key_PageUp)
    assert shown.args[0].page == page


@pytest.mark.parametrize("size", [(40, 400), (16000, 100)], ids=["narrow", "wide"])
def test_a_page_past_the_scale_bounds_is_drawn_twice_at_most(qtbot, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    # Fitting the width asks for more than render_page's bounds (8x; 0.05x): it draws at the bound.
    import pypdfium2 as pdfium

    from jinasearch.core.models import Hit
    from jinasearch.gui.page_view import PageView

    path = tmp_path / "strip.pdf"
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(*size)
    pdf.save(str(path))
    pdf.close()
    hit = Hit(1, 1, str(path), 1, 1.0, "nothing here", 0, 12, ("keyword",))
    view = PageView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    shown: list[object] = []
    view.shown.connect(shown.append)
    view.show_hits([hit], hit)
    qtbot.waitUntil(lambda: len(shown) >= 2, timeout=10_000)  # the guess, then the page's own width
    with qtbot.assertNotEmitted(view.shown, wait=500):
        pass
    assert len(shown) == 2 and view.rendered is not None and view.rendered.scale in (0.05, 8.0)
    view.wait_idle()


def test_a_new_query_with_the_same_top_passage_marks_its_own_words(qtbot, make_window, tmp_path: Path) -> None:
    write_pdf(tmp_path / "handbook.pdf", PAGES)  # alone: its page 1 is the top hit of both queries
    w = make_window()
    index_folder(qtbot, w, tmp_path)
    view = w.preview.page_view
    search(qtbot, w, "tomatoes")
    settle(qtbot, w)
    first, before = w.results.model.hit(0), view.rendered
    search(qtbot, w, "tomatoes prune side shoots")
    settle(qtbot, w)
    top = w.results.model.hit(0)
    assert top.passage_id == first.passage_id and top.term_spans != first.term_spans
    assert w.preview.hit is not None and w.preview.hit.term_spans == top.term_spans
    assert top.passage_id in [h.passage_id for h in view.hits]
    assert all(h.term_spans == top.term_spans for h in view.hits if h.passage_id == top.passage_id)
    assert view.rendered is not before and len(view.rendered.words) > len(before.words)


def test_a_pdf_mended_since_it_could_not_be_drawn_shows_its_pages(qtbot, make_window, garden: Path) -> None:
    w = make_window()
    index_folder(qtbot, w, garden)
    pdf = garden / "handbook.pdf"
    good = pdf.read_bytes()
    pdf.write_bytes(b"%PDF-1.4 this is not really a pdf")
    view = w.preview.page_view
    with qtbot.waitSignal(view.failed, timeout=10_000):
        search(qtbot, w, "tomatoes")
    qtbot.waitUntil(lambda: w.preview.stack.currentWidget() is w.preview.text, timeout=10_000)
    pdf.write_bytes(good)  # another size: the file is not the one that failed
    page = select(qtbot, w, pdf_hit_row(w), view.shown)
    assert page.placement == "found" and w.preview.stack.currentWidget() is view
    assert not w.preview.notice.isVisibleTo(w.preview)

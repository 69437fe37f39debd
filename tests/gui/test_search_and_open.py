"""Typing shows ranked, highlighted results; selecting previews the passage; open calls the system opener."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

from jinasearch.gui.results import card_for, passage_document
from tests.gui.helpers import index_folder, painted_spans, search


def test_typing_shows_ranked_results_with_painted_highlights(qtbot, make_window, docs: Path) -> None:
    w = make_window()
    index_folder(qtbot, w, docs)
    with qtbot.waitSignal(
        w.controller.sentences, timeout=30_000, check_params_cb=lambda seq, _spans: seq == w.session.seq
    ):
        hits = search(qtbot, w, "invoice payment due")
    assert hits and hits[0].path == str(docs / "invoice.md")
    # The results come first with word highlights; the best sentences follow in a second signal.
    assert all(h.sentence_span is None and h.term_spans for h in hits[:1])
    # One row per file (its best passage); the file's other passages are folded behind it.
    firsts = [h for i, h in enumerate(hits) if i == 0 or hits[i - 1].doc_id != h.doc_id]
    assert [w.results.model.hit(i).passage_id for i in range(w.results.model.rowCount())] == [
        h.passage_id for h in firsts
    ]
    assert w.results.currentWidget() is w.results.list_page
    top = w.results.model.hit(0)
    assert top is not None and top.passage_id == hits[0].passage_id
    assert set(top.sources) == {"keyword", "semantic"}
    # What the delegate paints: every engine span, query words as 'term', the best sentence as 'sentence'.
    card = card_for(top)
    doc = passage_document(card, w.results.list.font(), 400)
    painted = painted_spans(doc)
    words = {card.text[s:e].lower() for s, e, k in painted if k == "term"}
    assert {"invoice", "payment", "due"} <= words
    assert top.sentence_span is not None
    s, e = top.sentence_span
    assert any(k == "sentence" for *_x, k in painted) or s == e
    # Term runs line up exactly with the engine's term spans.
    expected = {top.text[a:b].lower() for a, b in top.term_spans}
    assert words == expected
    assert card.badge == "keyword + semantic"
    size = w.results.delegate.sizeHint(_option(w), w.results.model.index(0))
    assert size.height() > doc.size().height()  # title, folder line and the passage all fit


def _option(w):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QStyleOptionViewItem

    opt = QStyleOptionViewItem()
    opt.initFrom(w.results.list)
    opt.rect = w.results.list.viewport().rect()
    return opt


def test_selecting_a_result_fills_the_preview_scrolled_to_the_passage(qtbot, make_window, tmp_path: Path) -> None:
    folder = tmp_path / "long"
    folder.mkdir()
    filler = "\n\n".join(f"Paragraph {i} talks about weather and clouds over the hills." for i in range(150))
    (folder / "report.txt").write_text(
        filler + "\n\nThe quarterly budget for lighthouse repairs is approved.\n\n" + filler, encoding="utf-8"
    )
    w = make_window()
    index_folder(qtbot, w, folder)
    with qtbot.waitSignal(w.controller.preview, timeout=10_000):
        hits = search(qtbot, w, "lighthouse budget")
    top = hits[0]
    assert "lighthouse" in top.text
    assert w.preview.hit is not None and w.preview.hit.passage_id == top.passage_id
    # The best sentence, arriving after the results, is painted in the preview too.
    qtbot.waitUntil(lambda: w.preview.hit.sentence_span is not None, timeout=10_000)
    text = w.preview.text.toPlainText()
    assert len(text) > len(top.text) and text[top.char_start : top.char_end] == top.text
    start, end = w.preview.passage_range
    assert (start, end) == (top.char_start, top.char_end)  # ASCII: UTF-16 offsets equal
    kinds = [sel.format.background().color().name() for sel in w.preview.text.extraSelections()]
    assert "#ffb74d" in kinds  # query words marked in the preview too
    assert w.preview.text.verticalScrollBar().value() > 0  # scrolled down to the passage
    assert w.preview.text.textCursor().position() == start


def test_open_actions_call_the_system_opener_with_the_right_path(qtbot, make_window, docs: Path, monkeypatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    w = make_window()
    index_folder(qtbot, w, docs)
    hits = search(qtbot, w, "train to Lisbon passport")
    assert hits[0].path == str(docs / "sub" / "travel.txt")
    w.results.list.setFocus()
    qtbot.keyClick(w.results.list, Qt.Key.Key_Return)
    assert [u.toLocalFile() for u in opened] == [hits[0].path]
    w.results.reveal_action.trigger()
    assert opened[-1].toLocalFile() == str(docs / "sub")
    w.results.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == hits[0].path
    w.preview.open_btn.click()
    assert opened[-1].toLocalFile() == hits[0].path


def test_with_no_opener_the_window_says_so_and_offers_the_path(qtbot, make_window, docs: Path, monkeypatch) -> None:
    """No application answers (a bare desktop): not silence on stderr, but a message and Copy path."""
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    w = make_window()
    index_folder(qtbot, w, docs)
    hits = search(qtbot, w, "train to Lisbon passport")
    w.results.list.setFocus()
    qtbot.keyClick(w.results.list, Qt.Key.Key_Return)
    assert w.banner.isVisible() and "Could not open travel.txt" in w.banner.text.text()
    assert w.banner.action.text() == "Copy path"
    QGuiApplication.clipboard().setText("")
    w.banner.action.click()
    assert QGuiApplication.clipboard().text() == hits[0].path and not w.banner.isVisible()
    w.results.reveal_action.trigger()
    assert "Could not show the folder of travel.txt" in w.banner.text.text()


def test_filters_and_empty_states(qtbot, make_window, docs: Path) -> None:
    w = make_window()
    index_folder(qtbot, w, docs)
    hits = search(qtbot, w, "passport")
    assert hits
    latest = dict(timeout=10_000, check_params_cb=lambda seq, _h, _n, _e: seq == w.session.seq)
    with qtbot.waitSignal(w.controller.results, **latest) as res:
        w.search_bar.type.setCurrentText("Text & Markdown")
    assert res.args[1]
    with qtbot.waitSignal(w.controller.results, **latest) as res:
        w.search_bar.folder.setCurrentIndex(w.search_bar.folder.findData(str(docs)))
        w.search_bar.type.setCurrentText("PDF")
    assert res.args[1] == []
    assert "No passages match" in w.results.empty.text() and w.results.currentWidget() is w.results.empty_page


def test_ctrl_k_and_ctrl_f_focus_the_search_field(qtbot, make_window) -> None:
    w = make_window()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5_000)  # shortcuts only reach the active window
    for key in (Qt.Key.Key_K, Qt.Key.Key_F):
        w.folders.tree.setFocus()
        assert w.focusWidget() is w.folders.tree
        qtbot.keyClick(w.folders.tree, key, Qt.KeyboardModifier.ControlModifier)  # the real key press
        assert w.focusWidget() is w.search_bar.field


def test_no_close_matches_offers_the_nearest_results_on_request(qtbot, make_window, docs: Path, monkeypatch) -> None:
    from jinasearch.core.retrieval import floor

    monkeypatch.setitem(floor.FLOORS, "fake-embedder", floor.Floor(cosine=0.999))  # nothing is close in meaning
    w = make_window()
    index_folder(qtbot, w, docs)
    hits = search(qtbot, w, "sunny weather forecast marathon")  # no passage holds these words either
    assert hits and not any(h.close for h in hits)  # the window got them, marked weak
    assert w.results.currentWidget() is w.results.empty_page and "No close matches" in w.results.empty.text()
    assert w.results.weak_btn.isVisible() and "nearest results" in w.results.weak_btn.text()
    w.results.weak_btn.click()
    assert w.results.currentWidget() is w.results.list_page and w.results.model.rowCount() > 0


def test_a_query_with_only_weak_hits_clears_the_previous_preview(qtbot, make_window, docs: Path, monkeypatch) -> None:
    from jinasearch.core.retrieval import floor

    monkeypatch.setitem(floor.FLOORS, "fake-embedder", floor.Floor(cosine=0.999))  # only words make a hit close
    w = make_window()
    index_folder(qtbot, w, docs)
    with qtbot.waitSignal(w.controller.preview, timeout=10_000):
        hits = search(qtbot, w, "tomatoes watering")
    assert hits[0].close and w.preview.hit is not None
    hits = search(qtbot, w, "sunny weather forecast marathon")
    assert hits and not any(h.close for h in hits)
    assert w.preview.hit is None


def test_a_query_shows_a_sign_of_work_then_the_count(qtbot, make_window, docs: Path) -> None:
    w = make_window()
    index_folder(qtbot, w, docs)
    with qtbot.waitSignal(w.controller.results, timeout=10_000):
        w.run_search("train to Lisbon passport")
        assert w.statusBar().currentMessage() == "Searching…"  # before any result came back
    files = len({h.path for h in w.results.model.hits})
    assert files > 0 and w.statusBar().currentMessage().startswith(f"{files} file")

"""Small helpers shared by the GUI tests."""

from __future__ import annotations

import warnings
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QTextDocument
from PySide6.QtWidgets import QApplication, QWidget

from jinasearch.core.jobs import FolderState
from jinasearch.gui.results import SENTENCE_BG, TERM_BG


def drop_urls(widget: QWidget, urls: list[QUrl]) -> QDropEvent:
    """Deliver a real QDropEvent carrying `urls` to `widget`, as a file manager drop would."""
    mime = QMimeData()
    mime.setUrls(urls)
    # Qt delivers a drop only to a widget that accepted the drag's entry, as a real drag does.
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    with warnings.catch_warnings():  # PySide6 flags the only constructor Qt 6 offers as deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            pos.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        )
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted(), "the window refused the drag"
    event = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return event


def drop_paths(widget: QWidget, paths: list[Path]) -> QDropEvent:
    return drop_urls(widget, [QUrl.fromLocalFile(str(p)) for p in paths])


def index_folder(qtbot, window, folder: Path, timeout: int = 30_000):  # type: ignore[no-untyped-def]
    """Drop `folder` and wait for its run to finish; returns the JobResult."""
    with qtbot.waitSignal(window.controller.runFinished, timeout=timeout) as blocker:
        drop_paths(window, [folder])
    return blocker.args[0]


def search(qtbot, window, query: str, timeout: int = 30_000):  # type: ignore[no-untyped-def]
    """Type `query` as a person would and wait for its results: those of a query asked after the typing
    began (a re-run of the last query, when a run ends, can answer while the debounce still waits)."""
    before = window.session.seq
    with qtbot.waitSignal(
        window.controller.results,
        timeout=timeout,
        check_params_cb=lambda seq, _h, _n, _e: before < seq == window.session.seq,
    ) as blocker:
        window.search_bar.field.clear()
        qtbot.keyClicks(window.search_bar.field, query)
    return blocker.args[1]


def painted_spans(doc: QTextDocument) -> list[tuple[int, int, str]]:
    """Read back what the document will paint: (start, end, 'term'|'sentence') runs with a highlight."""
    out: list[tuple[int, int, str]] = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            bg = frag.charFormat().background().color()
            if frag.charFormat().background().style() != Qt.BrushStyle.NoBrush:
                kind = "term" if bg == TERM_BG else "sentence" if bg == SENTENCE_BG else "other"
                out.append((frag.position(), frag.position() + frag.length(), kind))
            it += 1
        block = block.next()
    return out


def folder_state(window, path: str) -> FolderState | None:  # type: ignore[no-untyped-def]
    """The state the folder panel shows for `path`."""
    return next((r.state for r in window.folders.rows if r.path == path), None)

"""Small helpers shared by the GUI tests."""

from __future__ import annotations

import warnings
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget


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
    """Type `query` as a person would and wait for its results."""
    with qtbot.waitSignal(
        window.controller.results, timeout=timeout, check_params_cb=lambda seq, _h, _n, _e: seq == window.session.seq
    ) as blocker:
        window.search_bar.field.clear()
        qtbot.keyClicks(window.search_bar.field, query)
    return blocker.args[1]

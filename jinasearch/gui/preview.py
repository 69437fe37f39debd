"""The preview pane: a PDF's or an image's page with the passage marked (page_view.py), or the document's
text around the passage, scrolled to it, with the same highlights (other formats, and a page that cannot
be drawn)."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.context import breadcrumb
from ..core.models import Hit
from ..core.pages import PageError, file_stamp
from .page_view import PageView, shows_page
from .results import badge, short_path, span_format, when
from .snippet import Span, hit_spans, same_run, spans_utf16

PASSAGE_BG = QColor("#e8f0fe")


class PreviewPane(QWidget):
    openRequested = Signal(object)  # Hit
    folderRequested = Signal(object)
    copyRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None, siblings: Callable[[Hit], list[Hit]] | None = None) -> None:
        super().__init__(parent)
        # The listed hits of a hit's document (next/previous hit in the page view); the hit alone without.
        self.siblings = siblings or (lambda hit: [hit])
        self.hit: Hit | None = None
        self.document: str | None = None  # the text shown around the hit, when it has arrived
        self._laid_out = ""  # what the text view holds now
        self.title = QLabel("Select a result to see it in its document.")
        self.title.setWordWrap(True)
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.15)
        f.setBold(True)
        self.title.setFont(f)
        self.where = QLabel("")
        self.where.setStyleSheet("color: #5f6368;")
        self.where.setWordWrap(True)
        self.open_btn = QPushButton("Open")
        self.folder_btn = QPushButton("Open containing folder")
        self.copy_btn = QPushButton("Copy path")
        for b in (self.open_btn, self.folder_btn, self.copy_btn):
            b.setEnabled(False)
        self.open_btn.clicked.connect(lambda: self.hit and self.openRequested.emit(self.hit))
        self.folder_btn.clicked.connect(lambda: self.hit and self.folderRequested.emit(self.hit))
        self.copy_btn.clicked.connect(lambda: self.hit and self.copyRequested.emit(self.hit))
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setObjectName("previewText")
        buttons = QHBoxLayout()
        for b in (self.open_btn, self.folder_btn, self.copy_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.where)
        self.page_view = PageView()
        self.page_view.failed.connect(self._page_failed)
        self.page_view.hitChanged.connect(self._header)
        self.notice = QLabel("")  # why a PDF hit is shown as text
        self.notice.setObjectName("previewNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b06000;")
        self.notice.hide()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.text)
        self.stack.addWidget(self.page_view)
        lay.addLayout(buttons)
        lay.addWidget(self.notice)
        lay.addWidget(self.stack, 1)
        self.passage_range: tuple[int, int] | None = None
        self._paged: tuple[object, ...] | None = None  # what the page view was given to draw (_page_key)
        # PDFs whose pages cannot be drawn, why, and the file's stamp then (a changed file is tried again).
        self._unpaged: dict[str, tuple[PageError, tuple[int, int] | None]] = {}

    def clear(self) -> None:
        self.hit = None
        self.passage_range = None
        self._paged = None
        self.page_view.clear()
        self.notice.hide()
        self.stack.setCurrentWidget(self.text)
        self.title.setText("Select a result to see it in its document.")
        self.where.setText("")
        self._set_text("")
        for b in (self.open_btn, self.folder_btn, self.copy_btn):
            b.setEnabled(False)

    def _set_text(self, text: str) -> None:
        # Laying out a long document is the costly part of showing a hit: skip it when the text is the
        # same (a best sentence arriving, or another hit of the same file, only moves the highlights).
        if text != self._laid_out:
            self.text.setPlainText(text)
            self._laid_out = text

    def show_hit(self, hit: Hit, document: str | None) -> None:
        """Show a PDF's or an image's page (page_view.py), else `document` (or just the passage when the
        text is gone) scrolled to the hit's passage."""
        self.document = document
        for b in (self.open_btn, self.folder_btn, self.copy_btn):
            b.setEnabled(True)
        error = self._page_error(hit.path) if shows_page(hit) else None
        if shows_page(hit) and error is None:
            self.notice.hide()
            self.stack.setCurrentWidget(self.page_view)
            siblings = self.siblings(hit)
            key = _page_key(hit, siblings)
            if self._paged != key:
                self._paged = key
                self.page_view.show_hits(siblings, hit)
            # The same selection again (its text or best sentence arriving) leaves the page and the hit
            # moved to as they are; the newest copy of the selected hit is the one the header holds.
            moved = self.page_view.hit
            self._header(hit if moved is None or moved.passage_id == hit.passage_id else moved)
            return
        self._header(hit)
        if self._paged is not None:
            self._paged = None
            self.page_view.clear()
        self.notice.setText(f"The page cannot be shown ({error}); here is the document's text." if error else "")
        self.notice.setVisible(error is not None)
        self.stack.setCurrentWidget(self.text)
        self._show_text(hit, document)

    def _page_failed(self, error: PageError) -> None:
        """The page view could not draw the page: say why and show the text instead, now and for this file."""
        if self.hit is None:
            return
        self._unpaged[self.hit.path] = (error, file_stamp(self.hit.path))
        self.show_hit(self.hit, self.document)

    def _page_error(self, path: str) -> PageError | None:
        """Why the file's pages cannot be drawn, while the file is as it was when they could not."""
        known = self._unpaged.get(path)
        if known is None:
            return None
        if file_stamp(path) != known[1]:
            del self._unpaged[path]  # changed (mended, replaced, back on its drive): try its pages again
            return None
        return known[0]

    def _header(self, hit: Hit) -> None:
        self.hit = hit
        label, _color = badge(hit)
        self.title.setText(breadcrumb(hit.path, hit.title, hit.section, hit.page, hit.unit))
        self.where.setText(f"{short_path(os.path.dirname(hit.path))}  ·  {when(hit.mtime)}  ·  found by {label}")

    def _show_text(self, hit: Hit, document: str | None) -> None:
        offset = hit.char_start
        if document is None or not same_run(document[hit.char_start : hit.char_end], hit.text):
            document, offset = hit.text, 0  # stale or missing text: show what we have
        spans: list[Span] = [(offset, offset + len(hit.text), "passage")]
        spans += [(s + offset, e + offset, k) for s, e, k in hit_spans(hit)]
        spans = spans_utf16(document, spans)
        self._set_text(document)
        selections = []
        for s, e, kind in spans:
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(s)
            cursor.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor  # type: ignore[attr-defined]
            if kind == "passage":
                fmt = QTextCharFormat()
                fmt.setBackground(PASSAGE_BG)
            else:
                fmt = span_format(kind)
            sel.format = fmt  # type: ignore[attr-defined]
            selections.append(sel)
        self.text.setExtraSelections(selections)
        self.passage_range = (spans[0][0], spans[0][1])
        self.scroll_to(spans[0][0], spans[0][1])

    def scroll_to(self, start: int, end: int) -> None:
        """Bring the passage's end, then its start, into view: the passage ends up on screen from its top."""
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(min(end, self.text.document().characterCount() - 1))
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()
        cursor.setPosition(start)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()


def _page_key(hit: Hit, siblings: list[Hit]) -> tuple[object, ...]:
    """What the page view draws for `hit`: its page and passage, and the words of the document's listed
    hits (a new query can list the same passage with other words). Not the best sentence, which arrives
    later and is not drawn on the page."""
    own = (hit.passage_id, hit.path, hit.page, hit.text, hit.term_spans)
    return own + tuple((h.passage_id, h.text, h.term_spans) for h in siblings)

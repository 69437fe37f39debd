"""The results list's cards: a delegate that paints the engine's highlight spans (the item model is results_model.py)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ..core.context import breadcrumb
from ..core.models import Hit
from .results_model import HitRole, MoreRole, ResultsModel
from .snippet import Span, hit_spans, snippet, spans_utf16

__all__ = ["HitRole", "MoreRole", "ResultDelegate", "ResultsModel", "card_for", "passage_document"]


# Two clearly different marks: the best sentence as a soft band, the query's words as a strong marker.
SENTENCE_BG = QColor("#fff3b0")
TERM_BG = QColor("#ffb74d")
TERM_FG = QColor("#3e2000")
BADGES = {  # how it was found -> (label, colour)
    ("keyword",): ("keyword", QColor("#1565c0")),
    ("semantic",): ("semantic", QColor("#7b1fa2")),
    ("keyword", "semantic"): ("keyword + semantic", QColor("#2e7d32")),
}


def badge(hit: Hit) -> tuple[str, QColor]:
    return BADGES.get(tuple(sorted(hit.sources)), ("match", QColor("#616161")))


def short_path(path: str) -> str:
    """A path as a person reads it: the home folder as ~."""
    home = os.path.expanduser("~").rstrip(os.sep)
    if home and (path == home or path.startswith(home + os.sep)):
        return "~" + path[len(home) :]
    return path


def when(mtime: float) -> str:
    return time.strftime("%Y-%m-%d", time.localtime(mtime)) if mtime else ""


@dataclass(frozen=True)
class Card:
    """Everything painted for one hit, computed without a painter (so tests can check it)."""

    title: str
    subtitle: str
    badge: str
    badge_color: QColor
    text: str
    spans: tuple[Span, ...]  # UTF-16 offsets into `text`
    more: int = 0  # passages of the same file folded behind this card
    also: str = ""  # the other files holding this very passage ("also in: …"), or ""


def card_for(hit: Hit, limit: int = 420, more: int = 0) -> Card:
    """The card of a hit; `more`: passages of its file folded behind it ("+2 more from this file")."""
    text, spans = snippet(hit.text, hit_spans(hit), limit)
    label, color = badge(hit)
    where = short_path(os.path.dirname(hit.path))
    title = breadcrumb(hit.path, hit.title, hit.section, hit.page, hit.unit)
    folded = f"▸ {more} more from this file" if more else ""
    sub = "  ·  ".join(x for x in (where, when(hit.mtime), folded) if x)
    return Card(title, sub, label, color, text, tuple(spans_utf16(text, spans)), more, also_in(hit))


def also_in(hit: Hit, named: int = 3) -> str:
    """The card's line naming the other files holding its passage (the first `named`; all in the tooltip)."""
    if not hit.also_in:
        return ""
    names = ", ".join(short_path(p) for p in hit.also_in[:named])
    rest = len(hit.also_in) - named
    return f"also in: {names}" + (f" and {rest} more" if rest > 0 else "")


def passage_document(card: Card, font: QFont, width: float) -> QTextDocument:
    """The passage as rich text: best sentence on a soft band, query words in a strong marker."""
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setPlainText(card.text)
    doc.setTextWidth(max(50.0, width))
    cursor = QTextCursor(doc)
    for start, end, kind in card.spans:
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(span_format(kind))
    return doc


def span_format(kind: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if kind == "term":
        fmt.setBackground(TERM_BG)
        fmt.setForeground(TERM_FG)
        fmt.setFontWeight(QFont.Weight.Bold)
    else:
        fmt.setBackground(SENTENCE_BG)
    return fmt


class ResultDelegate(QStyledItemDelegate):
    """Paints a result card: file (and page) with a badge, folder and date, the highlighted passage."""

    PAD = 10

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self._view = view

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = QFont(option.font)
        title = QFont(base)
        title.setBold(True)
        title.setPointSizeF(base.pointSizeF() * 1.1)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.9)
        return base, title, small

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        # The view's width less a scroll bar, whether or not one shows: sizeHint and paint must wrap
        # the passage identically, also in the moment a scroll bar appears.
        view = self._view
        style = view.style()
        frame = getattr(view, "frameWidth", lambda: 0)()
        width = view.width() - 2 * frame - style.pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return max(120, width - 2 * self.PAD)

    @staticmethod
    def _first_line(title: QFont, small: QFont) -> int:
        """The height of a card's first line: the title, or the badge beside it when that is taller."""
        return max(QFontMetrics(title).height(), QFontMetrics(small).height() + 4)

    def editorEvent(self, event, model, option, index) -> bool:  # type: ignore[no-untyped-def]
        """A click on a card's "more from this file" line unfolds (or folds) that file's passages."""
        if event.type() == QEvent.Type.MouseButtonRelease and index.data(MoreRole):
            _base, title, small = self._fonts(option)
            top = option.rect.top() + self.PAD + self._first_line(title, small)
            line = QRect(option.rect.left(), top, option.rect.width(), QFontMetrics(small).height() + self.PAD)
            if line.contains(event.position().toPoint()):
                model.toggle_more(index.row())
                return True
        return super().editorEvent(event, model, option, index)

    def document_for(self, hit: Hit, option: QStyleOptionViewItem) -> QTextDocument:
        base, _title, _small = self._fonts(option)
        return passage_document(card_for(hit), base, self._text_width(option))

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hit = index.data(HitRole)
        if not isinstance(hit, Hit):
            return super().sizeHint(option, index)
        _base, title, small = self._fonts(option)
        doc = self.document_for(hit, option)
        lines = 2 if hit.also_in else 1  # the folder line, and the copies' line when there are copies
        h = (
            self._first_line(title, small)
            + lines * QFontMetrics(small).height()
            + int(doc.size().height())
            + 3 * self.PAD
        )
        return QSize(self._text_width(option) + 2 * self.PAD, h)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        hit = index.data(HitRole)
        if not isinstance(hit, Hit):
            return super().paint(painter, option, index)
        card = card_for(hit, more=index.data(MoreRole) or 0)
        base, title_font, small = self._fonts(option)
        r = option.rect
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        painter.fillRect(r, QColor("#dbe9ff") if selected else pal.color(QPalette.ColorRole.Base))
        painter.setPen(QColor("#d0d0d0"))
        painter.drawLine(r.left(), r.bottom(), r.right(), r.bottom())
        x, y = r.left() + self.PAD, r.top() + self.PAD
        text_color = QColor("#111111")

        # badge on the right of the first line
        bfm = QFontMetrics(small)
        bw = bfm.horizontalAdvance(card.badge) + 16
        bh = bfm.height() + 4
        brect = QRect(r.right() - self.PAD - bw, y, bw, bh)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(card.badge_color)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(brect, bh / 2, bh / 2)
        painter.setFont(small)
        painter.setPen(QColor("white"))
        painter.drawText(brect, Qt.AlignmentFlag.AlignCenter, card.badge)

        tfm = QFontMetrics(title_font)
        painter.setFont(title_font)
        painter.setPen(text_color)
        title = tfm.elidedText(card.title, Qt.TextElideMode.ElideMiddle, brect.left() - x - 8)
        painter.drawText(QRect(x, y, brect.left() - x - 8, tfm.height()), Qt.AlignmentFlag.AlignVCenter, title)
        y += self._first_line(title_font, small)

        sfm = QFontMetrics(small)
        painter.setFont(small)
        painter.setPen(QColor("#5f6368"))
        sub = sfm.elidedText(card.subtitle, Qt.TextElideMode.ElideMiddle, r.width() - 2 * self.PAD)
        painter.drawText(QRect(x, y, r.width() - 2 * self.PAD, sfm.height()), Qt.AlignmentFlag.AlignVCenter, sub)
        y += sfm.height()
        if card.also:
            also = sfm.elidedText(card.also, Qt.TextElideMode.ElideRight, r.width() - 2 * self.PAD)
            painter.drawText(QRect(x, y, r.width() - 2 * self.PAD, sfm.height()), Qt.AlignmentFlag.AlignVCenter, also)
            y += sfm.height()
        y += self.PAD // 2

        doc = passage_document(card, base, self._text_width(option))
        painter.translate(x, y)
        doc.drawContents(painter)
        painter.restore()

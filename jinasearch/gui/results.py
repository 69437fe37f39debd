"""The results list: a thin item model over list[Hit] and a delegate that paints the engine's highlight spans."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ..core.context import breadcrumb
from ..core.models import Hit
from .snippet import Span, hit_spans, snippet, spans_utf16

HitRole = Qt.ItemDataRole.UserRole + 1

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


MoreRole = Qt.ItemDataRole.UserRole + 2  # how many more passages of the row's file are folded away (0: none)


class ResultsModel(QAbstractListModel):
    """Rows are hits, file by file: each file's best passage, and its next ones when the person asks for
    "more from this file". Views read the Hit itself through HitRole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._groups: list[list[Hit]] = []  # the search's hits, one list per file, best first
        self._open: set[int] = set()  # doc ids whose further passages are shown
        self._rows: list[tuple[Hit, int]] = []  # (hit, passages folded behind it)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        hit, folded = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return os.path.basename(hit.path)
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.path + (f"\npage {hit.page}" if hit.page else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{breadcrumb(hit.path, hit.title, hit.section, hit.page)}: {hit.text[:200]}"
        if role == HitRole:
            return hit
        if role == MoreRole:
            return folded
        return None

    def set_hits(self, hits: list[Hit]) -> None:
        """Hits as the searcher gives them: file by file, each file's passages together, best first."""
        self.beginResetModel()
        self._groups = []
        for hit in hits:
            if self._groups and self._groups[-1][0].doc_id == hit.doc_id:
                self._groups[-1].append(hit)
            else:
                self._groups.append([hit])
        self._open = set()
        self._layout()
        self.endResetModel()

    def _layout(self) -> None:
        self._rows = []
        for group in self._groups:
            if group[0].doc_id in self._open:
                self._rows.extend((h, 0) for h in group)
            else:
                self._rows.append((group[0], len(group) - 1))

    def toggle_more(self, row: int) -> bool:
        """Show (or fold again) the other passages of the row's file; False when it has none."""
        hit = self.hit(row)
        group = next((g for g in self._groups if hit is not None and g[0].doc_id == hit.doc_id), None)
        if group is None or len(group) < 2:
            return False
        self.beginResetModel()
        self._open.symmetric_difference_update({group[0].doc_id})
        self._layout()
        self.endResetModel()
        return True

    def set_sentences(self, spans: dict[int, tuple[int, int] | None]) -> None:
        """Fill in best-sentence spans (passage id -> span) that arrive after the hits."""
        for group in self._groups:
            for i, hit in enumerate(group):
                if hit.passage_id in spans and spans[hit.passage_id] != hit.sentence_span:
                    group[i] = replace(hit, sentence_span=spans[hit.passage_id])
        for row, (hit, folded) in enumerate(self._rows):
            new = next((h for g in self._groups for h in g if h.passage_id == hit.passage_id), hit)
            if new is not hit:
                self._rows[row] = (new, folded)
                idx = self.index(row)
                self.dataChanged.emit(idx, idx)

    def hit(self, row: int) -> Hit | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    @property
    def hits(self) -> list[Hit]:
        return [h for h, _ in self._rows]

    @property
    def files(self) -> int:
        return len(self._groups)


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


def card_for(hit: Hit, limit: int = 420, more: int = 0) -> Card:
    """The card of a hit; `more`: passages of its file folded behind it ("+2 more from this file")."""
    text, spans = snippet(hit.text, hit_spans(hit), limit)
    label, color = badge(hit)
    where = short_path(os.path.dirname(hit.path))
    title = breadcrumb(hit.path, hit.title, hit.section, hit.page)
    folded = f"▸ {more} more from this file" if more else ""
    sub = "  ·  ".join(x for x in (where, when(hit.mtime), folded) if x)
    return Card(title, sub, label, color, text, tuple(spans_utf16(text, spans)), more)


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
        h = self._first_line(title, small) + QFontMetrics(small).height() + int(doc.size().height()) + 3 * self.PAD
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
        y += sfm.height() + self.PAD // 2

        doc = passage_document(card, base, self._text_width(option))
        painter.translate(x, y)
        doc.drawContents(painter)
        painter.restore()

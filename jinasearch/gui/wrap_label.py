"""A word-wrapped label that asks for the height its lines take at its width, so a narrow column keeps it whole."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class WrapLabel(QLabel):
    """Qt sizes a window's minimum from each widget's minimumSizeHint, which for a wrapped label assumes
    room for long lines: in a narrow panel its lines then overflow onto the widgets below (the folder list
    squeezed to its header at the window's smallest). This one's minimum height is its lines at its width."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        if not self.text() or self.width() <= 0:
            return hint
        return QSize(hint.width(), max(hint.height(), self.heightForWidth(self.width())))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.heightForWidth(event.size().width()) != self.heightForWidth(event.oldSize().width()):
            self.updateGeometry()  # a new width wraps into another number of lines: the layout asks again

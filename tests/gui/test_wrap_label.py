"""A wrapped label in a narrow column asks for the height of all its lines, so the window's minimum keeps it whole."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from jinasearch.gui.wrap_label import WrapLabel

TEXT = "5 scanned pages wait for OCR: install Tesseract OCR (Debian/Ubuntu: sudo apt install tesseract-ocr)"


def test_a_narrow_column_makes_room_for_every_line(qtbot) -> None:  # type: ignore[no-untyped-def]
    column = QWidget()
    qtbot.addWidget(column)
    lay = QVBoxLayout(column)
    plain, wrap = QLabel(TEXT), WrapLabel(TEXT)
    plain.setWordWrap(True)
    lay.addWidget(plain)
    lay.addWidget(wrap)
    column.resize(200, 400)
    column.show()
    qtbot.waitUntil(lambda: wrap.width() < 200)
    lines = wrap.heightForWidth(wrap.width())
    assert lines > 2 * wrap.fontMetrics().height()  # the text takes several lines at this width
    assert wrap.minimumSizeHint().height() >= lines
    assert plain.minimumSizeHint().height() < lines  # what Qt's own label claims: why the panel overflowed

"""The search field and the filters (folder, type, date) that go with it."""

from __future__ import annotations

import os
import time
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from ..core.attached import MAIL_SUFFIXES
from ..core.extract import TEXT_SUFFIXES
from ..core.models import QUERY_SYNTAX, Filters

PROSE = (".txt", ".text", ".md", ".markdown", ".rst", ".org", ".tex", ".adoc", ".asciidoc")
TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("All types", ()),
    ("PDF", (".pdf",)),
    ("Word & text documents", (".docx", ".odt", ".ott", ".rtf")),
    ("Presentations", (".pptx", ".pptm", ".odp", ".otp")),
    ("Spreadsheets", (".xlsx", ".xlsm", ".ods", ".csv", ".tsv")),
    ("E-books", (".epub",)),
    ("Mail", MAIL_SUFFIXES),
    ("Images & scans", (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".heic", ".heif")),
    ("Web pages", (".html", ".htm", ".xhtml")),
    ("Text & Markdown", PROSE),
    ("Code & data", tuple(s for s in TEXT_SUFFIXES if s not in PROSE + (".csv", ".tsv"))),
)
DATES: tuple[tuple[str, float | None], ...] = (
    ("Any time", None),
    ("Past week", 7 * 86400.0),
    ("Past month", 31 * 86400.0),
    ("Past year", 366 * 86400.0),
)
DEBOUNCE_MS = 250
# Short enough for the field of a 1,100-pixel-wide window (594 of 603 pixels); the tooltip says what each does.
PLACEHOLDER = 'Plain language, or "exact phrase" -word word* type:pdf in:folder   (Ctrl+K)'


def syntax_tooltip() -> str:
    """The search field's tooltip: what a query may say besides plain language, from its one source."""
    rows = "".join(
        f"<tr><td><code>{escape(form)}</code></td><td>{escape(what)}</td></tr>" for form, what in QUERY_SYNTAX
    )
    return f"<p>Type what you are looking for in plain language. Also understood:</p><table>{rows}</table>"


class SearchBar(QWidget):
    """Emits `search(query)` after a short pause in typing, or at once on Enter or a filter change."""

    search = Signal(str)
    settingsRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setPlaceholderText(PLACEHOLDER)
        self.field.setToolTip(syntax_tooltip())
        self.field.setClearButtonEnabled(True)
        f = self.field.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        self.field.setFont(f)
        self.field.setMinimumHeight(36)
        self.folder = QComboBox()
        self.folder.addItem("All folders", None)
        self.folder.setMinimumContentsLength(14)
        self.folder.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.type = QComboBox()
        for label, _ in TYPES:
            self.type.addItem(label)
        self.date = QComboBox()
        for label, _ in DATES:
            self.date.addItem(label)
        self.settings_btn = QPushButton("Settings…")
        self.settings_btn.clicked.connect(self.settingsRequested)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.field, 1)
        for w in (self.folder, self.type, self.date, self.settings_btn):
            lay.addWidget(w)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.search_now)
        self.field.textChanged.connect(lambda _t: self.timer.start())
        self.field.returnPressed.connect(self.search_now)
        for combo in (self.folder, self.type, self.date):
            combo.currentIndexChanged.connect(lambda _i: self.search_now())

    def query(self) -> str:
        return self.field.text().strip()

    def search_now(self) -> None:
        self.timer.stop()
        self.search.emit(self.query())

    def filters(self) -> Filters:
        _label, exts = TYPES[max(0, self.type.currentIndex())]
        _dlabel, age = DATES[max(0, self.date.currentIndex())]
        return Filters(folder=self.folder.currentData(), exts=exts, modified_after=time.time() - age if age else None)

    def set_folders(self, folders: list[str]) -> None:
        current = self.folder.currentData()
        have = [self.folder.itemData(i) for i in range(1, self.folder.count())]
        if have == folders:
            return
        self.folder.blockSignals(True)
        self.folder.clear()
        self.folder.addItem("All folders", None)
        for path in folders:
            self.folder.addItem(os.path.basename(path.rstrip(os.sep)) or path, path)
            self.folder.setItemData(self.folder.count() - 1, path, Qt.ItemDataRole.ToolTipRole)
        idx = self.folder.findData(current) if current else 0
        self.folder.setCurrentIndex(max(0, idx))
        self.folder.blockSignals(False)

"""The folder panel: every indexed folder with its state and counts, and the actions on folders."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.jobs import FolderRow, FolderState
from .results import short_path
from .wrap_label import WrapLabel

STATE_COLORS = {
    FolderState.INDEXING: "#1565c0",
    FolderState.PAUSED: "#ef6c00",
    FolderState.QUEUED: "#616161",
    FolderState.UP_TO_DATE: "#2e7d32",
    FolderState.KEYWORD_ONLY: "#ef6c00",
    FolderState.ERRORS: "#c62828",
    FolderState.NOT_INDEXED: "#616161",
}


class FolderPanel(QWidget):
    addRequested = Signal()
    removeRequested = Signal(str)  # a folder path, once the person confirmed
    failedRequested = Signal(object)  # folder path or None for all
    skippedRequested = Signal(object)  # folder path or None for all
    embedDataRequested = Signal(str, bool)  # a folder path, and whether its data files get vectors too
    ocrRequested = Signal(str, bool)  # a folder path, and whether its scanned pages and images are read by OCR

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        head = QLabel("Folders")
        f = head.font()
        f.setBold(True)
        head.setFont(f)
        self.tree = folder_tree()
        self.add_btn = QPushButton("Add folder…")
        self.remove_btn = QPushButton("Remove")
        self.failed_btn = QPushButton("Failed files…")
        # What the built-in rules left out is listed, never silent: a folder of yours may match one.
        self.skipped_btn = QPushButton("Skipped…")
        self.remove_btn.setEnabled(False)
        self.failed_btn.setEnabled(False)
        self.skipped_btn.setEnabled(False)
        self.add_btn.clicked.connect(self.addRequested)
        self.remove_btn.clicked.connect(self._remove)
        self.failed_btn.clicked.connect(lambda: self.failedRequested.emit(self.selected()))
        self.skipped_btn.clicked.connect(lambda: self.skippedRequested.emit(self.selected()))
        self._build_switches()
        self.model_line = WrapLabel()  # which model embeds, and where (status_where.py fills it in)
        self.model_line.setObjectName("modelLine")
        self.model_line.setStyleSheet("color: #616161")
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_btn)
        buttons.addWidget(self.remove_btn)
        buttons.addStretch(1)
        # The two lists on a row of their own: four buttons in one row would widen the window's
        # minimum past a small screen.
        lists = QHBoxLayout()
        lists.addWidget(self.failed_btn)
        lists.addWidget(self.skipped_btn)
        lists.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(head)
        lay.addWidget(self.tree, 1)
        lay.addLayout(buttons)
        lay.addLayout(lists)
        lay.addWidget(self.embed_data)
        lay.addWidget(self.data_note)
        lay.addWidget(self.ocr)
        lay.addWidget(self.ocr_note)
        lay.addWidget(self.model_line)
        self.rows: list[FolderRow] = []

    def _build_switches(self) -> None:
        """The switches under the list, for the selected folder, each with its note."""
        # The embedding budget (core/indexing/budget.py): a folder's logs, tables and dumps are found by
        # their words only, unless this is ticked for it. It follows the selected folder.
        self.embed_data = QCheckBox(DATA_SWITCH)
        self.embed_data.setEnabled(False)
        self.embed_data.setToolTip(
            "Logs, CSV/TSV tables, JSON/XML dumps and minified code are found by their words (an error code, an\n"
            "order number) without vectors: embedding them would take hours of this computer and hold back\n"
            "your documents. Tick this to search them by meaning too."
        )
        self.embed_data.clicked.connect(self._switch_data)
        self.data_note = WrapLabel()  # what of the selected folder is found by its words only, by choice
        self.data_note.setStyleSheet("color: #616161")
        self.data_note.hide()
        # OCR (core/indexing/ocr.py) reads a folder's pages without a text layer in a pass after every other
        # file, so search by the rest never waits for it; the switch is per folder, as some hold only scans.
        self.ocr = QCheckBox(OCR_SWITCH)
        self.ocr.setEnabled(False)
        self.ocr.setToolTip(
            "Scanned PDF pages and images are read by OCR after every other file, so it never holds back\n"
            "search. It takes seconds a page, and each file is read once (again only when it changes)."
        )
        self.ocr.clicked.connect(self._switch_ocr)
        self.ocr_note = WrapLabel()  # the selected folder's scanned pages not read yet, and why
        self.ocr_note.setStyleSheet("color: #616161")
        self.ocr_note.hide()

    def selected(self) -> str | None:
        items = self.tree.selectedItems()
        return items[0].data(0, Qt.ItemDataRole.UserRole) if items else None

    def _selection_changed(self) -> None:
        path = self.selected()
        self.remove_btn.setEnabled(path is not None)
        row = next((r for r in self.rows if r.path == path), None)
        self.embed_data.setEnabled(row is not None and row.data_files > 0)
        self.embed_data.setChecked(row is not None and row.embed_data)
        note = words_only_note(row)
        self.data_note.setText(note)
        self.data_note.setVisible(bool(note))
        self.ocr.setEnabled(row is not None)
        self.ocr.setChecked(row is not None and row.ocr)
        note = ocr_note(row, ocr_fix() if row is not None and row.ocr and row.ocr_waiting else None)
        self.ocr_note.setText(note)
        self.ocr_note.setVisible(bool(note))

    def _switch_data(self, on: bool) -> None:
        if path := self.selected():
            self.embedDataRequested.emit(path, on)

    def _switch_ocr(self, on: bool) -> None:
        if path := self.selected():
            self.ocrRequested.emit(path, on)

    def _remove(self) -> None:
        path = self.selected()
        if path and self._confirm_remove(path):
            self.removeRequested.emit(path)

    def _confirm_remove(self, path: str) -> bool:
        row = next((r for r in self.rows if r.path == path), None)
        detail = f"its {row.files} files and {row.passages} passages" if row else "its data"
        answer = QMessageBox.question(
            self,
            "Remove folder",
            f"Forget {path}?\n\nThis removes {detail} from the index. The files themselves are not touched.",
        )
        return answer == QMessageBox.StandardButton.Yes

    def set_rows(self, rows: list[FolderRow]) -> None:
        keep = self.selected()
        self.rows = list(rows)
        self.tree.clear()
        names = folder_names([r.path for r in rows])
        for row, name in zip(rows, names):
            counts = [str(n) for n in (row.files, row.passages, row.failed, row.skipped)]
            item = QTreeWidgetItem([name, row.state.value, *counts])
            item.setData(0, Qt.ItemDataRole.UserRole, row.path)
            item.setToolTip(0, row.path)
            item.setForeground(1, QColor(STATE_COLORS.get(row.state, "#000000")))
            for c in (2, 3, 4, 5):
                item.setTextAlignment(c, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if row.failed:
                item.setForeground(4, QColor("#c62828"))
            if row.keyword_only:
                item.setToolTip(
                    3, f"{row.keyword_only:,} of them found by their words only, by choice ({why_words(row)})"
                )
            self.tree.addTopLevelItem(item)
            if row.path == keep:
                item.setSelected(True)
        self.failed_btn.setEnabled(any(r.failed for r in rows))
        self.skipped_btn.setEnabled(any(r.skipped for r in rows))
        self._selection_changed()


FOLDER_COLUMN_PX = 120
DATA_SWITCH = "Also search data files by meaning"
OCR_SWITCH = "Read scanned pages and images (OCR)"


def folder_tree() -> QTreeWidget:
    """The folder list: a row a folder, its name first and its counts after."""
    tree = QTreeWidget()
    tree.setHeaderLabels(["Folder", "State", "Files", "Passages", "Failed", "Skipped"])
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    # A long name (or a ~/… path where two folders share one) is cut in its middle: its start and its end,
    # the folder's own name, stay readable.
    tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    hdr = tree.header()
    hdr.setStretchLastSection(False)
    # The folder's name gets room first; the counts fit their contents and scroll in a narrow panel
    # (a stretched first column was squeezed to nothing by them).
    hdr.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    hdr.resizeSection(0, FOLDER_COLUMN_PX)
    for c in range(1, 6):
        hdr.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    # At the window's smallest, two folders stay in sight above the switches that act on the selected one
    # (a scroll area's own minimum held the header and half a row under the horizontal scroll bar).
    row_px = tree.fontMetrics().height() + 8
    bar_px = tree.horizontalScrollBar().sizeHint().height()
    tree.setMinimumHeight(hdr.sizeHint().height() + 2 * row_px + bar_px + 4)
    return tree


def words_only_note(row: FolderRow | None) -> str:
    """Under the switch: what of the selected folder is found by its words only, by choice ("" for nothing)."""
    if row is None or not row.keyword_only:
        return ""
    files = f"{row.data_files:,} data file" + ("s" if row.data_files != 1 else "")
    what = f"{files} (logs, tables, dumps)" if row.data_files and not row.embed_data else "Long files past the cap"
    return f"{what}: {row.keyword_only:,} passages found by their words only."


def ocr_note(row: FolderRow | None, fix: str | None = None) -> str:
    """Under the OCR switch: the selected folder's scanned pages not read yet, and why ("" for none).
    `fix`: what to install when OCR is on but no engine runs here (ocr_fix)."""
    if row is None or not row.ocr_waiting:
        return ""
    pages = f"{row.ocr_waiting:,} scanned page" + ("s" if row.ocr_waiting != 1 else "")
    if not row.ocr:
        return f"{pages} not read: OCR is off for this folder"
    if fix is not None:
        return f"{pages} wait{'s' if row.ocr_waiting == 1 else ''} for OCR: {fix}"
    return f"{pages} {'is' if row.ocr_waiting == 1 else 'are'} read after the other files"


def ocr_fix() -> str | None:
    """What to install for OCR, or None where an engine runs here. Asked only for a folder with pages waiting,
    never at window start: the first ask imports the imaging library and runs the tesseract program once."""
    from ..core.extract import ocr

    return ocr.what_to_install()


def why_words(row: FolderRow) -> str:
    if row.data_files and not row.embed_data:
        return "logs, tables and dumps; see the switch below the list"
    return "past the cap of passages per file in the settings"


def folder_names(paths: list[str]) -> list[str]:
    """What the narrow Folder column shows: each folder's own name (the whole path is its tooltip);
    the path as a person reads it (~) where two folders share a name."""
    base = [os.path.basename(p.rstrip(os.sep)) or p for p in paths]
    return [short_path(p) if base.count(b) > 1 else b for p, b in zip(paths, base)]

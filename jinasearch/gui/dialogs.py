"""Dialogs: the files that failed with reasons, what rules skipped; the settings dialog has its own module."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.config import SKIP_REASONS
from ..core.run_records import FailedFile, Skipped
from .settings_dialog import SettingsDialog

__all__ = ["FailedFilesDialog", "PathListDialog", "SettingsDialog", "SkippedDialog"]


class PathListDialog(QDialog):
    """A table of paths with one more column (why a file failed, which rule skipped it), and a line above."""

    def __init__(
        self,
        title: str,
        info: str,
        rows: list[tuple[str, str]],
        headers: tuple[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 420)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for i, (path, why) in enumerate(rows):
            item = QTableWidgetItem(path)
            item.setToolTip(path)
            self.table.setItem(i, 0, item)
            self.table.setItem(i, 1, QTableWidgetItem(why))
        label = QLabel(info)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(label)
        lay.addWidget(self.table, 1)
        lay.addWidget(buttons)


def _titled(title: str, folder: str | None) -> str:
    return title + (f" — {os.path.basename(folder)}" if folder else "")


class FailedFilesDialog(PathListDialog):
    def __init__(self, failed: list[FailedFile], folder: str | None, parent: QWidget | None = None) -> None:
        info = "These files are retried when they change." if failed else "No file failed. "
        rows = [(f.path, f.reason or "unknown") for f in failed]
        super().__init__(_titled("Files that could not be indexed", folder), info, rows, ("File", "Reason"), parent)


class SkippedDialog(PathListDialog):
    def __init__(self, skipped: list[Skipped], folder: str | None, parent: QWidget | None = None) -> None:
        info = (
            "Left out by the built-in rules. To index them, clear “Skip hidden files, Python environments "
            "and package folders” in Settings."
            if skipped
            else "Nothing was left out by the built-in rules."
        )
        rows = [(s.path, f"{s.rule}: {SKIP_REASONS.get(s.rule, '')}") for s in skipped]
        headers = ("Folder or file", "Rule")
        super().__init__(_titled("Skipped by built-in rules", folder), info, rows, headers, parent)

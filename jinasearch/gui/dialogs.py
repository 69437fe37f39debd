"""Dialogs: settings (model, passages, exclusions, device), the files that failed with reasons, what rules skipped."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.config import DEFAULT_EXCLUDE_RULES, SKIP_REASONS
from ..core.embed import device_problem
from ..core.models import FailedFile, Skipped
from .prefs import DEVICES, MODEL_CHOICES, Prefs


class SettingsDialog(QDialog):
    @classmethod
    def ask(cls, prefs: Prefs, data_dir: str, parent: QWidget | None = None) -> Prefs | None:
        """The new choices, or None when the person cancelled (a model change is confirmed first)."""
        dlg = cls(prefs, data_dir, parent)
        if dlg.exec() != cls.DialogCode.Accepted:
            return None
        new = dlg.prefs()
        if new.model != prefs.model:
            answer = QMessageBox.question(
                parent,
                "Change model",
                f"Switching to {new.model} re-embeds every passage in the background. "
                "Until it is done, search keeps answering from the current index "
                "with the current model (files added meanwhile are found by their "
                "words); then the new model takes over. Continue?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        return new

    def __init__(self, prefs: Prefs, data_dir: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self.model = QComboBox()
        self.model.setEditable(True)
        for label, name in MODEL_CHOICES:
            self.model.addItem(label, name)
        idx = self.model.findData(prefs.model)
        if idx >= 0:
            self.model.setCurrentIndex(idx)
        else:
            self.model.setEditText(prefs.model)
        self.model.setToolTip("A Jina model, any sentence-transformers model name, or a model folder on this computer")
        browse = QPushButton("Folder…")
        browse.clicked.connect(self._browse)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model, 1)
        model_row.addWidget(browse)
        self.chunk = QSpinBox()
        self.chunk.setRange(32, 8192)
        self.chunk.setValue(prefs.chunk_tokens)
        self.chunk.setSuffix(" tokens")
        self.overlap = QSpinBox()
        self.overlap.setRange(0, 1024)
        self.overlap.setValue(prefs.overlap_tokens)
        self.overlap.setSuffix(" tokens")
        self.excludes = QPlainTextEdit("\n".join(prefs.excludes))
        self.excludes.setPlaceholderText("one pattern per line, e.g.\n*.log\n*/drafts/*")
        self.excludes.setFixedHeight(90)
        self.default_excludes = QCheckBox("Skip hidden files, Python environments and package folders")
        self.default_excludes.setChecked(prefs.default_excludes)
        self.default_excludes.setToolTip(
            "\n".join(f"{rule}: {what}" for rule, what in DEFAULT_EXCLUDE_RULES.items())
            + "\n\nFor every folder. What they skip is listed under Skipped… in the folder panel."
        )
        self.device = QComboBox()
        self.device.addItems(["auto", "cpu", "cuda (NVIDIA GPU)", "mps (Apple GPU)"])
        for i, device in enumerate(DEVICES):  # a device this machine lacks is greyed out, with the reason
            problem = device_problem(device)
            if problem is not None:
                item = self.device.model().item(i)  # type: ignore[attr-defined]
                item.setEnabled(False)
                item.setToolTip(problem)
        chosen = DEVICES.index(prefs.device) if prefs.device in DEVICES else 0
        self.device.setCurrentIndex(chosen if device_problem(DEVICES[chosen]) is None else 0)
        form = QFormLayout()
        form.addRow("Model", model_row)
        form.addRow("Passage size", self.chunk)
        form.addRow("Overlap", self.overlap)
        form.addRow("Exclude", self.excludes)
        form.addRow("", self.default_excludes)
        form.addRow("Device", self.device)
        note = QLabel(
            "A new passage size re-cuts every indexed file in the background (search keeps working). "
            f"Index folder: {data_dir}"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6368;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a sentence-transformers model folder")
        if folder:
            self.model.setEditText(folder)

    def prefs(self) -> Prefs:
        text = self.model.currentText().strip()
        idx = self.model.findText(text)
        name = self.model.itemData(idx) if idx >= 0 else text
        excludes = tuple(x.strip() for x in self.excludes.toPlainText().splitlines() if x.strip())
        return Prefs(
            model=str(name or MODEL_CHOICES[0][1]),
            chunk_tokens=self.chunk.value(),
            overlap_tokens=min(self.overlap.value(), self.chunk.value() // 2),
            excludes=excludes,
            device=DEVICES[self.device.currentIndex()],
            default_excludes=self.default_excludes.isChecked(),
        )


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

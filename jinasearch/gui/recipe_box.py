"""The settings dialog's late-chunking fields: whether passages are embedded in the context of their
document, the window the model reads at once, what a change costs, and why a served model cannot."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSpinBox, QStyle, QVBoxLayout, QWidget

from ..core.config import Recipe
from .server_box import GREY, RED, note_label, say

LATE_LABEL = "Embed passages in the context of their document (late chunking)"
COST = "A change re-embeds every passage in the background; search keeps answering meanwhile."
# Why a served model cannot (core/indexing/reembed.py raises RecipeUnsupportedError for one).
SERVED_REASON = (
    "Not with an embedding server: it gives one vector per passage, not the vector of every token that "
    "late chunking needs."
)
LATE_TIP = (
    "Each passage's vector is made while the model reads the text around it, so a passage that says\n"
    "'it' or 'the device' keeps what its document was about. Searches are made as before."
)
WINDOW_TIP = (
    "The most tokens the model reads at once: the passage and the text around it in its document.\n"
    "The model's own limit caps it (512 for MiniLM, 8,192 for Jina v2)."
)
PLACE_LABEL = "Begin each passage with its title and section"
PLACE_TIP = (
    "Inside the window, each passage starts with its document's title and heading path, as a passage\n"
    "embedded alone does. Unticked, the model reads the passages' own text and the text around them only."
)


class RecipeBox(QWidget):
    """`chosen()` is None while the fields still show what the index does (the person chose nothing):
    the index's recipe then holds, as the command line's runs without an option keep it."""

    changed = Signal()

    def __init__(
        self, saved: Recipe | None, index: Recipe | None, default: Recipe, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._saved = saved
        # The person's choice, else what the index makes its vectors with, else what a new index takes.
        self._shown = saved or index or default
        self._local_late = self._shown.late  # kept while a served model greys the box out
        self.late = QCheckBox(LATE_LABEL)
        self.late.setChecked(self._shown.late)
        self.late.setToolTip(LATE_TIP)
        self.window = QSpinBox()
        self.window.setRange(1, 65_536)  # the bounds are settings_checks.py's, said beside the field
        self.window.setSingleStep(512)
        self.window.setValue(self._shown.window)
        self.window.setSuffix(" tokens")
        self.window.setToolTip(WINDOW_TIP)
        self.window_label = QLabel("Window")
        self.window_label.setToolTip(WINDOW_TIP)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.window_label)
        row.addWidget(self.window)
        row.addStretch(1)
        self.place_lines = QCheckBox(PLACE_LABEL)
        self.place_lines.setChecked(self._shown.place_lines)
        self.place_lines.setToolTip(PLACE_TIP)
        self.cost = note_label(GREY)
        say(self.cost, COST)
        self.served_note = note_label(GREY)
        self.error = note_label(RED)
        # What belongs to the box sits under its text, not under the box itself.
        style = self.late.style()
        indent = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + style.pixelMetric(
            QStyle.PixelMetric.PM_CheckBoxLabelSpacing
        )
        under = QVBoxLayout()
        under.setContentsMargins(indent, 0, 0, 0)
        under.setSpacing(3)
        under.addLayout(row)
        under.addWidget(self.place_lines)
        for note in (self.cost, self.served_note, self.error):
            under.addWidget(note)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(3)
        lay.addWidget(self.late)
        lay.addLayout(under)
        self.late.toggled.connect(self._toggled)
        self.window.valueChanged.connect(lambda _v: self.changed.emit())
        self.place_lines.toggled.connect(lambda _on: self.changed.emit())
        self._enable()

    def set_served(self, served: bool) -> None:
        """A served model cannot late-chunk: the box is greyed out, unticked, with the reason; this
        computer's choice comes back with this computer."""
        if served and self.late.isEnabled():
            self._local_late = self.late.isChecked()
        self.late.setEnabled(not served)
        self.late.setChecked(False if served else self._local_late)
        self.late.setToolTip(SERVED_REASON if served else LATE_TIP)
        say(self.served_note, SERVED_REASON if served else "")
        say(self.cost, "" if served else COST)  # in its place: a served model embeds each passage alone
        self._enable()

    def chosen(self) -> Recipe | None:
        """The recipe the fields ask for; None while nothing was chosen and they show the index's."""
        late = self.late.isChecked() if self.late.isEnabled() else self._local_late
        now = Recipe(late=late, window=self.window.value(), place_lines=self.place_lines.isChecked())
        if self._saved is None and now.key == self._shown.key:
            return None
        return now

    def _toggled(self, on: bool) -> None:
        if self.late.isEnabled():
            self._local_late = on
        self._enable()
        self.changed.emit()

    def _enable(self) -> None:
        on = self.late.isEnabled() and self.late.isChecked()
        self.window.setEnabled(on)
        self.window_label.setEnabled(on)
        self.place_lines.setEnabled(on)

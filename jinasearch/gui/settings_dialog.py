"""The settings dialog: where to embed (this computer's model and device, or an embedding server),
passages and how their vectors are made, exclusions. Nothing is saved until every check passes and the
person has agreed."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.config import DEFAULT_EXCLUDE_RULES, Recipe, default_recipe
from ..core.embed import device_problem
from .prefs import DEVICES, MODEL_CHOICES, Prefs
from .recipe_box import RecipeBox
from .server_box import GREY, RED, ServerBox, note_label, say
from .server_link import privacy_question
from .settings_checks import Field, problems


class SettingsDialog(QDialog):
    @classmethod
    def ask(
        cls, prefs: Prefs, data_dir: str, parent: QWidget | None = None, *, index: Recipe | None = None
    ) -> Prefs | None:
        """The new choices, or None when the person cancelled (checks and confirmations happen on OK).
        `index`: the recipe the index makes its vectors with (None: no index yet)."""
        dlg = cls(prefs, data_dir, parent, index=index)
        return dlg.chosen if dlg.exec() == cls.DialogCode.Accepted else None

    def __init__(
        self, prefs: Prefs, data_dir: str, parent: QWidget | None = None, *, index: Recipe | None = None
    ) -> None:
        super().__init__(parent)
        self._index_recipe = index
        self.setWindowTitle("Settings")
        self.setMinimumWidth(620)
        self._old = prefs
        self._trusted = prefs.trusted_hosts
        self.chosen: Prefs | None = None
        self.errors: dict[Field, QLabel] = {name: note_label(RED) for name in ("model", "overlap", "excludes")}
        lay = QVBoxLayout(self)
        lay.addWidget(self._where_box(prefs))
        lay.addLayout(self._passages_form(prefs))
        lay.addStretch(1)  # room the dialog has over its fields goes below them, not between rows
        note = QLabel(
            "A new passage size re-cuts every indexed file in the background (search keeps working). "
            f"Index folder: {data_dir}"
        )
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {GREY};")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(note)
        lay.addWidget(buttons)
        self._show_where()

    # -- layout -----------------------------------------------------------------------------------

    def _where_box(self, prefs: Prefs) -> QGroupBox:
        box = QGroupBox("Where to embed")
        self.on_computer = QRadioButton("This computer")
        self.on_server = QRadioButton("An embedding server")
        self.on_server.setToolTip("Ollama or an OpenAI-compatible server, e.g. a GPU machine on your network")
        group = QButtonGroup(box)
        for button in (self.on_computer, self.on_server):
            group.addButton(button)
        (self.on_server if prefs.where == "server" else self.on_computer).setChecked(True)
        self.on_server.toggled.connect(lambda _on: self._show_where())
        choice = QHBoxLayout()
        choice.addWidget(self.on_computer)
        choice.addWidget(self.on_server)
        choice.addStretch(1)
        self.local = self._local_fields(prefs)
        self.server = ServerBox(prefs.server_url, prefs.api, prefs.server_model)
        lay = QVBoxLayout(box)
        lay.addLayout(choice)
        lay.addWidget(self.local)
        lay.addWidget(self.server)
        return box

    def _local_fields(self, prefs: Prefs) -> QWidget:
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
        fields = QWidget()
        form = QFormLayout(fields)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Model", model_row)
        form.addRow("", self.errors["model"])
        form.addRow("Device", self.device)
        return fields

    def _passages_form(self, prefs: Prefs) -> QFormLayout:
        self.chunk = QSpinBox()
        self.chunk.setRange(32, 8192)
        self.chunk.setValue(prefs.chunk_tokens)
        self.chunk.setSuffix(" tokens")
        self.overlap = QSpinBox()
        self.overlap.setRange(0, 1024)
        self.overlap.setValue(prefs.overlap_tokens)
        self.overlap.setSuffix(" tokens")
        # 0 is "no limit" (QSpinBox's special value text); the core takes None for it.
        self.embed_cap = QSpinBox()
        self.embed_cap.setRange(0, 1_000_000)
        self.embed_cap.setSingleStep(500)
        self.embed_cap.setSpecialValueText("no limit")
        self.embed_cap.setValue(prefs.embed_cap or 0)
        self.embed_cap.setSuffix(" passages")
        self.embed_cap.setToolTip(
            "Search by meaning covers at most this many passages of one file; the rest of a very long file\n"
            "is found by its words. A cap keeps one huge file from holding back all the others."
        )
        self.excludes = QPlainTextEdit("\n".join(prefs.excludes))
        self.excludes.setPlaceholderText("one pattern per line, e.g.\n*.log\n*/drafts/*")
        self.excludes.setFixedHeight(90)
        self.default_excludes = QCheckBox("Skip hidden files, Python environments and package folders")
        self.default_excludes.setChecked(prefs.default_excludes)
        self.default_excludes.setToolTip(
            "\n".join(f"{rule}: {what}" for rule, what in DEFAULT_EXCLUDE_RULES.items())
            + "\n\nFor every folder. What they skip is listed under Skipped… in the folder panel."
        )
        form = QFormLayout()
        form.addRow("Passage size", self.chunk)
        form.addRow("Overlap", self.overlap)
        form.addRow("", self.errors["overlap"])
        form.addRow("By meaning, per file", self.embed_cap)
        self.recipe = RecipeBox(prefs.recipe, self._index_recipe, default_recipe(prefs.model_key))
        self.errors["late_window"] = self.recipe.error
        self.recipe.changed.connect(lambda: self._check(only_shown=True))
        form.addRow("Context", self.recipe)
        form.addRow("Exclude", self.excludes)
        form.addRow("", self.errors["excludes"])
        form.addRow("", self.default_excludes)
        # The reason beside a field follows the field as it is edited, once it has been shown.
        for signal in (self.chunk.valueChanged, self.overlap.valueChanged, self.excludes.textChanged):
            signal.connect(lambda *_a: self._check(only_shown=True))
        self.model.editTextChanged.connect(lambda _t: self._check(only_shown=True))
        return form

    def _check(self, *, only_shown: bool = False) -> bool:
        """Show each field's problem beside it (with `only_shown`, only update those already showing);
        True when there is none."""
        found = problems(self.prefs())
        for name, label in self.errors.items():
            if not only_shown or label.isVisible():
                say(label, found.get(name, ""))
        return not found

    def _show_where(self) -> None:
        served = self.on_server.isChecked()
        self.local.setVisible(not served)
        self.server.setVisible(served)
        self.recipe.set_served(served)
        # The two sets of fields differ in height: fit the dialog once the layout has taken the change in
        # (its wrapped notes are measured on the next turn of the event loop).
        QTimer.singleShot(0, self, self._fit)

    def _fit(self) -> None:
        """As tall as the fields need at the dialog's width (a size hint measures wrapped notes narrower)."""
        lay = self.layout()
        lay.activate()
        self.resize(self.width(), lay.totalHeightForWidth(self.width()))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a sentence-transformers model folder")
        if folder:
            self.model.setEditText(folder)

    # -- the choices ------------------------------------------------------------------------------

    def prefs(self) -> Prefs:
        """The fields as they stand (unchecked: `accept` checks them)."""
        text = self.model.currentText().strip()
        idx = self.model.findText(text)
        name = self.model.itemData(idx) if idx >= 0 else text
        excludes = tuple(x.strip() for x in self.excludes.toPlainText().splitlines() if x.strip())
        return Prefs(
            model=str(name or ""),
            chunk_tokens=self.chunk.value(),
            overlap_tokens=self.overlap.value(),
            excludes=excludes,
            device=DEVICES[self.device.currentIndex()],
            default_excludes=self.default_excludes.isChecked(),
            embed_cap=self.embed_cap.value() or None,
            where="server" if self.on_server.isChecked() else "local",
            server_url=self.server.url.text().strip(),
            api=self.server.chosen_api(),
            server_model=self.server.model.text().strip(),
            trusted_hosts=self._trusted,
            recipe=self.recipe.chosen(),
        )

    def accept(self) -> None:
        """OK: a field that cannot be saved (settings_checks.py), a bad URL or a missing model name keeps the
        dialog open with the reason beside the field;
        so does 'Cancel' to sending text away or to a model change, and a key that cannot be kept."""
        new = self.prefs()
        if not self._check():
            return
        if new.where == "server":
            address, model = self.server.address(), self.server.model_name()
            if address is None or model is None:
                return
            new = replace(new, server_url=address.url)
            if address.sends_text_away and address.host not in self._trusted:
                if not self._agree_to_send(address.host):
                    return
                self._trusted += (address.host,)
                new = replace(new, trusted_hosts=self._trusted)
        if new.model_key != self._old.model_key and not self._agree_to_switch(new):
            return
        if new.server is not None and not self.server.save_key(new.server):
            return
        self.chosen = new
        super().accept()

    def _agree_to_send(self, host: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, "Send passages to another computer?", privacy_question(host))
        box.setParent(self, box.windowFlags())
        send = box.addButton("Send", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is send

    def _agree_to_switch(self, new: Prefs) -> bool:
        where = f" on {new.server}" if new.server is not None else " on this computer"
        answer = QMessageBox.question(
            self,
            "Change model",
            f"Switching to {new.embed_model}{where} re-embeds every passage in the background. "
            "Until it is done, search keeps answering from the current index "
            "with the current model (files added meanwhile are found by their "
            "words); then the new model takes over. Continue?",
        )
        return answer == QMessageBox.StandardButton.Yes

"""The settings dialog's embedding-server fields: URL, API, model, API key, where the text goes, a test."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ..core.errors import ServerAddressError
from .prefs import APIS
from .server_link import (
    CLEARTEXT_WARNING,
    ENV_API_KEY,
    ProbeOutcome,
    ServerAddress,
    keep_key,
    key_from_env,
    parse_address,
    place_of,
    probe,
)

GREY, ORANGE, RED, GREEN = "#5f6368", "#b45309", "#a50e0e", "#1e7e34"


class ServerProbe(QObject):
    """Runs `server_link.probe` on a plain thread (a slow or silent server must not freeze the dialog)
    and announces the outcome; a test started later supersedes one still waiting."""

    finished = Signal(int, object)  # test number, ProbeOutcome

    def __init__(self) -> None:
        super().__init__()
        self.seq = 0
        self._thread: threading.Thread | None = None

    def start(self, url: str, model: str, api: str | None, key: str | None) -> int:
        self.seq += 1
        seq = self.seq
        self._thread = threading.Thread(
            target=lambda: self.finished.emit(seq, probe(url, model, api, key)), name="jinasearch-probe", daemon=True
        )
        self._thread.start()
        return seq

    def join(self, timeout: float) -> None:
        if self._thread is not None:
            self._thread.join(timeout)


def note_label(color: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {color};")
    label.hide()
    return label


def _stacked(*widgets: QWidget) -> QWidget:
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(3)
    for w in widgets:
        lay.addWidget(w)
    return box


def say(label: QLabel, text: str, color: str | None = None) -> None:
    label.setText(text)
    if color is not None:
        label.setStyleSheet(f"color: {color};")
    label.setVisible(bool(text))


class ServerBox(QWidget):
    """The fields of "An embedding server". `address()` checks the URL and says what is wrong beside it."""

    def __init__(self, url: str, api: str | None, model: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = QLineEdit(url)
        self.url.setPlaceholderText("http://localhost:11434")
        self.url.setToolTip("Ollama, or any server with an OpenAI-compatible /v1/embeddings (TEI, Infinity, …)")
        self.where = note_label(GREY)
        self.warning = note_label(ORANGE)
        self.url_error = note_label(RED)
        self.api = QComboBox()
        for label, value in APIS:
            self.api.addItem(label, value)
        self.api.setCurrentIndex(max(0, self.api.findData(api)) if api else 0)
        self.model = QLineEdit(model)
        self.model.setPlaceholderText("as the server names it, e.g. jina/jina-embeddings-v2-base-en")
        self.model_error = note_label(RED)
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(
            f"optional; {ENV_API_KEY} is set and is used" if key_from_env() else "optional; kept in the system keyring"
        )
        self.key_note = note_label(GREY)
        say(self.key_note, "Saved in the system keyring, never in the settings file or the index.")
        self.key_error = note_label(RED)
        self.test = QPushButton("Test connection")
        self.test.clicked.connect(self._test)
        self.result = QLabel()
        self.result.setWordWrap(True)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test)
        test_row.addWidget(self.result, 1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        # Each field with its notes under it, in one row: a hidden note takes no room.
        form.addRow("Server URL", _stacked(self.url, self.where, self.warning, self.url_error))
        form.addRow("API", self.api)
        form.addRow("Model", _stacked(self.model, self.model_error))
        form.addRow("API key", _stacked(self.key, self.key_note, self.key_error))
        form.addRow("", test_row)
        self.probe = ServerProbe()
        self.probe.finished.connect(self._tested)
        self.url.editingFinished.connect(self.show_where)
        self.url.textEdited.connect(lambda _text: say(self.url_error, ""))
        self.model.textEdited.connect(lambda _text: say(self.model_error, ""))
        self.key.textEdited.connect(lambda _text: say(self.key_error, ""))
        self.show_where()

    def chosen_api(self) -> str | None:
        return self.api.currentData()

    def show_where(self) -> None:
        """The line under the URL: where embeddings are computed, and a warning for plain http away."""
        text = self.url.text().strip()
        place = place_of(text, self.chosen_api()) if text else None
        say(self.where, place.sentence if place is not None else "")
        say(self.warning, "⚠ " + CLEARTEXT_WARNING if place is not None and place.cleartext else "")

    def address(self) -> ServerAddress | None:
        """The URL checked, or None with the reason shown beside the field (and the field focused)."""
        try:
            found = parse_address(self.url.text())
        except ServerAddressError as exc:
            say(self.url_error, f"{exc}.")
            self.url.setFocus()
            return None
        say(self.url_error, "")
        self.show_where()
        return found

    def model_name(self) -> str | None:
        name = self.model.text().strip()
        if not name:
            say(self.model_error, "Give the model's name as the server spells it (Ollama: `ollama list`).")
            self.model.setFocus()
        return name or None

    def save_key(self, url: str) -> bool:
        """Keep a typed key in the keyring (an empty field keeps what is saved); False, said, when it cannot."""
        key = self.key.text().strip()
        if not key:
            return True
        problem = keep_key(url, key)
        say(self.key_error, problem or "")
        return problem is None

    def _test(self) -> None:
        address, model = self.address(), self.model_name()
        if address is None or model is None:
            return
        say(self.result, "Testing… (one sentence to the server)", GREY)
        self.probe.start(address.url, model, self.chosen_api(), self.key.text().strip() or None)

    def _tested(self, seq: int, outcome: ProbeOutcome) -> None:
        if seq != self.probe.seq:
            return  # a test started later answers for the fields as they are now
        say(self.result, outcome.text(), GREEN if outcome.error is None else RED)

"""The settings dialog's embedding server: fields kept, the key kept out of the settings file, a bad
URL refused beside the field, the privacy question once per host, and a connection test that never
freezes the dialog."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from jinasearch.gui.dialogs import SettingsDialog
from jinasearch.gui.prefs import Prefs, load_prefs, save_prefs
from tests.gui.embed_stub import MODEL, closed_port_url, stub_server

KEY = "sk-test-not-for-files-4711"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


@pytest.fixture(autouse=True)
def plain_env(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name in ("JINASEARCH_MODEL", "JINASEARCH_SERVER", "JINASEARCH_API", "JINASEARCH_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def asked(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Answer the questions OK raises: Send for the privacy notice (its text is recorded), Yes to a model change."""
    texts: list[str] = []

    def answer(box: QMessageBox) -> int:
        texts.append(box.text())
        next(b for b in box.buttons() if b.text() == "Send").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    return texts


def server_dialog(qtbot, url: str, model: str = MODEL, prefs: Prefs | None = None) -> SettingsDialog:  # type: ignore[no-untyped-def]
    dlg = SettingsDialog(prefs or Prefs(), "/data")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.on_server.setChecked(True)
    dlg.server.url.setText(url)
    dlg.server.url.editingFinished.emit()
    dlg.server.model.setText(model)
    return dlg


def test_server_fields_round_trip_and_the_key_goes_only_to_the_keyring(
    qtbot, tmp_path: Path, ring: MemoryKeyring, asked: list[str]
) -> None:  # type: ignore[no-untyped-def]
    dlg = server_dialog(qtbot, " 127.0.0.1:11434/ ", "jina/jina-embeddings-v2-base-en")
    assert dlg.server.isVisible() and not dlg.local.isVisible()
    dlg.server.api.setCurrentIndex(dlg.server.api.findData("openai"))
    dlg.server.key.setText(KEY)
    dlg.accept()
    chosen = dlg.chosen
    assert chosen is not None and dlg.result() == SettingsDialog.DialogCode.Accepted
    assert (chosen.server, chosen.api, chosen.embed_model) == (
        "http://127.0.0.1:11434",
        "openai",
        "jina/jina-embeddings-v2-base-en",
    )
    assert chosen.model_key == "server:jina/jina-embeddings-v2-base-en"
    assert chosen.settings(tmp_path).server == "http://127.0.0.1:11434"
    assert ring.saved == {("jinasearch", "http://127.0.0.1:11434"): KEY}

    path = tmp_path / "settings.ini"
    qs = QSettings(str(path), QSettings.Format.IniFormat)
    save_prefs(qs, chosen)
    assert load_prefs(qs) == chosen
    assert KEY not in path.read_text(encoding="utf-8")
    assert all(KEY not in str(qs.value(k)) for k in qs.allKeys())

    again = SettingsDialog(load_prefs(qs), "/data")
    qtbot.addWidget(again)
    assert again.on_server.isChecked() and again.server.url.text() == "http://127.0.0.1:11434"
    assert again.server.key.text() == "" and again.prefs() == chosen


def test_without_a_keyring_the_key_is_refused_and_the_environment_variable_named(qtbot, asked: list[str]) -> None:  # type: ignore[no-untyped-def]
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        dlg = server_dialog(qtbot, "http://127.0.0.1:11434")
        dlg.server.key.setText(KEY)
        dlg.accept()
    finally:
        keyring.set_keyring(before)
    assert dlg.chosen is None and dlg.isVisible()
    assert dlg.server.key_error.isVisible() and "JINASEARCH_API_KEY" in dlg.server.key_error.text()


def test_a_bad_url_is_refused_beside_the_field_and_the_dialog_stays_open(qtbot, asked: list[str]) -> None:  # type: ignore[no-untyped-def]
    dlg = server_dialog(qtbot, "ftp://gpu-box:11434")
    dlg.accept()
    assert dlg.chosen is None and dlg.isVisible()
    assert dlg.server.url_error.isVisible() and "http(s)" in dlg.server.url_error.text()
    dlg.server.url.setText("")
    dlg.server.model.setText("")
    dlg.accept()
    assert dlg.chosen is None and "empty" in dlg.server.url_error.text()
    assert dlg.server.model_error.isVisible()
    assert asked == []


def test_the_privacy_question_comes_once_per_host_and_never_for_loopback(qtbot, asked: list[str]) -> None:  # type: ignore[no-untyped-def]
    dlg = server_dialog(qtbot, "http://192.168.1.20:11434")
    assert dlg.server.warning.isVisible() and "http://" in dlg.server.warning.text()
    assert "192.168.1.20" in dlg.server.where.text()
    dlg.accept()
    assert len(asked) == 1 and "will be sent to 192.168.1.20" in asked[0]
    first = dlg.chosen
    assert first is not None and first.trusted_hosts == ("192.168.1.20",)

    again = server_dialog(qtbot, "http://192.168.1.20:8080", prefs=first)  # the same host, another port
    again.accept()
    assert again.chosen is not None and len(asked) == 1

    local = server_dialog(qtbot, "http://127.0.0.1:11434")
    assert not local.server.warning.isVisible()
    local.accept()
    assert local.chosen is not None and len(asked) == 1


def test_cancel_to_the_privacy_question_keeps_the_dialog_open_and_changes_nothing(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def cancel(box: QMessageBox) -> int:
        box.button(QMessageBox.StandardButton.Cancel).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", cancel)
    dlg = server_dialog(qtbot, "https://embed.example.org")
    dlg.accept()
    assert dlg.chosen is None and dlg.isVisible() and dlg.prefs().trusted_hosts == ()


def test_test_connection_reports_the_dimension_and_round_trip(qtbot) -> None:  # type: ignore[no-untyped-def]
    with stub_server() as srv:
        dlg = server_dialog(qtbot, srv.url)
        dlg.server.key.setText("sk-typed")  # typed, not saved yet: the test uses it
        with qtbot.waitSignal(dlg.server.probe.finished, timeout=10_000):
            dlg.server.test.click()
        dlg.server.probe.join(5)
    text = dlg.server.result.text()
    assert text.startswith("OK: 2 dimensions") and "ms round trip" in text and "OpenAI-compatible" in text
    assert len(srv.texts) == 1 and srv.keys == ["Bearer sk-typed"]  # one sentence went there, with the key


def test_test_connection_to_a_closed_port_says_so_and_the_dialog_keeps_answering(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = server_dialog(qtbot, closed_port_url())
    with qtbot.waitSignal(dlg.server.probe.finished, timeout=10_000):
        t0 = time.monotonic()
        dlg.server.test.click()
        assert time.monotonic() - t0 < 0.3  # the click returns at once: the server is asked on a thread
        assert dlg.server.result.text().startswith("Testing")
    dlg.server.probe.join(5)
    assert "cannot reach the embedding server" in dlg.server.result.text()

"""The menu bar: Add folder (the dialog opens in the home folder), Settings, and Quit on the platform's key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog


def test_file_menu_has_add_settings_and_quit(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    titles = [a.text() for a in w.menuBar().actions()]
    assert titles == ["&File"]
    names = [a.text() for a in w.menuBar().actions()[0].menu().actions() if not a.isSeparator()]
    assert names == ["&Add folder…", "&Settings…", "&Quit"]
    assert w.quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    w.quit_action.trigger()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=5_000)


def test_the_folder_dialog_opens_in_the_home_folder(qtbot, make_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    asked = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: asked.append(a) or "")
    w.choose_folder()
    assert asked and asked[0][2] == str(Path.home())

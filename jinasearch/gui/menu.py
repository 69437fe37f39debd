"""The window's menu bar: what every desktop app has (add a folder, settings, quit with the platform's key)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from .window import MainWindow


def build_menu(window: MainWindow) -> QAction:
    """The File menu; returns its Quit action."""
    file_menu = window.menuBar().addMenu("&File")
    add = QAction("&Add folder…", window, triggered=window.choose_folder)
    add.setShortcut(QKeySequence("Ctrl+O"))
    settings = QAction("&Settings…", window, triggered=window.open_settings)
    settings.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
    quit_ = QAction("&Quit", window, triggered=window.close)  # closeEvent saves state and stops the jobs
    quit_.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
    quit_.setMenuRole(QAction.MenuRole.QuitRole)
    for action in (add, settings):
        file_menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(quit_)
    return quit_

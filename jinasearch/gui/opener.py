"""Open a file with the system's application (at a page when a known PDF viewer allows), reveal it, copy its path."""

from __future__ import annotations

import os
import shutil
import sys

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

# PDF viewers that take a page on their command line: (executable, arguments before the file).
PAGE_VIEWERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("evince", ("--page-label={page}",)),
    ("okular", ("--page", "{page}")),
    ("zathura", ("--page={page}",)),
    ("atril", ("--page-label={page}",)),
    ("xreader", ("--page-label={page}",)),
    ("SumatraPDF", ("-page", "{page}")),
)


def page_command(path: str, page: int | None) -> list[str] | None:
    """A command that opens a PDF at `page`, when one of the known viewers is installed; else None."""
    if not page or not path.lower().endswith(".pdf"):
        return None
    for exe, args in PAGE_VIEWERS:
        found = shutil.which(exe)
        if found:
            return [found, *(a.format(page=page) for a in args), path]
    return None


def open_file(path: str, page: int | None = None) -> bool:
    """Open with the default application; PDFs at the page where a known viewer is installed."""
    cmd = page_command(path, page) if sys.platform.startswith("linux") or os.name == "nt" else None
    if cmd is not None and QProcess.startDetached(cmd[0], cmd[1:])[0]:
        return True
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(path)))


def open_folder(path: str) -> bool:
    """Show the file's folder in the file manager."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(os.path.dirname(path))))


def copy_path(path: str) -> None:
    QGuiApplication.clipboard().setText(path)

"""Open a file with the system's application (at a page when a known PDF viewer allows), reveal it, copy its path.

Paths come in as records hold them (core/scan.py: record_path) and leave with the name's exact bytes:
a name that is not valid UTF-8 cannot pass through a QString or QUrl unchanged, so such a name is
handed to the opener as bytes (its command line) and to the clipboard as bytes (text and a file URL)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from urllib.parse import quote_from_bytes

from PySide6.QtCore import QMimeData, QProcess, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

from ..core.scan import fs_path

# PDF viewers that take a page on their command line: (executable, arguments before the file).
PAGE_VIEWERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("evince", ("--page-label={page}",)),
    ("okular", ("--page", "{page}")),
    ("zathura", ("--page={page}",)),
    ("atril", ("--page-label={page}",)),
    ("xreader", ("--page-label={page}",)),
    ("SumatraPDF", ("-page", "{page}")),
)
# What opens any file or folder with its default application on a desktop that is not Windows or macOS
# (freedesktop's xdg-utils, else GLib's gio); used for names Qt cannot carry.
DESKTOP_OPENERS: tuple[tuple[str, ...], ...] = (("xdg-open",), ("gio", "open"))


def page_command(path: str, page: int | None) -> list[str] | None:
    """A command that opens a PDF at `page`, when one of the known viewers is installed; else None."""
    if not page or not path.lower().endswith(".pdf"):
        return None
    for exe, args in PAGE_VIEWERS:
        found = shutil.which(exe)
        if found:
            return [found, *(a.format(page=page) for a in args), path]
    return None


def exact_text(path: str) -> bool:
    """Whether the OS path is valid Unicode text, so Qt's strings and URLs carry it unchanged (a name
    that is not UTF-8 holds lone surrogates, PEP 383)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def open_file(path: str, page: int | None = None) -> bool:
    """Open with the default application; PDFs at the page where a known viewer is installed."""
    path = fs_path(path)
    cmd = page_command(path, page) if sys.platform.startswith("linux") or os.name == "nt" else None
    if cmd is not None and _start(cmd):
        return True
    return _open_default(path)


def open_folder(path: str) -> bool:
    """Show the file's folder in the file manager."""
    return _open_default(os.path.dirname(fs_path(path)))


def copy_path(path: str) -> None:
    """The path on the clipboard as the file system names it: text for a UTF-8 name; for any other, the
    name's bytes as the plain text and a file URL (its bytes percent-encoded) that file managers take."""
    real = fs_path(path)
    if exact_text(real):
        QGuiApplication.clipboard().setText(real)
        return
    raw = os.fsencode(real)
    mime = QMimeData()
    mime.setData("text/plain", raw)
    mime.setData("text/uri-list", b"file://" + quote_from_bytes(raw).encode("ascii") + b"\r\n")
    QGuiApplication.clipboard().setMimeData(mime)


def _open_default(path: str) -> bool:
    if exact_text(path):
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(path)))
    # Only a POSIX desktop has such names (Windows names are UTF-16, macOS ones UTF-8).
    for opener in DESKTOP_OPENERS:
        found = shutil.which(opener[0])
        if found and _start([found, *opener[1:], path]):
            return True
    return False


def _start(cmd: list[str]) -> bool:
    """Start `cmd` detached; False when it cannot be started. A name Qt cannot carry goes through
    subprocess, which passes str arguments to the OS as their exact bytes (os.fsencode)."""
    if all(exact_text(part) for part in cmd):
        return bool(QProcess.startDetached(cmd[0], cmd[1:])[0])
    try:
        subprocess.Popen(  # noqa: S603 - a viewer found on PATH, given one file
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
    except OSError:
        return False
    return True

"""Small pure helpers of the main window: what a drop adds, how a failure reads, the first window size."""

from __future__ import annotations

import os

from PySide6.QtCore import QUrl

from ..core.errors import JinaSearchError


def classify_drop(urls: list[QUrl]) -> tuple[list[str], list[str]]:
    """Dropped URLs -> (folders to index, reasons for what was refused). A file stands for its folder."""
    folders: list[str] = []
    problems: list[str] = []
    for url in urls:
        if not url.isLocalFile():
            problems.append(f"{url.toString()} is not a file or folder on this computer")
            continue
        path = os.path.abspath(url.toLocalFile())
        target = path if os.path.isdir(path) else os.path.dirname(path) if os.path.isfile(path) else None
        if target is None:
            problems.append(f"{path} does not exist" if not os.path.exists(path) else f"{path} is not a folder")
        elif not os.access(target, os.R_OK | os.X_OK):
            problems.append(f"cannot read {target}: permission denied")
        elif target not in folders:
            folders.append(target)
    return folders, problems


def failure_text(exc: Exception | None) -> str:
    """A failed job's error as a person reads it (our own errors already are; others get their type)."""
    if exc is None or isinstance(exc, JinaSearchError):
        return str(exc or "")
    return f"unexpected error: {type(exc).__name__}: {exc}"


def first_size(available: object | None) -> tuple[int, int]:
    """The window's size before any saved geometry: roomy, but never larger than the screen (a 1280x800
    laptop must see the whole window)."""
    width, height = 1400, 860
    if available is not None:
        width = min(width, int(available.width() * 0.92))  # type: ignore[attr-defined]
        height = min(height, int(available.height() * 0.92))  # type: ignore[attr-defined]
    return max(width, 800), max(height, 560)

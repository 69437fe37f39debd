"""The OCR errors: typed, so a caller tells "no engine here" from "this page took too long" from "the
engine crashed" by class.

All are ExtractionErrors, so a file that meets one fails through the same path as any unreadable file
(core/extract/__init__.py, extract_into), and all are `limited`: the cause is this machine (nothing
installed, too slow now, killed), not the file, so a later run reads the file again.
"""

from __future__ import annotations

import sys

from ...errors import ExtractionError


def install_hint(platform: str | None = None) -> str:
    """How to install Tesseract with its English data, in this OS's usual way."""
    platform = platform or sys.platform
    if platform == "win32":
        return "install Tesseract OCR (the UB Mannheim installer, or: winget install UB-Mannheim.TesseractOCR)"
    if platform == "darwin":
        return "install Tesseract OCR (brew install tesseract, or: sudo port install tesseract)"
    return (
        "install Tesseract OCR (Debian/Ubuntu: sudo apt install tesseract-ocr tesseract-ocr-eng; "
        "Fedora: sudo dnf install tesseract tesseract-langpack-eng; Arch: sudo pacman -S tesseract tesseract-data-eng)"
    )


class OcrUnavailableError(ExtractionError):
    """No OCR engine can run on this machine; `problem` says what is missing, `fix` what to install."""

    def __init__(self, problem: str, fix: str | None = None) -> None:
        self.problem = problem
        self.fix = fix if fix is not None else install_hint()
        super().__init__(f"no OCR: {problem}; {self.fix}", limited=True)

    def __reduce__(self) -> tuple[type[OcrUnavailableError], tuple[str, str]]:
        return (type(self), (self.problem, self.fix))  # pickled across the worker pipe: keep both fields


class OcrTimeoutError(ExtractionError):
    """OCR of one image took longer than `seconds` and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"OCR took over {seconds:g} s", limited=True)

    def __reduce__(self) -> tuple[type[OcrTimeoutError], tuple[float]]:
        return (type(self), (self.seconds,))


class OcrCrashedError(ExtractionError):
    """The OCR program died of a signal (the kernel's out-of-memory killer, a crash) instead of answering:
    the machine's state, not an answer about the page. `code`: the exit status as subprocess gives it."""

    def __init__(self, code: int) -> None:
        self.code = code
        super().__init__(f"OCR crashed (exit status {code})", limited=True)

    def __reduce__(self) -> tuple[type[OcrCrashedError], tuple[int]]:
        return (type(self), (self.code,))

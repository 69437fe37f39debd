"""The Tesseract engine: the `tesseract` program, one process per image, so a hung page can be killed.

Tesseract runs as a separate program rather than through a binding (tesserocr) because a read that hangs
inside the library cannot be interrupted, while a process can be ended at its deadline. The price: each
page starts the program and loads its English model again, 0.5 s on a blank image here (2 cores, load
5), against ~3 s to read a page (docs/benchmarks.md, "OCR"). The image goes in on stdin as uncompressed
PGM/PPM, which Leptonica reads without decoding, and the text comes back on stdout (tesseract(1):
`stdin` and `stdout` as file names), so no temporary file outlives a killed read.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PIL.Image import Image

from ...errors import ExtractionError
from .errors import OcrCrashedError, OcrTimeoutError, OcrUnavailableError
from .words import OcrWord, parse_tsv

LANGUAGE = "eng"
# Fully automatic page segmentation without orientation detection (tesseract --help-psm, mode 3): the
# mode for whole pages of columns, headings and paragraphs. Upright orientation comes from EXIF
# (ocr.read_image); 90-degree turns in scans are rare enough not to pay for OSD on every page.
PAGE_SEGMENTATION = "3"

# Where the installers put it when it is not on PATH: UB Mannheim's Windows installer (per machine and
# per user; Windows environment names are case-blind), Homebrew (Apple silicon and Intel), MacPorts.
_KNOWN_PLACES = (
    Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "Tesseract-OCR" / "tesseract.exe",
    Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")) / "Tesseract-OCR" / "tesseract.exe",
    Path(os.environ.get("LOCALAPPDATA", "~")).expanduser() / "Programs" / "Tesseract-OCR" / "tesseract.exe",
    Path("/opt/homebrew/bin/tesseract"),
    Path("/usr/local/bin/tesseract"),
    Path("/opt/local/bin/tesseract"),
)
# Without a console window on Windows (a GUI app would flash one per page).
_NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)


def find_binary() -> Path | None:
    """The tesseract program on PATH or at an installer's usual place; None where there is none."""
    found = shutil.which("tesseract")
    if found:
        return Path(found)
    return next((p for p in _KNOWN_PLACES if sys.platform in ("win32", "darwin") and p.is_file()), None)


class TesseractEngine:
    """Reads an image with the tesseract program: English, whole-page segmentation."""

    name = "tesseract"

    def __init__(self, binary: Path | None = None) -> None:
        found = binary or find_binary()
        if found is None:
            raise OcrUnavailableError("the tesseract program is not installed")
        self.binary = found
        if LANGUAGE not in self._languages():
            raise OcrUnavailableError(f"Tesseract has no '{LANGUAGE}' language data")

    def read(self, image: Image, timeout_s: float) -> str:
        """The text of `image`; OcrTimeoutError if Tesseract takes longer than `timeout_s` (it is killed)."""
        return self._run(image, timeout_s).decode("utf-8", "replace").replace("\f", "\n")

    def read_words(self, image: Image, timeout_s: float) -> list[OcrWord]:
        """The words of `image` with their boxes in its pixels (Tesseract's `tsv` output config, words.py),
        read with the same language and segmentation as `read`, so the words are those of its text."""
        return parse_tsv(self._run(image, timeout_s, "tsv").decode("utf-8", "replace"))

    def _run(self, image: Image, timeout_s: float, *configs: str) -> bytes:
        """What tesseract writes on stdout for `image`, with these output configs (none: plain text)."""
        buf = io.BytesIO()
        image.save(buf, format="PPM")  # PGM for grayscale: no compression to spend time on
        cmd = [str(self.binary), "stdin", "stdout", "-l", LANGUAGE, "--psm", PAGE_SEGMENTATION, *configs]
        try:
            done = subprocess.run(
                cmd, input=buf.getvalue(), capture_output=True, timeout=timeout_s, env=_env(), creationflags=_NO_WINDOW
            )
        except subprocess.TimeoutExpired:  # run() has killed and reaped it
            raise OcrTimeoutError(timeout_s) from None
        except OSError as exc:
            raise OcrUnavailableError(f"the tesseract program cannot be started ({exc.strerror or exc})") from None
        if _crashed(done.returncode):
            raise OcrCrashedError(done.returncode)
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ExtractionError(f"OCR failed (tesseract: {detail[-1][:120] if detail else done.returncode})")
        return done.stdout

    def _languages(self) -> set[str]:
        try:
            out = subprocess.run(
                [str(self.binary), "--list-langs"], capture_output=True, timeout=30, creationflags=_NO_WINDOW
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise OcrUnavailableError(f"the tesseract program does not run ({exc})") from None
        # The first line is a header ("List of available languages in ..."); older versions print it on stderr.
        lines = (out.stdout + out.stderr).decode("utf-8", "replace").splitlines()
        return {line.strip() for line in lines if line.strip() and " " not in line.strip()}


def _env() -> dict[str, str]:
    """Tesseract's OpenMP threads, one: pages are read by several extraction workers at once, and its own
    threads then only contend. Measured on a 2-core machine in use: a 200 dpi page in 2.8 s with one
    thread, 5.6 s with OpenMP's default (its docs advise OMP_THREAD_LIMIT=1 for parallel runs)."""
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _crashed(code: int) -> bool:
    """Whether an exit status is a death rather than an answer: a signal on POSIX (subprocess gives it as
    -N), an NTSTATUS error on Windows (0xC0000000 and up: an access violation, a stack overflow). Tesseract
    itself exits 1 on an image it refuses."""
    return code < 0 or (sys.platform == "win32" and code >= 0xC0000000)

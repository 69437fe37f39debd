"""Extractors that misbehave on cue, for proving the sandbox contains hangs, crashes and memory blow-ups."""

from __future__ import annotations

import os
import signal
import time

from jinasearch.core.extract.runner import Result, SinkFactory, extract_one
from jinasearch.core.models import FileInfo
from jinasearch.core.scan import fs_path


def misbehave(info: FileInfo, known_hash: str | None, sink: SinkFactory | None = None) -> Result:
    """Reads the file's first word: HANG loops forever, CRASH segfaults, BLOAT allocates without end,
    EXIT exits the process; anything else is extracted normally."""
    with open(fs_path(info.path), "rb") as fh:
        head = fh.read(16)
    if head.startswith(b"HANG"):
        while True:
            time.sleep(0.01)
    if head.startswith(b"SPIN"):
        while True:
            pass
    if head.startswith(b"CRASH"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if head.startswith(b"BLOAT"):
        hog = []
        while True:
            hog.append(bytearray(64 * 1024 * 1024))
    if head.startswith(b"EXIT"):
        os._exit(3)
    return extract_one(info, known_hash, sink)


def hang_on_page(info: FileInfo, known_hash: str | None, sink: SinkFactory | None = None) -> Result:
    """The real extraction, except that PDFium hangs on the 4th page of a PDF: idling when the file's
    name says "sleep", burning CPU otherwise (the two ways a parser gets stuck)."""
    import pypdfium2

    real = pypdfium2.PdfPage.get_textpage
    calls = [0]
    spin = "sleep" not in info.path

    def stuck(self):  # type: ignore[no-untyped-def]
        calls[0] += 1
        if calls[0] == 4:
            while True:
                if not spin:
                    time.sleep(0.05)
        return real(self)

    pypdfium2.PdfPage.get_textpage = stuck  # type: ignore[method-assign]
    try:
        return extract_one(info, known_hash, sink)
    finally:
        pypdfium2.PdfPage.get_textpage = real  # type: ignore[method-assign]


def freeze(info: FileInfo, known_hash: str | None, sink: SinkFactory | None = None) -> Result:
    """FREEZE stops the whole worker process (its watchdog too), as a parser holding the GIL in a C loop
    would; anything else is extracted normally."""
    with open(fs_path(info.path), "rb") as fh:
        if fh.read(6) == b"FREEZE":
            os.kill(os.getpid(), signal.SIGSTOP)
    return extract_one(info, known_hash, sink)

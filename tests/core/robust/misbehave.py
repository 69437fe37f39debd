"""Extractors that misbehave on cue, for proving the sandbox contains hangs, crashes and memory blow-ups."""

from __future__ import annotations

import os
import signal
import time

from jinasearch.core.extract.runner import Result, extract_one
from jinasearch.core.models import FileInfo
from jinasearch.core.scan import fs_path


def misbehave(info: FileInfo, known_hash: str | None) -> Result:
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
    return extract_one(info, known_hash)

"""A stand-in extraction for tests/core/extract/test_job.py, run in a worker process: the real one, except
that the file is saved anew (a rename, as editors save) while its first reading is at page 2, and work
that shows no page, hashing the file again, or the reading itself, spins the CPU as a big file would."""

from __future__ import annotations

import os
import time

from jinasearch.core.extract import runner
from jinasearch.core.extract.runner import Result, SinkFactory, extract_one
from jinasearch.core.models import FileInfo
from jinasearch.core.scan import fs_path
from tests.core.docgen import pdf_bytes

# How long hashing the file again, and reading its first page, spin: set by the file's name
# ("spin-hash-1.5", "spin-page-1.0"), so the test decides in its own process.
NEW_TEXT = ["The saved version of the notes, read again from its start.", "Its second page.", "Its third page."]


def spin(seconds: float) -> None:
    """Use `seconds` of this process's CPU time."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def changes_while_read(info: FileInfo, known_hash: str | None, sink: SinkFactory | None = None) -> Result:
    import pypdfium2

    path = fs_path(info.path)
    stem = os.path.basename(path).rsplit(".", 1)[0]
    _, where, seconds = stem.split("-")
    real_textpage, real_hash = pypdfium2.PdfPage.get_textpage, runner.file_hash
    pages, hashes, saved = [0], [0], [False]

    def textpage(self):  # type: ignore[no-untyped-def]
        pages[0] += 1
        if pages[0] == 1 and where == "page":
            spin(float(seconds))  # each reading's first page: a slow page, progress after it
        if pages[0] == 2 and not saved[0]:  # the first reading, at page 2: the file is saved anew
            saved[0] = True
            tmp = path + ".new"
            with open(tmp, "wb") as fh:
                fh.write(pdf_bytes(NEW_TEXT))
            os.replace(tmp, path)
        return real_textpage(self)

    def file_hash(p):  # type: ignore[no-untyped-def]
        hashes[0] += 1
        if hashes[0] == 2:
            pages[0] = 0  # the second reading starts from its own first page
            if where == "hash":
                spin(float(seconds))  # hashing a big file again: CPU, no page
        return real_hash(p)

    pypdfium2.PdfPage.get_textpage = textpage  # type: ignore[method-assign]
    runner.file_hash = file_hash  # type: ignore[assignment]
    try:
        return extract_one(info, known_hash, sink)
    finally:
        pypdfium2.PdfPage.get_textpage = real_textpage  # type: ignore[method-assign]
        runner.file_hash = real_hash  # type: ignore[assignment]

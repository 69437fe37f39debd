"""Which OCR failures a page is read again after: a crashed Tesseract (the machine's state) leaves the
page waiting for the next run; a page OCR read and found no text in is never read again for its bytes."""

from __future__ import annotations

import sys
from contextlib import closing
from pathlib import Path

import pytest

from jinasearch.core.extract import ocr
from jinasearch.core.extract.ocr.tesseract import TesseractEngine
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from tests.core.helpers import settings_for, write
from tests.core.scanned_docs import need_tesseract, write_scanned_pdf
from tests.fakes import FakeEmbedder

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in tesseract is a shell script")


def _found(settings, word: str) -> bool:  # type: ignore[no-untyped-def]
    with closing(Searcher(settings, embedder=FakeEmbedder())) as searcher:
        return bool(searcher.search(f'"{word}"', k=5))


def _waiting(settings) -> int:  # type: ignore[no-untyped-def]
    with closing(Store(settings.db_path)) as store:
        return store.ocr_counts().pages


@posix_only
def test_a_crashed_tesseract_leaves_the_page_for_the_next_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need_tesseract()
    desk = tmp_path / "desk"
    write_scanned_pdf(desk / "lease.pdf", [["This lease is signed by the quartermaster."]])
    write(desk / "notes.txt", "Ordinary notes about the harbour.")  # the index is not empty meanwhile
    killed = tmp_path / "tesseract"  # dies of SIGKILL on every read, as under the out-of-memory killer
    killed.write_text('#!/bin/sh\nif [ "$1" = --list-langs ]; then echo eng; exit 0; fi\nkill -KILL $$\n')
    killed.chmod(0o755)
    crashing = TesseractEngine(killed)
    monkeypatch.setattr(ocr, "engine", lambda name=None: crashing)
    settings = settings_for(tmp_path)
    outcome = run_to_end(Indexer(settings, embedder=FakeEmbedder()).index([desk]))
    assert outcome.summary.failed == 0 and outcome.summary.errors == ()
    assert _waiting(settings) == 1 and not _found(settings, "quartermaster")

    monkeypatch.undo()  # the machine recovered: the next run reads the page
    outcome = run_to_end(Indexer(settings, embedder=FakeEmbedder()).index([desk]))
    assert outcome.summary.ocr_read == 1 and _waiting(settings) == 0 and _found(settings, "quartermaster")


def test_a_page_without_text_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need_tesseract()
    desk = tmp_path / "desk"
    write_scanned_pdf(desk / "scans.pdf", [[], ["The second page names a cormorant."]])  # page 1 is blank
    settings = settings_for(tmp_path)
    run_to_end(Indexer(settings, embedder=FakeEmbedder()).index([desk]))
    assert _waiting(settings) == 0 and _found(settings, "cormorant")
    calls: list[int] = []
    monkeypatch.setattr(ocr, "read_image", lambda *a, **k: calls.append(1) or "")
    outcome = run_to_end(Indexer(settings, embedder=FakeEmbedder()).index([desk]))
    assert calls == [] and outcome.summary.failed == 0 and _waiting(settings) == 0

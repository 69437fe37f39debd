"""Scanned pages through the indexer: text layers first, OCR after, its text kept and never read twice."""

from __future__ import annotations

from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from jinasearch.core import extract as extract_pkg
from jinasearch.core.extract import default_runner, ocr
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.indexing.reading import with_known
from jinasearch.core.models import FileInfo, OcrOrder
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from tests.core.helpers import settings_for, write
from tests.core.scanned_docs import need_tesseract, page_image, write_scanned_pdf
from tests.fakes import FakeEmbedder


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    need_tesseract()
    root = tmp_path / "desk"
    write(root / "a-notes.txt", "Ordinary notes about the harbour and its lighthouse.")
    write_scanned_pdf(
        root / "contract.pdf",
        [["This lease is signed by the quartermaster.", "Rent is due monthly."]],
        text_pages=["Cover page: tenancy agreement."],
    )
    return root


def _page_of(settings, word: str) -> tuple[str, int | None]:  # type: ignore[no-untyped-def]
    with closing(Searcher(settings, embedder=FakeEmbedder())) as searcher:
        hits = searcher.search(f'"{word}"', k=5)
    assert hits, f"{word!r} not found"
    return Path(hits[0].path).name, hits[0].page


def test_scanned_page_is_read_after_the_text_layers_and_found_at_its_page(tmp_path: Path, desk: Path) -> None:
    settings = settings_for(tmp_path)
    progress = list(Indexer(settings, embedder=FakeEmbedder()).index([desk]))
    tasks = [p.task for p in progress if p.phase == "extract"]
    # Every text-layer file is committed before the OCR pass starts.
    assert "ocr" in tasks and tasks.index("ocr") > max(i for i, t in enumerate(tasks) if t == "index")
    outcome = progress[-1].outcome
    assert outcome is not None and outcome.summary.ocr_read == 1 and outcome.summary.failed == 0
    assert _page_of(settings, "quartermaster") == ("contract.pdf", 2)
    assert _page_of(settings, "tenancy") == ("contract.pdf", 1)
    with closing(Store(settings.db_path)) as store:
        assert store.ocr_counts().pages == 0 and store.ocr_counts().read == 1
        # The OCR'd page's passages got vectors too (embedded after the pass).
        assert store.count_pending() == 0


def test_ocr_text_is_never_recomputed_for_the_same_bytes(
    tmp_path: Path, desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path)
    run_to_end(Indexer(settings, embedder=FakeEmbedder()).index([desk]))
    calls: list[int] = []
    real = ocr.read_image
    monkeypatch.setattr(ocr, "read_image", lambda *a, **k: calls.append(1) or real(*a, **k))
    # A newer reader reads every file again: the scanned page's text comes from the store, not from OCR.
    monkeypatch.setattr("jinasearch.core.indexing.changes.READER_VERSION", extract_pkg.READER_VERSION + 1)
    monkeypatch.setattr("jinasearch.core.indexing.commit.READER_VERSION", extract_pkg.READER_VERSION + 1)
    outcome = run_to_end(Indexer(settings, embedder=FakeEmbedder()).index([desk]))
    assert calls == [] and outcome.summary.ocr_read == 0
    assert _page_of(settings, "quartermaster") == ("contract.pdf", 2)
    # A changed file is read by OCR again.
    write_scanned_pdf(desk / "contract.pdf", [["Amended: the quartermaster resigned."]])
    outcome = run_to_end(Indexer(settings, embedder=FakeEmbedder()).index([desk]))
    assert len(calls) == 1 and outcome.summary.ocr_read == 1
    assert _page_of(settings, "resigned") == ("contract.pdf", 1)


def test_ocr_off_for_a_folder_leaves_its_scans_waiting_and_on_reads_them(tmp_path: Path, desk: Path) -> None:
    settings = settings_for(tmp_path)
    outcome = run_to_end(Indexer(settings, embedder=FakeEmbedder(), ocr=False).index([desk]))
    assert outcome.summary.ocr_read == 0 and outcome.summary.failed == 0
    with closing(Store(settings.db_path)) as store:
        counts = store.ocr_counts()
        assert (counts.documents, counts.pages, counts.off) == (1, 1, 1)
    with closing(Searcher(settings, embedder=FakeEmbedder())) as searcher:
        assert not searcher.search('"quartermaster"', k=5)
    # Switched on: only the waiting pages are read (the folder's other files are unchanged).
    outcome = run_to_end(Indexer(settings, embedder=FakeEmbedder(), ocr=True).index([desk]))
    assert outcome.summary.ocr_read == 1 and outcome.summary.indexed == 0
    assert _page_of(settings, "quartermaster") == ("contract.pdf", 2)


def test_a_hanging_ocr_is_cut_off_and_the_other_pages_kept(
    tmp_path: Path, desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real hang: a tesseract that never returns on one page is killed at the page's deadline."""
    from jinasearch.core.extract import scanned
    from jinasearch.core.extract.ocr.tesseract import TesseractEngine, find_binary

    write_scanned_pdf(
        desk / "two-scans.pdf", [["First scanned page mentions a walrus."], ["Second scanned page mentions an otter."]]
    )
    real = find_binary()
    hanging = tmp_path / "tesseract"
    hanging.write_text(
        "#!/bin/sh\n"
        f'[ "$1" = --list-langs ] && exec "{real}" --list-langs\n'
        f'out=$("{real}" "$@")\n'
        'case "$out" in *otter*) sleep 60;; esac\n'
        'printf "%s" "$out"\n'
    )
    hanging.chmod(0o755)
    engine = TesseractEngine(binary=hanging)
    monkeypatch.setattr(ocr, "engine", lambda name=None: engine)
    monkeypatch.setattr(scanned, "OCR_PAGE_TIMEOUT_S", 5.0)
    settings = settings_for(tmp_path)
    outcome = run_to_end(Indexer(settings, embedder=FakeEmbedder()).index([desk]))
    assert outcome.summary.failed == 0
    assert _page_of(settings, "walrus") == ("two-scans.pdf", 1)
    assert _page_of(settings, "quartermaster") == ("contract.pdf", 2)
    with closing(Store(settings.db_path)) as store:
        (error,) = store.conn.execute("SELECT error FROM documents WHERE path LIKE '%two-scans.pdf'").fetchone()
        assert error is not None and "page 2" in error
        assert store.ocr_counts().pages == 0  # a page given up on does not wait for ever
    with closing(Searcher(settings, embedder=FakeEmbedder())) as searcher:
        assert not searcher.search('"otter"', k=5)


def test_ocr_runs_in_the_sandboxed_workers(tmp_path: Path, desk: Path) -> None:
    # An image-only scan and a photo send no text at their first reading: still recorded, then read.
    write_scanned_pdf(desk / "only-scan.pdf", [["A scan with nothing but a picture of a gazebo."]])
    page_image(["A photographed note about a kayak."]).save(desk / "note.png")
    settings = settings_for(tmp_path)
    outcome = run_to_end(Indexer(settings, embedder=FakeEmbedder(), runner=default_runner()).index([desk]))
    assert outcome.summary.ocr_read == 3 and outcome.summary.failed == 0
    assert outcome.summary.scanned == outcome.summary.indexed == 4
    assert _page_of(settings, "quartermaster") == ("contract.pdf", 2)
    assert _page_of(settings, "gazebo") == ("only-scan.pdf", 1)
    assert _page_of(settings, "kayak") == ("note.png", 1)


def test_scans_wait_without_an_engine_and_the_rest_is_indexed(
    tmp_path: Path, desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "available", lambda name=None: False)
    settings = settings_for(tmp_path)
    outcome = run_to_end(Indexer(settings, embedder=FakeEmbedder()).index([desk]))
    assert outcome.summary.failed == 0 and outcome.summary.ocr_read == 0
    assert _page_of(settings, "lighthouse")[0] == "a-notes.txt"
    with closing(Store(settings.db_path)) as store:
        assert store.ocr_counts().pages == 1


def test_settings_unused_are_harmless(tmp_path: Path) -> None:
    # An index without any scan records nothing for OCR.
    settings = replace(settings_for(tmp_path))
    root = tmp_path / "plain"
    write(root / "x.txt", "nothing scanned here")
    run_to_end(Indexer(settings, embedder=FakeEmbedder()).index([root]))
    with closing(Store(settings.db_path)) as store:
        assert store.ocr_counts().documents == 0


def test_every_reading_takes_what_ocr_read_before_for_its_bytes() -> None:
    """One query for all (reading.with_known): a file without an order gets one that only takes the
    pages, the OCR pass's order gets them added, an order that has its pages keeps them."""

    class _Store:
        def ocr_known_all(self) -> dict[str, tuple[str, tuple[tuple[int, str], ...]]]:
            return {"/a.pdf": ("h1", ((2, "two"),))}

    files = [
        FileInfo("/a.pdf", 1, 0.0),
        FileInfo("/a.pdf", 1, 0.0, ocr=OcrOrder(run=True, digest="h1")),
        FileInfo("/a.pdf", 1, 0.0, ocr=OcrOrder(run=True, digest="h1", known=((1, "one"),))),
        FileInfo("/b.pdf", 1, 0.0),
    ]
    orders = [f.ocr for f in with_known(_Store(), files)]  # type: ignore[arg-type]
    assert orders == [
        OcrOrder(run=False, digest="h1", known=((2, "two"),)),
        OcrOrder(run=True, digest="h1", known=((2, "two"),)),
        OcrOrder(run=True, digest="h1", known=((1, "one"),)),
        None,
    ]

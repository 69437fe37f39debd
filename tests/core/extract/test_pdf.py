"""PDF: page numbers kept; AES-encrypted with an empty password read; a real password reported as such;
Brotli-compressed (PDF 2.0) read and found."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import extract
from tests.core.docgen import pdf_bytes, write_encrypted_pdf, write_pdf

PAGES = [
    "The first page is about volcanoes erupting.",
    "Page two explains glaciers (ice rivers).",
    "The third page mentions deserts.",
]


def test_pages_are_kept_with_exact_ranges(tmp_path: Path) -> None:
    ex = extract(write_pdf(tmp_path / "a.pdf", PAGES))
    assert [p.number for p in ex.pages] == [1, 2, 3]
    for page, want in zip(ex.pages, PAGES):
        assert ex.text[page.start : page.end] == want


def test_blank_page_is_skipped_but_numbering_kept(tmp_path: Path) -> None:
    ex = extract(write_pdf(tmp_path / "a.pdf", ["alpha words here", "", "gamma words here"]))
    assert [p.number for p in ex.pages] == [1, 3]
    assert ex.text[ex.pages[1].start : ex.pages[1].end] == "gamma words here"


def test_aes_encrypted_with_empty_password_is_read(tmp_path: Path) -> None:
    ex = extract(write_encrypted_pdf(tmp_path / "e.pdf", PAGES, user_password=""))
    assert [p.number for p in ex.pages] == [1, 2, 3]
    assert "glaciers" in ex.text


def test_password_protected_fails_as_encrypted(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError, match="encrypted"):
        extract(write_encrypted_pdf(tmp_path / "p.pdf", PAGES, user_password="hunter2"))


def test_damaged_and_image_only_pdfs(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    with pytest.raises(ExtractionError, match="damaged|no text"):
        extract(tmp_path / "bad.pdf")
    with pytest.raises(ExtractionError, match="no text"):
        extract(write_pdf(tmp_path / "blank.pdf", ["", ""]))


def test_brotli_compressed_pdf_is_read_and_found_by_its_words(tmp_path: Path) -> None:
    from jinasearch.core.search import Searcher
    from tests.core.helpers import run_index, settings_for
    from tests.fakes import FakeEmbedder

    data = pdf_bytes(PAGES, brotli=True)
    assert data.count(b"/Filter /BrotliDecode") == 3  # every page's content stream
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "brotli.pdf").write_bytes(data)
    ex = extract(tmp_path / "docs" / "brotli.pdf")
    assert [p.number for p in ex.pages] == [1, 2, 3] and "glaciers (ice rivers)" in ex.text

    settings = settings_for(tmp_path)
    summary, _ = run_index(settings, [tmp_path / "docs"], FakeEmbedder())
    assert summary.indexed == 1 and summary.failed == 0
    searcher = Searcher(settings, embedder=FakeEmbedder())
    try:
        hits = searcher.search("glaciers", mode="keyword")
    finally:
        searcher.close()
    assert [(Path(h.path).name, h.page) for h in hits] == [("brotli.pdf", 2)]

"""PDF: page numbers kept; AES-encrypted with an empty password read; a real password reported as such."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import extract
from tests.core.docgen import write_encrypted_pdf, write_pdf

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

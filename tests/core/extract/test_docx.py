"""DOCX: paragraphs and table cells in order; broken archives and zip bombs refused with a reason."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import extract
from tests.core.docgen import write_docx


def test_paragraphs_and_tables(tmp_path: Path) -> None:
    f = write_docx(
        tmp_path / "a.docx",
        ["Quarterly report.", "", "Sales grew in spring."],
        table=[["Region", "Total"], ["North", "42"]],
    )
    text = extract(f).text
    assert text == "Quarterly report.\n\nSales grew in spring.\n\nRegion | Total\n\nNorth | 42"


def test_not_a_zip(tmp_path: Path) -> None:
    (tmp_path / "bad.docx").write_bytes(b"not a zip at all")
    with pytest.raises(ExtractionError, match="damaged"):
        extract(tmp_path / "bad.docx")


def test_zip_without_document(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "empty.docx", "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ExtractionError, match="damaged DOCX"):
        extract(tmp_path / "empty.docx")


def test_decompression_bomb_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (40 * 1024 * 1024))
    with pytest.raises(ExtractionError, match="bomb"):
        extract(tmp_path / "bomb.docx")

"""RTF: text decoded by the file's code page, headings from outline levels, pictures skipped, garbage refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import extract
from tests.core.extract.bookmail import register_book_mail, write_rtf


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    register_book_mail(monkeypatch)


BODY = (
    r"{\pard\outlinelevel0\b\fs36 Garden Report\par}"
    r"{\pard The caf\'e9 sells vrolnik tomatoes.\par}"
    r"{\pard\outlinelevel1\b Watering\par}"
    r"{\pard Water them early: \u8220?dawn\u8221? is best.\line A second line.\par}"
)


def test_text_paragraphs_and_headings(tmp_path: Path) -> None:
    doc = extract(write_rtf(tmp_path / "report.rtf", BODY, title="Spring garden"))
    assert doc.title == "Spring garden"
    assert doc.text == (
        "Garden Report\n\nThe café sells vrolnik tomatoes.\n\nWatering\n\n"
        "Water them early: \u201cdawn\u201d is best.\nA second line."
    )
    assert [(h.level, h.title) for h in doc.headings] == [(1, "Garden Report"), (2, "Watering")]
    for h in doc.headings:
        assert doc.text[h.start : h.start + len(h.title)] == h.title


def test_ansi_code_page_decides_the_escapes(tmp_path: Path) -> None:
    # Cyrillic in windows-1251, from a writer whose font table names no charset: \ansicpg alone decides.
    body = r"{\pard \'cf\'f0\'e8\'e2\'e5\'f2 \'ec\'e8\'f0 zelnokrut\par}"
    doc = extract(write_rtf(tmp_path / "ru.rtf", body, codepage=1251, fonts=r"\f0\fnil Arial;"))
    assert doc.text == "Привет мир zelnokrut"
    # The same bytes under windows-1252 are Western letters.
    doc = extract(write_rtf(tmp_path / "west.rtf", body, codepage=1252, fonts=r"\f0\fnil Arial;"))
    assert doc.text.startswith("Ïðèâåò")


def test_embedded_pictures_add_no_text(tmp_path: Path) -> None:
    picture = r"{\*\shppict{\pict\pngblip\picw10\pich10 " + "89504e470d0a1a0a" * 4000 + "}}"
    doc = extract(write_rtf(tmp_path / "pic.rtf", r"{\pard Before the picture.\par}" + picture + r"{\pard After.\par}"))
    assert doc.text == "Before the picture.\n\nAfter."


def test_binary_and_garbage_fail_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "photo.rtf").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ExtractionError, match="not an RTF file"):
        extract(tmp_path / "photo.rtf")
    (tmp_path / "empty.rtf").write_bytes(rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\*\generator x;}}")
    with pytest.raises(ExtractionError, match="no text found"):
        extract(tmp_path / "empty.rtf")


def test_a_truncated_file_keeps_what_it_has(tmp_path: Path) -> None:
    whole = write_rtf(tmp_path / "whole.rtf", BODY).read_bytes()
    (tmp_path / "cut.rtf").write_bytes(whole[: whole.index(b"Watering")])
    doc = extract(tmp_path / "cut.rtf")
    assert "vrolnik tomatoes" in doc.text and doc.headings[0].title == "Garden Report"

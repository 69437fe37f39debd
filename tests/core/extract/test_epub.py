"""EPUB: chapters in spine order as numbered units with their headings; damaged books refused with a reason."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import epub as epub_mod
from jinasearch.core.extract import extract
from tests.core.extract.bookmail import register_book_mail, unit_of_word, write_epub

CHAPTERS = [
    "<h1>Tides</h1><p>The moon pulls the zorblat water twice a day.</p><h2>Spring tides</h2><p>They are higher.</p>",
    "<section><h1>Waves</h1><p>Wind raises quendril waves over open water.</p></section>",
    "<h1>Currents</h1><p>Warm water flows north as the plimsek current.</p>",
]


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    register_book_mail(monkeypatch)


def test_chapters_are_units_in_spine_order_with_their_headings(tmp_path: Path) -> None:
    book = extract(write_epub(tmp_path / "sea.epub", "The Sea Book", CHAPTERS))
    assert book.title == "The Sea Book"
    # The cover page (an image) and the nav page hold no text, so chapters count from the first with text.
    assert [p.number for p in book.pages] == [1, 2, 3]
    assert unit_of_word(book, "zorblat") == 1 and unit_of_word(book, "quendril") == 2
    assert unit_of_word(book, "plimsek") == 3
    second = book.pages[1]
    assert book.text[second.start : second.end] == "Waves\n\nWind raises quendril waves over open water."
    assert [(h.level, h.title) for h in book.headings] == [
        (1, "Tides"),
        (2, "Spring tides"),
        (1, "Waves"),
        (1, "Currents"),
    ]
    for h in book.headings:
        assert book.text[h.start : h.start + len(h.title)] == h.title


def test_a_missing_chapter_is_skipped_and_noted(tmp_path: Path) -> None:
    good = write_epub(tmp_path / "good.epub", "Holes", CHAPTERS)
    broken = tmp_path / "holes.epub"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            if not info.filename.endswith("ch2.xhtml"):
                dst.writestr(info, src.read(info))
    book = extract(broken)
    assert "quendril" not in book.text and unit_of_word(book, "plimsek") == 2
    assert book.partial is not None and "missing" in book.partial and "1 of" in book.partial


def test_an_oversized_chapter_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(epub_mod, "MAX_ITEM_BYTES", 1000)
    chapters = [CHAPTERS[0], "<p>" + "padding words " * 100 + "quendril</p>"]
    book = extract(write_epub(tmp_path / "big.epub", "Big", chapters))
    assert "zorblat" in book.text and "quendril" not in book.text
    assert book.partial is not None and "limit" in book.partial


def test_damaged_books_fail_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "junk.epub").write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(ExtractionError, match="damaged"):
        extract(tmp_path / "junk.epub")
    with zipfile.ZipFile(tmp_path / "empty.epub", "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
        zf.writestr("notes.txt", "no package here")
    with pytest.raises(ExtractionError, match="no package file"):
        extract(tmp_path / "empty.epub")
    with zipfile.ZipFile(tmp_path / "nospine.epub", "w") as zf:
        zf.writestr("META-INF/container.xml", _CONTAINER)
        zf.writestr("book.opf", "<package><metadata/><manifest/><spine/></package>")
    with pytest.raises(ExtractionError, match="spine lists no chapters"):
        extract(tmp_path / "nospine.epub")


def test_drm_encrypted_chapters_are_refused_in_words(tmp_path: Path) -> None:
    good = write_epub(tmp_path / "good.epub", "Locked", CHAPTERS)
    locked = tmp_path / "locked.epub"
    encryption = (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
        '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
        '<enc:CipherData><enc:CipherReference URI="EPUB/ch1.xhtml"/></enc:CipherData>'
        "</enc:EncryptedData></encryption>"
    )
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(locked, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("META-INF/encryption.xml", encryption)
    with pytest.raises(ExtractionError, match="DRM"):
        extract(locked)


def test_a_package_file_with_an_external_entity_reads_no_local_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("topsecretvalue", encoding="utf-8")
    opf = (
        f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<package xmlns="http://www.idpf.org/2007/opf"><metadata><title>&x;</title></metadata>'
        '<manifest><item id="c" href="c.xhtml" media-type="application/xhtml+xml"/></manifest>'
        '<spine><itemref idref="c"/></spine></package>'
    )
    with zipfile.ZipFile(tmp_path / "xxe.epub", "w") as zf:
        zf.writestr("META-INF/container.xml", _CONTAINER)
        zf.writestr("book.opf", opf)
        zf.writestr("c.xhtml", "<html><body><p>Plain chapter text.</p></body></html>")
    book = extract(tmp_path / "xxe.epub")
    assert "topsecretvalue" not in book.title + book.text and "Plain chapter text." in book.text


_CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    '<rootfiles><rootfile full-path="book.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'
)

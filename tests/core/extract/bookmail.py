"""Write small real EPUB, RTF and mail files for tests, and a registry that reads them.

core/extract/__init__.py registers these extractors; `register_book_mail` puts them in a copy of the
registry all the same, so that these tests say what they read with and keep testing these modules
if the package's registry changes (the indexer looks the registry up at each call).
"""

from __future__ import annotations

import mailbox
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

import pytest

import jinasearch.core.extract as extract_pkg
from jinasearch.core.extract.epub import EpubExtractor
from jinasearch.core.extract.mail import EmlExtractor, MboxExtractor
from jinasearch.core.extract.rtf import RtfExtractor
from jinasearch.core.models import Extracted


def register_book_mail(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = dict(extract_pkg.REGISTRY)
    for e in (EpubExtractor(), RtfExtractor(), EmlExtractor(), MboxExtractor()):
        registry.update({s: e for s in e.suffixes})
    monkeypatch.setattr(extract_pkg, "REGISTRY", registry)


def write_epub(path: Path, title: str, chapters: Sequence[str], *, cover: bool = True) -> Path:
    """An EPUB 3 written by ebooklib: an image-only cover page (no text), the nav page, then one
    XHTML file per chapter (its body markup given) in spine order."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("test-book")
    book.set_title(title)
    book.set_language("en")
    items = []
    if cover:
        page = epub.EpubHtml(title="Cover", file_name="cover.xhtml")
        page.content = "<html><body><p><img src='cover.png' alt=''/></p></body></html>"
        items.append(page)
    for i, body in enumerate(chapters, start=1):
        page = epub.EpubHtml(title=f"Chapter {i}", file_name=f"ch{i}.xhtml")
        page.content = f"<html><head><title>Chapter {i}</title></head><body>{body}</body></html>"
        items.append(page)
    for page in items:
        book.add_item(page)
    book.toc = tuple(items[1:] if cover else items)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *items]
    epub.write_epub(str(path), book)
    return path


def write_rtf(
    path: Path, body: str, *, codepage: int = 1252, title: str = "", fonts: str = r"\f0\fswiss Arial;"
) -> Path:
    """An RTF document as a word processor writes one: header, font table, info, then `body` (RTF markup)."""
    info = f"{{\\info{{\\title {title}}}}}" if title else ""
    source = f"{{\\rtf1\\ansi\\ansicpg{codepage}\\deff0{{\\fonttbl{{{fonts}}}}}{info}\n{body}\n}}"
    path.write_bytes(source.encode("ascii"))
    return path


def mail(subject: str, body: str, *, sender: str = "Ann Example <ann@example.org>", html: bool = False) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = "Bob Example <bob@example.org>"
    msg["Date"] = "Tue, 03 Mar 2026 10:15:00 +0100"
    if html:
        msg.set_content("<html><body><h1>News</h1><p>" + body + "</p></body></html>", subtype="html")
    else:
        msg.set_content(body)
    return msg


def attach(msg: EmailMessage, data: bytes, filename: str, mime: str = "application/octet-stream") -> EmailMessage:
    maintype, subtype = mime.split("/")
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def write_eml(path: Path, msg: EmailMessage) -> Path:
    path.write_bytes(msg.as_bytes())
    return path


def write_mbox(path: Path, messages: Sequence[EmailMessage]) -> Path:
    box = mailbox.mbox(path)
    try:
        for msg in messages:
            box.add(msg)
        box.flush()
    finally:
        box.close()
    return path


def unit_of_word(extracted: Extracted, word: str) -> int:
    """The number of the unit (chapter, message) whose text holds `word`; fails if none does."""
    at = extracted.text.find(word)
    assert at >= 0, f"{word!r} not in the text"
    return next(p.number for p in extracted.pages if p.start <= at < p.end)

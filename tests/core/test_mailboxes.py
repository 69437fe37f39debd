"""Mailboxes as mail programs keep them: far larger than a document (a limit of their own), and without a
suffix (a Thunderbird folder: "Inbox" beside "Inbox.msf"), known by their first bytes."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from jinasearch.core.attached import AttachedPath, attached_path, split_attached
from jinasearch.core.context import breadcrumb
from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import base, extract, stopped_at, supported, type_of, unit_of
from jinasearch.core.extract import mail as mail_mod
from jinasearch.core.extract.mail_save import save_attached
from jinasearch.core.extract.mbox_sniff import SNIFF_BYTES, looks_like_mbox
from jinasearch.core.extract.runner import extract_one
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.models import Filters
from jinasearch.core.scan import scan
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from tests.core.docgen import pdf_bytes
from tests.core.extract.bookmail import attach, mail, register_book_mail, write_eml, write_mbox
from tests.core.helpers import run_index, settings_for
from tests.fakes import FakeEmbedder

INVOICE = pdf_bytes(["Invoice page one: parts list.", "Invoice page two: the quorvantel total."])
THUNDERBIRD = (
    b"From - Tue Mar  3 10:15:00 2026\r\nX-Mozilla-Status: 0001\r\nX-Mozilla-Status2: 00000000\r\n"
    b"Return-Path: <ann@example.org>\r\nReceived: from mx.example.org\r\n\tby mail.example.org\r\n"
    b"Subject: Hello\r\n\r\nHi.\r\n"
)


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    register_book_mail(monkeypatch)


def _read(path: Path):  # type: ignore[no-untyped-def]
    (info,) = scan([path])
    return extract_one(info, None)


def test_a_mailbox_over_the_file_limit_is_read_and_one_over_its_own_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 4096)  # stands in for 200 MB
    box = write_mbox(tmp_path / "takeout.mbox", [mail(f"Note {i}", f"Body {i}: " + "words " * 150) for i in range(8)])
    inbox = tmp_path / "Inbox"
    inbox.write_bytes(box.read_bytes())
    (tmp_path / "big.txt").write_text("text " * 1000, encoding="utf-8")
    assert box.stat().st_size > 4096 * 2
    assert (_read(tmp_path / "big.txt").error or "").startswith("too large to index")  # the limit holds elsewhere
    for path in (box, inbox):
        result = _read(path)
        assert result.error is None and result.extracted is not None
        assert [p.number for p in result.extracted.pages] == list(range(1, 9)) and result.extracted.partial is None
    monkeypatch.setattr(mail_mod, "MAX_MBOX_BYTES", box.stat().st_size - 1)
    size_mb, limit_mb = box.stat().st_size / 1e6, (box.stat().st_size - 1) / 1e6
    why = f"too large to index ({size_mb:.0f} MB; limit {limit_mb:.0f} MB)"
    assert _read(box).error == why and _read(inbox).error == why
    with pytest.raises(ExtractionError, match="too large to index"):
        extract(box)


def test_a_file_without_a_suffix_is_a_mailbox_by_its_first_bytes(tmp_path: Path) -> None:
    def sniffed(name: str, data: bytes) -> bool:
        (tmp_path / name).write_bytes(data)
        return looks_like_mbox(tmp_path / name)

    assert sniffed("Inbox", THUNDERBIRD)
    assert sniffed("Long", b"From a@b Mon Jan 1 00:00:00 2024\nReceived: x\n" + b"X-Spam: " + b"y" * SNIFF_BYTES)
    assert not sniffed("Letter", b"From the desk of Ann:\nDear Bob, here is the plan.\n")
    assert not sniffed("Notes", b"Shopping list\nFrom: the market\n")
    assert not sniffed("Blob", b"\x7fELF\x02\x01\x01" + bytes(64))
    assert not sniffed("Empty", b"")
    os.mkfifo(tmp_path / "fifo")
    assert not looks_like_mbox(tmp_path / "fifo")  # never opened: it would block
    assert not looks_like_mbox(tmp_path / "gone")
    assert (type_of(tmp_path / "Inbox"), type_of(tmp_path / "Notes"), type_of(tmp_path / "Inbox.msf")) == (
        ".mbox",
        "",
        ".msf",
    )
    assert supported(tmp_path / "Inbox") and not supported(tmp_path / "Notes") and not supported(tmp_path / "fifo")


def test_a_nameless_attachment_is_not_opened_as_a_mailbox(tmp_path: Path) -> None:
    inner = write_mbox(tmp_path / "inner.mbox", [mail("Hidden", "The word zembrotic.")]).read_bytes()
    msg = attach(mail("Odd part", "See the part."), inner, "folder", "application/x-unknown-zz")
    doc = extract(write_eml(tmp_path / "odd.eml", msg))
    assert "Attachment: folder (skipped: unsupported file type '(none)')" in doc.text and doc.attached == ()


def _thunderbird(tmp_path: Path) -> Path:
    """A Thunderbird profile's mail folder: Inbox (two messages, an invoice on the first), its summary,
    and a file without a suffix that is no mailbox."""
    folder = tmp_path / "Mail" / "Local Folders"
    folder.mkdir(parents=True)
    first = attach(mail("Your invoice", "The invoice is attached."), INVOICE, "invoice.pdf", "application/pdf")
    second = mail("Harbour news", "The ferry timetable changes: plomvastic.", sender="Bob <bob@example.org>")
    write_mbox(folder / "Inbox", [first, second])
    (folder / "Inbox.msf").write_bytes(b'// <!-- <mdb:mork:z v="1.4"/> -->\n< <(a=c)> (80=ns:msg:db:row:scope)>\n')
    (folder / "filters").write_text("version=9\nlogging=no\nname=plomvastic\n", encoding="utf-8")
    return folder


def test_a_thunderbird_folder_is_indexed_as_mail(tmp_path: Path) -> None:
    folder = _thunderbird(tmp_path)
    inbox = folder / "Inbox"
    settings = settings_for(tmp_path)
    summary, _ = run_index(settings, [tmp_path / "Mail"], FakeEmbedder())
    assert (summary.indexed, summary.failed) == (1, 0), summary.errors
    store = Store(settings.db_path)
    try:
        (stats,) = store.folder_stats()
        assert list(store.documents_in(stats.id)) == [str(inbox)]  # not Inbox.msf, not "filters"
    finally:
        store.close()
    s = Searcher(settings, embedder=FakeEmbedder())
    try:

        def found(query: str, **filters: object) -> list[str]:
            hits = s.search(query, mode="keyword", filters=Filters(**filters))  # type: ignore[arg-type]
            return [f"{h.path}#{h.page}" for h in hits]

        assert found("plomvastic") == [f"{inbox}#2"]
        assert found("plomvastic", exts=("mbox",)) == [f"{inbox}#2"]  # the app's Mail type, `--type mbox`
        assert found("plomvastic", exts=("pdf",)) == [] and found("plomvastic", sender="bob") == [f"{inbox}#2"]
        invoice = attached_path(str(inbox), 1, "invoice.pdf")
        assert found("quorvantel") == [f"{invoice}#2"] and found("quorvantel", exts=("pdf",)) == [f"{invoice}#2"]
    finally:
        s.close()
    assert unit_of(inbox) == "message" and stopped_at(str(inbox), 3, 10) == " at message 4 of 10"
    assert breadcrumb(str(inbox), "", "", 2) == "Inbox · message 2"
    assert split_attached(invoice) == AttachedPath(str(inbox), 1, "invoice.pdf")
    assert split_attached(f"{folder / 'filters'}/1/x.pdf") is not None  # a file: no real path runs through it
    assert split_attached(f"{folder}/1/x.pdf") is None  # a folder
    out = tmp_path / "out"
    out.mkdir()
    assert save_attached(AttachedPath(str(inbox), 1, "invoice.pdf"), out).read_bytes() == INVOICE


def test_a_mailbox_without_a_suffix_keeps_its_type_through_a_re_cut(tmp_path: Path) -> None:
    inbox = _thunderbird(tmp_path) / "Inbox"
    settings = settings_for(tmp_path)
    run_index(settings, [tmp_path / "Mail"], FakeEmbedder())
    smaller = replace(settings, chunk_tokens=20, overlap_tokens=4)
    run_to_end(Indexer(smaller, embedder=FakeEmbedder(), rechunk=True).index([tmp_path / "Mail"]))
    store = Store(settings.db_path)
    try:
        assert store.file_types() == ["mbox", "pdf"]
        assert [d.ext for d in store.indexed_after(0, 10) if d.path == str(inbox)] == ["mbox"]
    finally:
        store.close()

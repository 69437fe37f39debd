"""Mail attachments as documents of their own: their paths, found by their own words at their own pages,
filtered by their own type and by their message, kept and dropped with their mail, and written out to open."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from jinasearch.core.attached import AttachedPath, attached_path, split_attached, unique_names
from jinasearch.core.errors import AttachmentGoneError
from jinasearch.core.extract.mail_save import save_attached
from jinasearch.core.models import Filters
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from tests.core.docgen import pdf_bytes
from tests.core.extract.bookmail import attach, mail, register_book_mail, write_mbox
from tests.core.helpers import run_index, settings_for
from tests.fakes import FakeEmbedder

INVOICE = pdf_bytes(["Invoice page one: parts list.", "Invoice page two: the hondrabel total."])


def test_an_attachment_path_names_its_mail_message_and_name() -> None:
    path = attached_path("/home/me/mail/inbox.mbox", 12, "invoice.pdf")
    assert path == "/home/me/mail/inbox.mbox/12/invoice.pdf"
    assert split_attached(path) == AttachedPath("/home/me/mail/inbox.mbox", 12, "invoice.pdf")
    assert split_attached("/home/me/mail/Letter.EML/1/a b.docx") == AttachedPath(
        "/home/me/mail/Letter.EML", 1, "a b.docx"
    )
    for other in ("/home/me/docs/report.pdf", "/home/me/a.mbox/x/b.pdf", "/home/me/2024/12/notes.txt", "b.pdf"):
        assert split_attached(other) is None
    assert unique_names(["a.pdf", "a.pdf", "b", "a.pdf"]) == ["a.pdf", "a (2).pdf", "b", "a (3).pdf"]


def _messages(with_invoice: bool = True) -> list:  # type: ignore[type-arg]
    first = mail("Hello", "Nothing much.")
    second = mail("Your invoice", "The invoice is attached.", sender="Carol Shop <carol@shop.example>")
    if with_invoice:
        attach(second, INVOICE, "invoice.pdf", "application/pdf")
    return [first, second]


@pytest.fixture
def indexed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, Path]:
    register_book_mail(monkeypatch)
    (tmp_path / "docs").mkdir()
    box = write_mbox(tmp_path / "docs" / "inbox.mbox", _messages())
    settings = settings_for(tmp_path)
    summary, _ = run_index(settings, [box.parent], FakeEmbedder())
    assert (summary.indexed, summary.failed) == (1, 0), summary.errors
    return settings, box


def _search(settings: object, query: str, **filters: object) -> list[str]:
    s = Searcher(settings, embedder=FakeEmbedder())  # type: ignore[arg-type]
    try:
        return [f"{h.path}#{h.page}" for h in s.search(query, mode="keyword", filters=Filters(**filters))]  # type: ignore[arg-type]
    finally:
        s.close()


def test_an_attachment_is_found_at_its_own_page_by_its_own_type_and_message(indexed: tuple[object, Path]) -> None:
    settings, box = indexed
    invoice = attached_path(str(box), 2, "invoice.pdf")
    assert _search(settings, "hondrabel") == [f"{invoice}#2"]
    assert _search(settings, "hondrabel", exts=("pdf",)) == [f"{invoice}#2"]  # a PDF, though inside an mbox
    assert _search(settings, "hondrabel", exts=("mbox",)) == []
    assert _search(settings, "hondrabel", sender="carol") == [f"{invoice}#2"]  # its message's sender
    assert _search(settings, "hondrabel", sender="ann") == []
    assert _search(settings, "hondrabel", subject="invoice") == [f"{invoice}#2"]
    # The date a date filter reads is its message's (3 March 2026), not the mailbox file's (today).
    march = datetime(2026, 3, 31, tzinfo=timezone.utc).timestamp()
    assert _search(settings, "hondrabel", modified_before=march) == [f"{invoice}#2"]
    assert _search(settings, '"Attachment: invoice.pdf"') == [f"{box}#2"]  # the message names it


def test_attachments_count_as_documents_not_files(indexed: tuple[object, Path]) -> None:
    settings, box = indexed
    store = Store(settings.db_path)  # type: ignore[attr-defined]
    try:
        assert store.counts().indexed == 1  # the mailbox file
        (folder,) = store.folder_stats()
        assert folder.files == 1
        assert list(store.documents_in(folder.id)) == [str(box)]  # what a scan compares with the disk
    finally:
        store.close()


def test_an_attachment_goes_with_its_mail(indexed: tuple[object, Path]) -> None:
    settings, box = indexed
    summary, _ = run_index(settings, [box.parent], FakeEmbedder())  # nothing changed: nothing read
    assert (summary.indexed, summary.unchanged, summary.removed) == (0, 1, 0)
    assert _search(settings, "hondrabel")
    box.unlink()  # write_mbox adds to a mailbox that is there
    write_mbox(box, _messages(with_invoice=False))
    os.utime(box, (1e9, 1e9))
    run_index(settings, [box.parent], FakeEmbedder())
    assert _search(settings, "hondrabel") == [] and _search(settings, "invoice")  # the mail is still there
    box.unlink()
    write_mbox(box, _messages())
    os.utime(box, (2e9, 2e9))
    run_index(settings, [box.parent], FakeEmbedder())
    assert _search(settings, "hondrabel")
    box.unlink()
    run_index(settings, [box.parent], FakeEmbedder())
    store = Store(settings.db_path)  # type: ignore[attr-defined]
    try:
        assert store.counts().indexed == 0 and store.counts().passages == 0
    finally:
        store.close()


def test_an_attachment_is_written_out_of_its_mail_to_open_it(indexed: tuple[object, Path], tmp_path: Path) -> None:
    _, box = indexed
    out = tmp_path / "out"
    out.mkdir()
    saved = save_attached(AttachedPath(str(box), 2, "invoice.pdf"), out)
    assert saved == out / "invoice.pdf" and saved.read_bytes() == INVOICE
    with pytest.raises(AttachmentGoneError, match="no longer holds"):
        save_attached(AttachedPath(str(box), 1, "invoice.pdf"), out)
    with pytest.raises(AttachmentGoneError, match="cannot read"):
        save_attached(AttachedPath(str(tmp_path / "gone.mbox"), 2, "invoice.pdf"), out)


def test_a_result_names_an_attachment_after_its_mail_and_message() -> None:
    from jinasearch.core.context import breadcrumb

    invoice = attached_path("/m/inbox.mbox", 12, "invoice.pdf")
    assert breadcrumb(invoice, "", "Totals", 2) == "inbox.mbox › message 12 › invoice.pdf › Totals · p. 2"
    assert breadcrumb(attached_path("/m/letter.eml", 1, "plan.docx"), "", "", None) == "letter.eml › plan.docx"

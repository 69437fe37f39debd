"""A mail folder whose name holds a dot ("archive.2023", "Project v1.2") is a mailbox by its first bytes,
though its name seems to have a suffix; a file of that kind that is no mail stays unread."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from unittest import mock

import pytest

from jinasearch.core.attached import AttachedPath, attached_path, split_attached
from jinasearch.core.context import breadcrumb
from jinasearch.core.extract import extract, supported, type_of, unit_of
from jinasearch.core.extract.mail_save import save_attached
from jinasearch.core.models import Filters
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from tests.core.docgen import pdf_bytes
from tests.core.extract.bookmail import attach, mail, register_book_mail, write_eml, write_mbox
from tests.core.helpers import run_index, settings_for
from tests.fakes import FakeEmbedder

INVOICE = pdf_bytes(["Invoice page one: parts list.", "Invoice page two: the trelvoquin total."])


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    register_book_mail(monkeypatch)


def _folder(tmp_path: Path) -> Path:
    """A Thunderbird mail folder with two dotted mailboxes (one with an invoice on its first message), the
    summary of one, and dotted files that are no mail: a text file, a binary, a file that starts with "From "."""
    folder = tmp_path / "Mail" / "Local Folders"
    folder.mkdir(parents=True)
    first = attach(mail("Your invoice", "The invoice is attached."), INVOICE, "invoice.pdf", "application/pdf")
    second = mail("Harbour news", "The ferry timetable changes: glimmerfrost.", sender="Bob <bob@example.org>")
    write_mbox(folder / "archive.2023", [first, second])
    write_mbox(folder / "Project v1.2", [mail("Release plan", "Version one point two ships with quenbrill.")])
    (folder / "archive.2023.msf").write_bytes(b'// <!-- <mdb:mork:z v="1.4"/> -->\n< <(a=c)> (80=ns:msg)>\n')
    (folder / "notes.v2").write_text("Notes on glimmerfrost and quenbrill.\n", encoding="utf-8")
    (folder / "build.o").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(64))
    (folder / "letter.v3").write_text("From the desk of Ann: glimmerfrost.\n", encoding="utf-8")
    return folder


def test_a_dotted_name_is_a_mailbox_by_its_first_bytes_and_anything_else_keeps_its_suffix(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert type_of(folder / "archive.2023") == type_of(folder / "Project v1.2") == ".mbox"
    assert unit_of(folder / "archive.2023") == "message"
    assert [type_of(folder / n) for n in ("notes.v2", "build.o", "letter.v3", "archive.2023.msf")] == [
        ".v2",
        ".o",
        ".v3",
        ".msf",
    ]
    assert not any(supported(folder / n) for n in ("notes.v2", "build.o", "letter.v3", "archive.2023.msf"))
    box = (folder / "archive.2023").read_bytes()
    (folder / "copy.txt").write_bytes(box)  # a suffix an extractor reads is its type, whatever the bytes
    assert type_of(folder / "copy.txt") == ".txt"
    # A suffix the MIME table gives another type is not even opened (a cloud drive's online-only file
    # would be downloaded): a video holding mailbox bytes stays a video.
    (folder / "clip.mp4").write_bytes(box)
    with mock.patch("jinasearch.core.extract.looks_like_mbox", side_effect=AssertionError("sniffed")):
        assert type_of(folder / "clip.mp4") == ".mp4" and not supported(folder / "clip.mp4")


def test_a_dotted_mailbox_is_indexed_as_mail_with_its_attachments(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    archive, project = folder / "archive.2023", folder / "Project v1.2"
    settings = settings_for(tmp_path)
    summary, _ = run_index(settings, [tmp_path / "Mail"], FakeEmbedder())
    assert (summary.indexed, summary.failed) == (2, 0), summary.errors
    with closing(Store(settings.db_path)) as store:
        (stats,) = store.folder_stats()
        assert sorted(store.documents_in(stats.id)) == sorted([str(archive), str(project)])  # no dotted non-mail
        assert store.file_types() == ["mbox", "pdf"]
    invoice = attached_path(str(archive), 1, "invoice.pdf")
    with closing(Searcher(settings, embedder=FakeEmbedder())) as s:

        def found(query: str, **filters: object) -> list[str]:
            hits = s.search(query, mode="keyword", filters=Filters(**filters))  # type: ignore[arg-type]
            return [f"{h.path}#{h.page}" for h in hits]

        assert found("glimmerfrost") == [f"{archive}#2"]  # not notes.v2 nor letter.v3
        assert found("quenbrill", exts=("mbox",)) == [f"{project}#1"]
        assert found("glimmerfrost", sender="bob") == [f"{archive}#2"]
        assert found("trelvoquin") == [f"{invoice}#2"] and found("trelvoquin", exts=("pdf",)) == [f"{invoice}#2"]
    assert breadcrumb(str(archive), "", "", 2) == "archive.2023 · message 2"
    assert breadcrumb(invoice, "", "", 2) == "archive.2023 › message 1 › invoice.pdf · p. 2"
    assert split_attached(invoice) == AttachedPath(str(archive), 1, "invoice.pdf")
    assert split_attached(f"{folder / 'v1.2'}/1/x.pdf") is None  # no such file: a folder's path, not a mail's
    out = tmp_path / "out"
    out.mkdir()
    assert save_attached(AttachedPath(str(archive), 1, "invoice.pdf"), out).read_bytes() == INVOICE


def test_an_attachment_of_no_known_type_is_not_opened_as_a_mailbox(tmp_path: Path) -> None:
    inner = write_mbox(tmp_path / "inner.mbox", [mail("Hidden", "The word zembrotic.")]).read_bytes()
    msg = attach(mail("Odd part", "See the part."), inner, "archive.2023", "application/x-unknown-zz")
    doc = extract(write_eml(tmp_path / "odd.eml", msg))
    assert "Attachment: archive.2023 (skipped: unsupported file type '.2023')" in doc.text and doc.attached == ()

"""Opening a mail attachment found by a search: a copy written out of its mail is opened at its page; its
folder and path are the mail file's; an attachment the mail no longer holds is said in the window."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from jinasearch.core.attached import attached_path
from jinasearch.gui import actions, opener
from jinasearch.gui.page_view import is_pdf_page
from tests.ask_helpers import sample_hit
from tests.core.docgen import pdf_bytes
from tests.core.extract.bookmail import attach, mail, write_mbox

INVOICE = pdf_bytes(["Invoice page one.", "Invoice page two: the total."])


@pytest.fixture
def box(tmp_path: Path) -> Path:
    msg = attach(mail("Your invoice", "Attached."), INVOICE, "invoice.pdf", "application/pdf")
    return write_mbox(tmp_path / "inbox.mbox", [mail("Hello", "Hi."), msg])


class _Banner:
    """What actions need of the window's banner: a property and an error line."""

    def __init__(self) -> None:
        self.props: dict[str, object] = {}
        self.errors: list[str] = []

    def setProperty(self, name: str, value: object) -> None:  # noqa: N802 - Qt's name
        self.props[name] = value

    def show_error(self, text: str, **kw: object) -> None:
        self.errors.append(text)


@pytest.fixture(autouse=True)
def temp_in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The copies written out of a mail go to the system's temp folder: here, this test's own."""
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def test_an_attachment_opens_as_a_copy_out_of_its_mail(box: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(opener, "open_file", lambda path, page=None: calls.append((path, page)) or True)
    monkeypatch.setattr(opener, "open_folder", lambda path: calls.append((path, "folder")) or True)
    monkeypatch.setattr(opener, "copy_path", lambda path: calls.append((path, "copy")))
    hit = sample_hit(path=attached_path(str(box), 2, "invoice.pdf"), page=2)
    assert actions.open_hit(hit)
    (opened, page), *_ = calls
    assert Path(opened).name == "invoice.pdf" and Path(opened).read_bytes() == INVOICE and page == 2
    assert Path(opened).parent != box.parent  # a private temporary folder, not beside the mail
    actions.reveal_hit(hit)
    actions.copy_hit_path(hit)
    assert calls[1:] == [(str(box), "folder"), (str(box), "copy")]  # the mail file's, which is on disk
    assert not is_pdf_page(hit)  # shown as text: no file to draw its pages from


def test_an_attachment_the_mail_no_longer_holds_is_said(box: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(opener, "open_file", lambda path, page=None: pytest.fail("nothing to open"))
    banner = _Banner()
    hit = sample_hit(path=attached_path(str(box), 1, "invoice.pdf"), page=1)
    actions.open_or_say(hit, banner)  # type: ignore[arg-type]
    assert not any(Path(tempfile.gettempdir()).iterdir())  # no empty folder left for the copy that was not
    (error,) = banner.errors
    assert "Could not open invoice.pdf" in error and "no longer holds" in error
    assert banner.props["path"] == str(box)


def test_a_file_of_its_own_opens_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(opener, "open_file", lambda path, page=None: calls.append((path, page)) or True)
    pdf = tmp_path / "manual.pdf"
    pdf.write_bytes(INVOICE)
    hit = sample_hit(path=str(pdf), page=2)
    assert actions.open_hit(hit) and calls == [(str(pdf), 2)] and is_pdf_page(hit)

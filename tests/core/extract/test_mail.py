"""Mail: one unit per message (header block, body, a line per attachment), each attachment read as a
document of its own; an attachment never loses the mail."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import extract, mail_parts
from jinasearch.core.extract import mail as mail_mod
from jinasearch.core.models import MessageMeta
from tests.core.docgen import pdf_bytes, write_docx
from tests.core.extract.bookmail import attach, mail, register_book_mail, unit_of_word, write_eml, write_mbox

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_ANN = "Ann Example <ann@example.org>"


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    register_book_mail(monkeypatch)


def test_an_eml_is_one_message_with_its_attachments(tmp_path: Path) -> None:
    docx = write_docx(tmp_path / "minutes.docx", ["The board approved the grelvash budget."]).read_bytes()
    msg = attach(mail("Board minutes", "Minutes attached; see the trastomir vote."), docx, "minutes.docx", DOCX)
    attach(msg, b"Notes: the folpanir plan.\n", "notes.txt", "text/plain")
    doc = extract(write_eml(tmp_path / "minutes.eml", msg))
    assert doc.title == "Board minutes"
    assert [p.number for p in doc.pages] == [1]
    assert doc.text.startswith(
        "Subject: Board minutes\nFrom: Ann Example <ann@example.org>\nTo: Bob Example <bob@example.org>\n"
        "Date: Tue, 03 Mar 2026 10:15:00 +0100\n\nMinutes attached; see the trastomir vote."
    )
    assert [(h.level, h.title) for h in doc.headings] == [
        (1, "Board minutes"),
        (2, "Attachment: minutes.docx"),
        (2, "Attachment: notes.txt"),
    ]
    for h in doc.headings[1:]:
        assert doc.text[h.start : h.start + len(h.title)] == h.title
    # Each attachment is a document of its own (core/attached.py), not text of the message.
    assert "grelvash" not in doc.text and "folpanir" not in doc.text
    assert [(a.message, a.name) for a in doc.attached] == [(1, "minutes.docx"), (1, "notes.txt")]
    assert "grelvash" in doc.attached[0].extracted.text and doc.attached[0].size == len(docx)
    assert doc.attached[1].extracted.text == "Notes: the folpanir plan."
    assert doc.partial is None


def test_an_mbox_has_one_unit_per_message_in_order(tmp_path: Path) -> None:
    pdf = pdf_bytes(["Invoice page one: hondrabel parts.", "Invoice page two: totals."])
    messages = [
        mail("First hello", "Plain words: azimorph."),
        mail("Newsletter", "Spring offers on <b>kelpwine</b> today.", html=True),
        attach(mail("Invoice", "Invoice attached."), pdf, "invoice.pdf", "application/pdf"),
    ]
    doc = extract(write_mbox(tmp_path / "inbox.mbox", messages))
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert unit_of_word(doc, "azimorph") == 1 and unit_of_word(doc, "kelpwine") == 2
    (invoice,) = doc.attached
    assert (invoice.message, invoice.name) == (3, "invoice.pdf") and "hondrabel" not in doc.text
    assert [p.number for p in invoice.extracted.pages] == [1, 2]  # the attachment keeps its own pages
    assert invoice.extracted.text.startswith("Invoice page one: hondrabel parts.")
    assert doc.title == ""  # a mailbox has no subject of its own; each message's is its heading
    tops = [h for h in doc.headings if h.level == 1]
    assert [h.title for h in tops] == ["First hello", "Newsletter", "Invoice"]
    assert [h.start for h in tops] == [p.start for p in doc.pages]
    # The HTML body's own heading comes under the subject.
    assert any(h.level == 2 and h.title == "News" for h in doc.headings)
    assert "Attachment: invoice.pdf" in doc.text


def test_a_broken_or_unsupported_attachment_does_not_lose_the_mail(tmp_path: Path) -> None:
    msg = attach(mail("Report", "See the mirrowkel figures."), b"%PDF-1.4 garbage", "report.pdf", "application/pdf")
    attach(msg, b"gimp image", "chart.xcf", "image/x-xcf")
    doc = extract(write_eml(tmp_path / "report.eml", msg))
    assert "mirrowkel" in doc.text
    assert "Attachment: report.pdf (skipped: " in doc.text
    assert "Attachment: chart.xcf (skipped: unsupported file type '.xcf')" in doc.text
    assert (
        doc.partial is not None
        and "1 attachment(s) not read or read in part" in doc.partial  # the damaged one, not the .xcf
        and "report.pdf" in doc.partial
    )


def test_an_attachment_the_decoder_chokes_on_does_not_lose_the_mail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def choke(part: object) -> bytes:
        raise ValueError("bad base64 padding")

    monkeypatch.setattr(mail_parts, "payload_of", choke)
    msg = attach(mail("Data", "The numbers: quivelta."), b"1,2,3\n", "data.csv", "text/csv")
    doc = extract(write_eml(tmp_path / "data.eml", msg))
    assert "quivelta" in doc.text and "Attachment: data.csv (skipped: damaged attachment (ValueError))" in doc.text


def test_a_message_that_is_only_a_file_is_read_as_that_file(tmp_path: Path) -> None:
    msg = mail("Scan", "")
    msg.set_content(pdf_bytes(["Scanned letter about brostvenka."]), maintype="application", subtype="pdf")
    msg.add_header("Content-Disposition", "attachment", filename="scan.pdf")
    doc = extract(write_eml(tmp_path / "scan.eml", msg))
    assert "Attachment: scan.pdf" in doc.text
    (scan,) = doc.attached
    assert scan.name == "scan.pdf" and "Scanned letter about brostvenka." in scan.extracted.text


def test_an_attached_mail_is_read_but_not_a_mail_inside_it(tmp_path: Path) -> None:
    innermost = mail("Deepest", "Word of the deepest: sarnuvic.")
    inner = mail("Forwarded", "Word of the forward: peltorak.")
    inner.add_attachment(innermost)
    outer = mail("Fwd: Forwarded", "See below.")
    outer.add_attachment(inner)
    doc = extract(write_eml(tmp_path / "fwd.eml", outer))
    (forward,) = doc.attached
    assert forward.name == "attached message.eml" and "Attachment: attached message.eml" in doc.text
    assert "peltorak" in forward.extracted.text and "sarnuvic" not in forward.extracted.text
    assert "a mail inside an attached mail is not read" in forward.extracted.text
    assert forward.extracted.attached == ()  # an attached mail's attachments are text inside it


def test_an_attached_mails_attachment_is_text_inside_it(tmp_path: Path) -> None:
    inner = attach(mail("Forwarded", "See the file."), b"Notes on the trelvandic plan.\n", "notes.txt", "text/plain")
    outer = mail("Fwd: Forwarded", "Below.")
    outer.add_attachment(inner)
    (forward,) = extract(write_eml(tmp_path / "fwd.eml", outer)).attached
    assert "Attachment: notes.txt\n\nNotes on the trelvandic plan." in forward.extracted.text


def test_attachments_of_one_message_get_names_of_their_own(tmp_path: Path) -> None:
    pdf = pdf_bytes(["A page."])
    msg = attach(mail("Two scans", "Both attached."), pdf, "scan.pdf", "application/pdf")
    attach(msg, pdf, "scan.pdf", "application/pdf")
    attach(msg, pdf, "../../etc/report", "application/pdf")  # a name with folders and no suffix
    doc = extract(write_eml(tmp_path / "two.eml", msg))
    assert [a.name for a in doc.attached] == ["scan.pdf", "scan (2).pdf", "report.pdf"]


def test_an_empty_plain_alternative_gives_way_to_the_html(tmp_path: Path) -> None:
    msg = mail("Offer", " ")
    msg.add_alternative("<html><body><p>Only the HTML says vostrelka.</p></body></html>", subtype="html")
    assert "Only the HTML says vostrelka." in extract(write_eml(tmp_path / "offer.eml", msg)).text
    plain = mail("Both", "The plain part says mirkavel.")
    plain.add_alternative("<html><body><p>The HTML part says otherwise.</p></body></html>", subtype="html")
    text = extract(write_eml(tmp_path / "both.eml", plain)).text
    assert "mirkavel" in text and "otherwise" not in text


def test_an_oversized_message_is_read_for_its_headers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail_mod, "MAX_MESSAGE_BYTES", 2000)
    big = attach(mail("Huge video", "Look at this."), bytes(5000), "clip.mp4", "video/mp4")
    doc = extract(write_mbox(tmp_path / "v.mbox", [mail("Small", "Tiny note about pelmorin."), big]))
    assert unit_of_word(doc, "pelmorin") == 1
    assert "only its headers were read" in doc.text and "Look at this." not in doc.text
    assert doc.partial is not None and "read for their headers only (2)" in doc.partial
    (hit,) = [h for h in doc.headings if h.title == "Huge video"]
    assert hit.start == doc.pages[1].start


def test_the_message_cap_says_how_many_were_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail_mod, "MAX_MESSAGES", 2)
    doc = extract(write_mbox(tmp_path / "many.mbox", [mail(f"Note {i}", f"Body {i}.") for i in range(5)]))
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.partial == "only the first 2 of 5 messages were read"


def test_an_unknown_charset_still_gives_the_body(tmp_path: Path) -> None:
    raw = b"From: a@example.org\nSubject: Odd\nContent-Type: text/plain; charset=x-made-up\n\nCaf\xc3\xa9 quarnish.\n"
    (tmp_path / "odd.eml").write_bytes(raw)
    assert "Café quarnish." in extract(tmp_path / "odd.eml").text


def test_metadata_per_message(tmp_path: Path) -> None:
    box = write_mbox(tmp_path / "m.mbx", [mail("One", "a"), mail("Two", "b", sender="Cy <cy@example.org>")])
    when = datetime(2026, 3, 3, 10, 15, tzinfo=timezone(timedelta(hours=1))).timestamp()
    assert extract(box).messages == (
        MessageMeta(1, "One", _ANN, when),
        MessageMeta(2, "Two", "Cy <cy@example.org>", when),
    )
    undated = mail("Undated", "c")
    undated.replace_header("Date", "sometime soon")
    assert extract(write_eml(tmp_path / "u.eml", undated)).messages == (MessageMeta(1, "Undated", _ANN, None),)


def test_damaged_mail_files_fail_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "bin.eml").write_bytes(b"\x00\x01\x02binary\x00junk" * 50)
    with pytest.raises(ExtractionError, match="binary content"):
        extract(tmp_path / "bin.eml")
    (tmp_path / "prose.eml").write_text("Just some prose, no headers at all.\n", encoding="utf-8")
    with pytest.raises(ExtractionError, match="no mail headers"):
        extract(tmp_path / "prose.eml")
    (tmp_path / "notmbox.mbox").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(ExtractionError, match="not an mbox"):
        extract(tmp_path / "notmbox.mbox")
    (tmp_path / "empty.mbox").write_bytes(b"")
    with pytest.raises(ExtractionError, match="no messages found"):
        extract(tmp_path / "empty.mbox")


def test_an_image_attachment_is_named_as_not_read_by_ocr(tmp_path: Path) -> None:
    import io

    from tests.core.scanned_docs import page_image

    png = io.BytesIO()
    page_image(["A scanned receipt"]).save(png, "PNG")
    msg = attach(mail("Receipt", "The receipt is attached."), png.getvalue(), "receipt.png", "image/png")
    doc = extract(write_eml(tmp_path / "receipt.eml", msg))
    assert "Attachment: receipt.png (skipped: an image or scanned pages: OCR does not read attachments)" in doc.text
    assert doc.ocr_waiting == ()  # the mail itself waits for nothing


def test_an_attachment_not_read_by_design_does_not_mark_the_mail_read_in_part(tmp_path: Path) -> None:
    """A logo or an unsupported file in every mail is no damage: named in the text, the file read whole."""
    msg = attach(mail("Logo", "Our signature has a logo."), b"gimp image", "logo.xcf", "image/x-xcf")
    doc = extract(write_eml(tmp_path / "logo.eml", msg))
    assert "Attachment: logo.xcf (skipped: unsupported file type '.xcf')" in doc.text
    assert doc.partial is None
    broken = attach(mail("Report", "See the report."), b"%PDF-1.4 garbage", "report.pdf", "application/pdf")
    assert extract(write_eml(tmp_path / "report.eml", broken)).partial is not None  # damage still says so

"""E-mail: a single message (.eml) or a mailbox (.mbox, .mbx, or a mail program's folder file without a
suffix: Thunderbird's "Inbox"), one numbered unit per message.

A message's unit is a header block (Subject, From, To, Date), its body (text/plain, else text/html
through the HTML reader) and its attachments' text, each under a heading "Attachment: NAME" (read by
the project's extractors, mail_parts.py). The subject is the unit's level-1 heading, so a result
card names the message where a PDF's names the page. An mbox is read message by message (the
mailbox module keeps only their offsets), never whole, so it may be far larger than a file read
whole (MAX_MBOX_BYTES).

The standard library's mail modules (mailbox, email's parser, policy and headers: the largest part of
the extractors' import time) and mail_parts.py, built on them, are imported where a message is read:
every command line call imports the extractors, and few of them read mail.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from ..attached import EML_SUFFIXES, MBOX_SUFFIXES
from ..errors import ExtractionError, NotReadHereError
from ..models import Attached, Heading, MessageMeta
from .base import MAX_TEXT_CHARS, check_size
from .parts import Collector

if TYPE_CHECKING:
    from email.message import EmailMessage

    from .mail_parts import Attachment, Budget

# An mbox larger than this is refused. A Gmail Takeout or a Thunderbird folder is often several GB,
# and reading one costs no more memory than its largest message (mailbox keeps ~200 bytes of offsets
# per message) while the worker's CPU budget grows with the file (limits.py: 20 s per MB); what is
# read of it is bounded by the caps below and the text limit, not by the file's size.
MAX_MBOX_BYTES = 16 * 1024**3
# An mbox holding more is read up to here (a note says so). What bounds a mailbox's cost is its text
# (MAX_TEXT_CHARS: some 5,000-20,000 ordinary messages) and its attachments (mail_parts.py); this cap
# bounds the per-message work (a header parse, a page, a messages row) on many short ones. A Takeout
# of a few GB holds 50,000-200,000 messages; a cap of 20,000 would cut a mailbox of short notifications
# by count long before its text reached the limit.
MAX_MESSAGES = 100_000
# One message above this (a mail carrying a video) is shown by its headers only.
MAX_MESSAGE_BYTES = 40 * 1024 * 1024
NO_SUBJECT = "(no subject)"
_HEADERS = ("Subject", "From", "To", "Date")


def header(msg: EmailMessage, name: str) -> str:
    """A header's decoded value on one line; a header the parser cannot make sense of is given raw."""
    try:
        value = str(msg.get(name, "") or "")
    except Exception:  # noqa: BLE001 - email's header parser raises assorted errors on malformed headers
        value = next((str(v) for k, v in msg.raw_items() if k.lower() == name.lower()), "")
    return " ".join(value.split())


def meta_of(msg: EmailMessage, number: int) -> MessageMeta:
    """What a message says about itself, for filters: its number, subject, sender and date (None when
    its Date header does not parse)."""
    from email.utils import parsedate_to_datetime

    try:
        sent: float | None = parsedate_to_datetime(header(msg, "Date")).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        sent = None
    return MessageMeta(number, header(msg, "Subject"), header(msg, "From"), sent)


def _parse(fh: BinaryIO, *, headers_only: bool = False) -> EmailMessage:
    from email.parser import BytesParser

    from .mail_parts import POLICY

    parser = BytesParser(policy=POLICY)
    return cast("EmailMessage", parser.parse(fh, headersonly=headers_only))


@dataclass(frozen=True)
class MailItem:
    """One message of a file as it is read: its number, how many the file has, and the message
    (its headers only when `too_big`: over MAX_MESSAGE_BYTES)."""

    number: int
    total: int
    msg: EmailMessage
    too_big: int = 0  # its size in bytes when it is over the limit


def messages_in(path: Path) -> Iterator[MailItem]:
    """The messages of an .eml or mbox file, one at a time."""
    if path.suffix.lower() in EML_SUFFIXES:
        size = path.stat().st_size
        big = size > MAX_MESSAGE_BYTES
        yield MailItem(1, 1, _read_eml(path, big), size if big else 0)
        return
    import mailbox

    _check_mbox(path)
    box = mailbox.mbox(path, create=False)
    try:
        keys = box.keys()  # offsets only: one pass over the file, no message kept
        for number, key in enumerate(keys[:MAX_MESSAGES], start=1):
            with box.get_file(key) as fh:
                fh.seek(0, 2)
                size = fh.tell()
                fh.seek(0)
                big = size > MAX_MESSAGE_BYTES
                msg = _parse(cast(BinaryIO, fh), headers_only=big)
            yield MailItem(number, len(keys), msg, size if big else 0)
    finally:
        box.close()


def _read_eml(path: Path, headers_only: bool) -> EmailMessage:
    """An .eml's message; a file that is not one (binary, or text without any mail header) is refused:
    the parser takes anything for a message with no headers."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
        if b"\x00" in head.split(b"\n\n", 1)[0]:
            raise ExtractionError("binary content, not an e-mail message")
        fh.seek(0)
        msg = _parse(fh, headers_only=headers_only)
    if not any(header(msg, h) for h in (*_HEADERS, "Message-ID", "Received")):
        raise ExtractionError("not an e-mail message (no mail headers)")
    return msg


def _check_mbox(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(4096).lstrip(b"\r\n")
    # An empty mailbox (a mail program's new folder) is one, with no messages: "no messages found".
    if head and not head.startswith(b"From "):
        raise ExtractionError("not an mbox mailbox (it does not start with a 'From ' line)")


def message_unit(
    msg: EmailMessage, budget: Budget, too_big: int = 0, *, inline: bool = False
) -> tuple[str, list[Heading], list[Attachment]]:
    """A message's text (header block, body, a line naming each attachment), its headings (subject
    level 1, attachments level 2) and its attachments as read, each with a name unique in the message.
    An attachment is a document of its own (core/attached.py); with `inline` (a mail attached to a
    mail, whose attachments have no place of their own) its text follows its line instead.
    `too_big`: the size of a message read for its headers only."""
    from .mail_parts import body_of, named_attachments, read_attachment

    lines = [f"{name}: {value}" for name in _HEADERS if (value := header(msg, name))]
    text = "\n".join(lines) or f"Subject: {NO_SUBJECT}"
    headings = [Heading(1, header(msg, "Subject") or NO_SUBJECT, 0)]
    if too_big:
        return f"{text}\n\n(message of {too_big / 1e6:.0f} MB: only its headers were read)", headings, []
    pieces = [text]
    pos = len(text)
    body, body_heads = body_of(msg)
    if body.strip():
        pos += 2
        headings += [Heading(h.level, h.title, pos + h.start) for h in body_heads]
        pieces.append(body)
        pos += len(body)
    read = [read_attachment(part, name, budget) for name, part in named_attachments(msg)]
    for att in read:
        label = _attachment_text(att)
        pos += 2
        headings.append(Heading(2, f"Attachment: {att.filename}", pos))
        if not inline or isinstance(att.result, ExtractionError) or not att.result.text.strip():
            pieces.append(label)
            pos += len(label)
            continue
        shift = pos + len(label) + 2
        headings += [Heading(h.level + 2, h.title, shift + h.start) for h in att.result.headings]
        pieces.append(f"{label}\n\n{att.result.text}")
        pos += len(pieces[-1])
    return "\n\n".join(pieces), headings, read


def _attachment_text(att: Attachment) -> str:
    if isinstance(att.result, ExtractionError):
        return f"Attachment: {att.filename} (skipped: {att.result.reason})"
    if not att.result.text.strip():
        return f"Attachment: {att.filename} (skipped: no text found)"
    return f"Attachment: {att.filename}"


def not_read(attachments: list[Attachment]) -> list[str]:
    """'NAME (why)' for each attachment that gave no text, or only part of its text; one not read by
    design (an unsupported type, an image) is named in the message's text only."""
    out: list[str] = []
    for att in attachments:
        if isinstance(att.result, NotReadHereError):
            continue
        if isinstance(att.result, ExtractionError):
            out.append(f"{att.filename} ({att.result.reason})")
        elif not att.result.text.strip():
            out.append(f"{att.filename} (no text found)")
        elif att.result.partial:
            out.append(f"{att.filename} (in part: {att.result.partial})")
    return out


class _MailExtractor:
    paged = True  # progress counts messages: a stopped read says "at message 812 of 5,000"
    unit = "message"

    def extract(self, path: Path, sink: Collector) -> None:
        import mailbox

        from . import size_limit
        from .mail_parts import Budget, nested

        check_size(path, size_limit(path))
        inline = nested()  # a mail attached to a mail: its attachments have no place of their own
        budget, total, chars = Budget(), 0, 0
        skipped: list[str] = []  # attachments not (fully) read
        big: list[int] = []  # messages read for their headers only
        try:
            for item in messages_in(path):
                total = item.total
                text, headings, read = message_unit(item.msg, budget, item.too_big, inline=inline)
                if path.suffix.lower() in EML_SUFFIXES:
                    sink.title(header(item.msg, "Subject"))
                skipped += not_read(read)
                big += [item.number] if item.too_big else []
                if chars + len(text) > MAX_TEXT_CHARS:
                    sink.note(f"only the first {item.number - 1:,} of {total:,} messages were read (text limit)")
                    return
                chars += len(text)
                sink.unit(item.number, text, headings)
                sink.message(meta_of(item.msg, item.number))
                for att in read if not inline else ():
                    if not isinstance(att.result, ExtractionError) and att.result.text.strip():
                        sink.attach(Attached(item.number, att.filename, att.size, att.result))
                sink.progress(item.number, total)
        except (mailbox.Error, UnicodeError, ValueError, IndexError, KeyError) as exc:
            raise ExtractionError(f"damaged mail file ({type(exc).__name__})") from None
        _note(sink, total, skipped, big)


def _note(sink: Collector, total: int, skipped: list[str], big: list[int]) -> None:
    """Say what of the file was not read: messages past the cap, oversized ones, attachments."""
    why: list[str] = []
    if total > MAX_MESSAGES:
        why.append(f"only the first {MAX_MESSAGES:,} of {total:,} messages were read")
    if big:
        numbers = ", ".join(str(n) for n in big[:5])
        why.append(
            f"{len(big)} message(s) over {MAX_MESSAGE_BYTES / 1e6:.0f} MB read for their headers only ({numbers})"
        )
    if skipped:
        why.append(f"{len(skipped)} attachment(s) not read or read in part: {'; '.join(skipped[:5])}")
    if why:
        sink.note("; ".join(why))


class EmlExtractor(_MailExtractor):
    suffixes = EML_SUFFIXES
    no_text = "no text found"


class MboxExtractor(_MailExtractor):
    suffixes = MBOX_SUFFIXES
    no_text = "no messages found"

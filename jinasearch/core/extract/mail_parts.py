"""The parts of one e-mail message: its body as text, and its attachments read by the project's extractors.

An attachment is written to a temporary file with its suffix and read by `extract` in the same
process (a worker's, with its limits), so every format the app reads is read inside mail too. Its
failure is the attachment's own (an Attachment with the error), never the message's.
"""

from __future__ import annotations

import mimetypes
import re
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import EmailPolicy
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..attached import MAIL_SUFFIXES, unique_names
from ..errors import ExtractionError, NotReadHereError
from ..models import Extracted, Heading
from .base import clean_text
from .html import html_to_text
from .plain import decode_bytes

# One attachment above this is not read: a mail's PDF or DOCX is rarely larger, and one that is would
# take most of the file's time budget.
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# All attachments of one file (an mbox of years of mail) together, before the rest are skipped.
MAX_ATTACHMENTS_BYTES = 100 * 1024 * 1024
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,10}$")
# How many attached mails are being read around this call: a mail attached to an attached mail is
# not opened (a chain of forwards, or a crafted file nesting mails to any depth).
_NESTED: ContextVar[int] = ContextVar("jinasearch_mail_nested", default=0)


class _RememberingPolicy(EmailPolicy):
    """email.policy.default that parses each distinct header once. The default parses a header again
    at every look-up, and get_body, iter_attachments and get_content look Content-Type up about ten
    times a message: 85% of an mbox's reading time went there (benchmarks/formats_books_mail.py). A
    parsed header is an immutable str subclass, so one object can serve every look-up of it. The cache
    is small: a parsed header holds its parse tree (about 9 KB), and the look-ups that repeat are a
    message's own."""

    def header_fetch_parse(self, name: str, value: Any) -> Any:
        if hasattr(value, "name"):  # set by a program, parsed already (as EmailPolicy does)
            return value
        return _parsed_header(self, name, value)


@lru_cache(maxsize=256)
def _parsed_header(policy: EmailPolicy, name: str, value: str) -> Any:
    return EmailPolicy.header_fetch_parse(policy, name, value)


# The policy mail is parsed with: email.policy.default's behaviour (EmailMessage, get_body), faster.
POLICY = _RememberingPolicy()


@dataclass(frozen=True)
class Attachment:
    """One attachment: its file name and what reading it gave, its text or why it was not read."""

    filename: str
    result: Extracted | ExtractionError
    size: int = 0  # its bytes, once decoded


def nested() -> bool:
    """Whether this reading is of a mail attached to a mail."""
    return _NESTED.get() >= 1


@dataclass
class Budget:
    """What is left of one file's attachment allowance (MAX_ATTACHMENTS_BYTES)."""

    left: int = MAX_ATTACHMENTS_BYTES


def part_text(part: EmailMessage) -> str:
    """A text part decoded by its charset; one without a charset, or with one Python does not know,
    by the encoding its bytes carry (plain.decode_bytes), so an odd charset never loses the text."""
    if part.get_content_charset() is not None:
        try:
            content = part.get_content()
            if isinstance(content, str):
                return content
        except (LookupError, UnicodeError, ValueError, TypeError, KeyError):
            pass
    payload = part.get_payload(decode=True)
    return decode_bytes(payload) if isinstance(payload, bytes) else ""


def body_of(msg: EmailMessage) -> tuple[str, list[Heading]]:
    """The message's body as cleaned text with its headings (levels below the subject's): text/plain
    when there is one with text, else text/html through the HTML reader (some mail programs send an
    empty plain alternative beside the HTML)."""
    part = msg.get_body(preferencelist=("plain",))
    text = clean_text(part_text(part)) if part is not None else ""
    if text:
        return text, []
    part = msg.get_body(preferencelist=("html",))
    if part is None:
        return "", []
    _, text, headings = html_to_text(part_text(part))
    return text, [Heading(h.level + 1, h.title, h.start) for h in headings]


def attachments_of(msg: EmailMessage) -> Iterator[EmailMessage]:
    """The parts that are not the body: named files and attached mails. Nameless inline parts (a logo
    in an HTML mail, a signature's vCard) are layout, not documents, and are left out. A message that
    is nothing but a file (a scanner's mail: one application/pdf body) is that file."""
    if not msg.is_multipart() and msg.get_content_maintype() != "text" and msg.get_filename():
        yield msg
        return
    for part in msg.iter_attachments():
        if not isinstance(part, EmailMessage):
            continue
        if part.get_content_type() == "message/rfc822" or part.get_filename():
            yield part
        elif part.is_multipart():
            yield from attachments_of(part)


def named_attachments(msg: EmailMessage) -> list[tuple[str, EmailMessage]]:
    """A message's attachments, each with its name in the index (core/attached.py: the last part of
    its path): its filename_of, made unique among them. The reader and mail_save.py both name them
    here, so the attachment written out to open is the one the index found."""
    parts = list(attachments_of(msg))
    return list(zip(unique_names(filename_of(p) for p in parts), parts))


def filename_of(part: EmailMessage) -> str:
    """The attachment's name as shown to a person, and the last part of its path in the index
    (core/attached.py): no folders, never "." or "..", and with the suffix it is read by, so that its
    type is the one a type filter sees (a PDF sent as "report" is "report.pdf")."""
    name = Path(" ".join((part.get_filename() or "").split()).replace("\\", "/")).name
    if name in ("", ".", ".."):
        name = "attached message" if part.get_content_type() == "message/rfc822" else "attachment"
    suffix = _suffix(part, name)
    return name if Path(name).suffix.lower() == suffix else name + suffix


def _suffix(part: EmailMessage, filename: str) -> str:
    if part.get_content_type() == "message/rfc822":
        return ".eml"
    suffix = Path(filename).suffix.lower()
    if _SUFFIX.match(suffix):
        return suffix
    return mimetypes.guess_extension(part.get_content_type()) or ""


def payload_of(part: EmailMessage) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload(0)
        try:
            return inner.as_bytes() if isinstance(inner, EmailMessage) else b""
        except (UnicodeError, ValueError, TypeError, LookupError):
            raise ExtractionError("damaged attached message") from None
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def read_attachment(part: EmailMessage, filename: str, budget: Budget) -> Attachment:
    """Read one attachment, named `filename` (named_attachments), with the project's extractors, in
    this process; every failure (unsupported, damaged, over a cap, a mail nested too deep) comes back
    as the Attachment's error."""
    suffix = Path(filename).suffix.lower()
    try:
        if not _readable(suffix):
            # What extract_into would say, without handing it the bytes: it reads a file of no known
            # type as an mbox when it starts like one (mbox_sniff.py), and a mailbox nested so would
            # pass the check below, which knows a mail by its suffix.
            raise NotReadHereError(f"unsupported file type '{suffix or '(none)'}'")
        if suffix in MAIL_SUFFIXES and _NESTED.get() >= 1:
            raise ExtractionError("a mail inside an attached mail is not read")
        data = payload_of(part)
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise ExtractionError(f"{len(data) / 1e6:.0f} MB, over the {MAX_ATTACHMENT_BYTES / 1e6:.0f} MB limit")
        if len(data) > budget.left:
            raise ExtractionError("over the limit for all attachments of this file")
        budget.left -= len(data)
        found = _extract_bytes(data, suffix)
        if found.ocr_waiting and not found.text.strip():
            # The OCR pass reads files of the index again (indexing/ocr.py); an attachment is no file of it.
            raise NotReadHereError("an image or scanned pages: OCR does not read attachments")
        return Attachment(filename, found, len(data))
    except ExtractionError as exc:
        return Attachment(filename, exc)
    except Exception as exc:  # noqa: BLE001 - email's decoders on a damaged part: the part's loss, not the mail's
        return Attachment(filename, ExtractionError(f"damaged attachment ({type(exc).__name__})"))


def _readable(suffix: str) -> bool:
    """Whether an extractor reads files of this suffix."""
    from . import REGISTRY  # here, not at the top: the package imports this module's extractor

    return suffix in REGISTRY


def _extract_bytes(data: bytes, suffix: str) -> Extracted:
    from . import extract  # here, not at the top: the package imports this module's extractor

    token = _NESTED.set(_NESTED.get() + 1)
    try:
        with tempfile.TemporaryDirectory(prefix="jinasearch-mail-") as tmp:
            path = Path(tmp) / f"attachment{suffix}"
            path.write_bytes(data)
            return extract(path)
    finally:
        _NESTED.reset(token)

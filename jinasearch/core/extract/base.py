"""The Extractor protocol, shared size limits, and text normalisation every format uses."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import ExtractionError
from ..models import Heading, Unit

if TYPE_CHECKING:
    from .parts import Collector

# Larger files are refused before parsing: a 2 GB log is not a document and would starve the machine.
# A mailbox, read a message at a time, has a limit of its own (mail.MAX_MBOX_BYTES; __init__.size_limit).
MAX_FILE_BYTES = 200 * 1024 * 1024
# Plain text files above this are truncated: passages past it rarely matter, memory always does.
MAX_TEXT_CHARS = 20_000_000

# What a file that yields no text is told, unless its format says more (Extractor.no_text).
NO_TEXT = "no text found"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


class Extractor(Protocol):
    """Reads one file and hands its text to a Sink (see parts.py) page by page or block by block,
    with its title and headings where the format has them; raises ExtractionError when it cannot."""

    suffixes: tuple[str, ...]
    paged: bool  # progress counts pages (a stopped read says "at page N of M"), not bytes or blocks
    no_text: str  # the reason given when a file of this format yields no text
    unit: Unit  # what its numbered parts (Page records) are called; "page" for formats without them

    def extract(self, path: Path, sink: Collector) -> None: ...


def clean_text(text: str) -> str:
    """Normalise whitespace and drop control characters, keeping paragraph breaks for the chunker."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip()


def join_blocks(blocks: Iterable[tuple[str, int | None]]) -> tuple[str, list[Heading]]:
    """A document's paragraphs and tables, (text, heading level or None), as one flowing text for
    Collector.block: a blank line (a paragraph break) between them, a Heading (its title on one line)
    at each that has a level."""
    texts: list[str] = []
    headings: list[Heading] = []
    pos = 0
    for text, level in blocks:
        if not text.strip():
            continue
        if texts:
            pos += 2
        if level:
            headings.append(Heading(level, " ".join(text.split()), pos))
        texts.append(text)
        pos += len(text)
    return "\n\n".join(texts), headings


def squash(text: str) -> str:
    """Text compared loosely: lower case, runs of whitespace as one space."""
    return " ".join(text.split()).lower()


def check_size(path: Path, limit: int = MAX_FILE_BYTES) -> int:
    """Refuse files too large to parse safely; returns the size."""
    size = path.stat().st_size
    if size > limit:
        raise ExtractionError(too_large(size, limit))
    return size


def too_large(size: int, limit: int) -> str:
    return f"too large to index ({size / 1e6:.0f} MB; limit {limit / 1e6:.0f} MB)"


def looks_binary(sample: bytes) -> bool:
    """A NUL byte in the first block means binary, unless the text is UTF-16/32 (which has a BOM)."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False
    return b"\x00" in sample

"""RTF with striprtf: the text, decoded by the file's code page (\\ansicpg), with headings by outline level.

striprtf follows \\ansicpg and each font's \\fcharset for \\'xx escapes and reads \\u escapes; the raw
file is decoded here with the same code page, so 8-bit characters written unescaped agree with it.
Headings: word processors (Word, LibreOffice, pandoc) write \\outlinelevelN on a heading paragraph;
striprtf drops it, so a marker character is put after each one before striprtf runs and turned into
a Heading after.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import ExtractionError
from ..models import Heading
from .base import MAX_TEXT_CHARS, NO_TEXT, check_size, clean_text
from .parts import Collector

# striprtf walks the file one token at a time in Python (~1 MB/s of text); past this an RTF is almost
# always embedded pictures, which _HEX_RUN drops first, but the cap bounds the worst case.
MAX_RTF_BYTES = 100 * 1024 * 1024
_HEADER = re.compile(rb"^\s*\{\\rtf", re.S)
_CODEPAGE = re.compile(rb"\\ansicpg(\d{1,5})")
_CHARSETS = ((rb"\\mac\b", "mac_roman"), (rb"\\pca\b", "cp850"), (rb"\\pc\b", "cp437"))
# Pictures and OLE objects are hex digits, often megabytes of them; no text is a run of 256 hex digits,
# and dropping them before striprtf saves tokenising each digit in Python.
_HEX_RUN = re.compile(r"[0-9a-fA-F\r\n]{256,}")
_TITLE = re.compile(r"\{\\title\s?([^{}]*)\}")
# Heading markers: Unicode noncharacters U+FDD0 + level, which never occur in interchange text and
# which clean_text keeps.
_MARK_BASE = 0xFDD0
_OUTLINE = re.compile(r"\\outlinelevel(\d)(?![0-9])[ ]?")
_MARKS = re.compile("[\ufdd0-\ufdd9]")
# striprtf ends a paragraph (\\par) with one newline, like a line break (\\line); doubled, the chunker
# sees paragraphs as the HTML and plain-text readers hand them over.
_PAR = re.compile(r"\\par(?![a-z])[ ]?")


def rtf_encoding(head: bytes) -> str:
    """The code page an RTF declares (\\ansicpgN, or \\mac / \\pc / \\pca), else windows-1252 (RTF's \\ansi)."""
    m = _CODEPAGE.search(head)
    if m:
        name = f"cp{int(m.group(1))}"
        try:
            return codecs.lookup(name).name
        except LookupError:
            return "cp1252"
    for pattern, name in _CHARSETS:
        if re.search(pattern, head):
            return name
    return "cp1252"


def rtf_text(raw: str, encoding: str) -> tuple[str, str, list[Heading]]:
    """(title, cleaned text, headings) of an RTF document's decoded source."""
    from striprtf.striprtf import rtf_to_text

    raw = _HEX_RUN.sub("", raw)
    m = _TITLE.search(raw)
    title = rtf_to_text("{\\rtf1 " + m.group(1) + "}", encoding=encoding, errors="replace") if m else ""
    marked = _OUTLINE.sub(lambda o: o.group(0) + chr(_MARK_BASE + int(o.group(1))), _PAR.sub(r"\\par\\par ", raw))
    text = clean_text(rtf_to_text(marked, encoding=encoding, errors="replace"))
    text, headings = _take_marks(text)
    return " ".join(title.split()), text, headings


def _take_marks(text: str) -> tuple[str, list[Heading]]:
    """Remove the heading markers; each marked line with text becomes a Heading (level = outline level + 1)."""
    out: list[str] = []
    headings: list[Heading] = []
    pos = last = 0
    for m in _MARKS.finditer(text):
        out.append(text[last : m.start()])
        pos += m.start() - last
        last = m.end()
        end = text.find("\n", last)
        line = text[last : end if end >= 0 else len(text)]
        title = " ".join(_MARKS.sub("", line).split())
        if title and not (headings and headings[-1].start == pos):  # a heading paragraph's second mark
            headings.append(Heading(ord(m.group()) - _MARK_BASE + 1, title, pos))
    out.append(text[last:])
    return "".join(out), headings


class RtfExtractor:
    suffixes = (".rtf",)
    paged = False
    no_text = NO_TEXT
    unit = "page"

    def extract(self, path: Path, sink: Collector) -> None:
        check_size(path, MAX_RTF_BYTES)
        data = path.read_bytes()
        if not _HEADER.match(data[:1024]):
            raise ExtractionError("not an RTF file (it does not start with {\\rtf)")
        encoding = rtf_encoding(data[:8192])
        try:
            title, text, headings = rtf_text(data.decode(encoding, errors="replace"), encoding)
        except (ValueError, IndexError, KeyError, LookupError) as exc:  # striprtf on a damaged file
            raise ExtractionError(f"damaged RTF ({type(exc).__name__})") from None
        if len(text) > MAX_TEXT_CHARS:
            text = text[:MAX_TEXT_CHARS]
            headings = [h for h in headings if h.start < MAX_TEXT_CHARS]
            sink.note(f"only the first {MAX_TEXT_CHARS / 1e6:.0f} million characters were read")
        sink.title(title or (headings[0].title if headings else ""))
        sink.block(text, headings)

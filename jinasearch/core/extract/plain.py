"""Plain text, Markdown, reStructuredText, source code: decode with the encoding the bytes carry."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from ..errors import ExtractionError
from .base import MAX_TEXT_CHARS, NO_TEXT, check_size, clean_text, looks_binary
from .headings import MARKDOWN, PROSE, HeadingFinder
from .parts import Collector

TEXT_SUFFIXES = (
    ".txt",
    ".text",
    ".md",
    ".markdown",
    ".rst",
    ".org",
    ".tex",
    ".csv",
    ".tsv",
    ".log",
    ".json",
    ".jsonl",
    ".ndjson",
    ".yaml",
    ".yml",
    ".toml",
    ".ini",
    ".cfg",
    ".conf",
    ".xml",
    ".py",
    ".pyi",
    ".js",
    ".jsx",
    ".ts",
    ".tsx",
    ".java",
    ".kt",
    ".c",
    ".h",
    ".cc",
    ".cpp",
    ".hpp",
    ".cs",
    ".go",
    ".rs",
    ".rb",
    ".php",
    ".swift",
    ".m",
    ".scala",
    ".sh",
    ".bash",
    ".zsh",
    ".ps1",
    ".bat",
    ".sql",
    ".r",
    ".lua",
    ".pl",
    ".hs",
    ".ml",
    ".css",
    ".scss",
    ".vue",
    ".svelte",
    ".srt",
    ".vtt",
    ".bib",
    ".adoc",
    ".asciidoc",
)


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_bytes(data: bytes) -> str:
    """Decode bytes by detecting their encoding (charset-normalizer), falling back to UTF-8 with
    replacement so that one odd byte never costs a whole document."""
    return data.decode(encoding_of(data, whole=True), errors="replace") if data else ""


def _detect(data: bytes) -> str:
    """The encoding charset-normalizer finds, preferring windows-1252 when it reads as cleanly."""
    from charset_normalizer import from_bytes

    sample = data[:2_000_000]
    matches = from_bytes(sample)
    best = matches.best()
    if best is None or not best.encoding:
        return "utf-8"
    encoding = best.encoding
    # Short Western European text fits several single-byte code pages equally well, and
    # charset-normalizer may pick a Baltic or Central European one, turning French "à" into "ą".
    # When windows-1252 (by far the most common legacy encoding) was a close candidate and reads
    # at least as cleanly, prefer it.
    if encoding != "cp1252" and any(
        "cp1252" in m.could_be_from_charset and m.chaos <= best.chaos + 0.15 for m in matches
    ):
        try:
            western = sample.decode("cp1252")
        except UnicodeDecodeError:
            western = None
        if western is not None and _oddities(western) <= _oddities(str(best)):
            encoding = "cp1252"
    return encoding


_LETTER_RUN = re.compile(r"(?<=[^\W\d_])[^\w\s](?=[^\W\d_])")


def _oddities(text: str) -> int:
    """Symbols wedged between letters (`Za¿ó³æ`): the mark of text decoded with the wrong code page."""
    return sum(
        1 for m in _LETTER_RUN.finditer(text) if unicodedata.category(m.group())[0] in "SNC" or m.group() in "¡¿ª º"
    )


# Long text files are read, cleaned and handed on in blocks of about this many bytes (cut at a
# paragraph or line end), so a worker never holds a 20 MB log whole.
BLOCK_BYTES = 1 << 20


class TextExtractor:
    suffixes = TEXT_SUFFIXES
    paged = False
    no_text = NO_TEXT
    unit = "page"

    def extract(self, path: Path, sink: Collector) -> None:
        check_size(path)
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(BLOCK_BYTES)
            if looks_binary(head[:8192]):
                raise ExtractionError("binary content, not text")
            decoder = codecs.getincrementaldecoder(encoding_of(head))(errors="replace")
            finder = HeadingFinder(path.suffix.lower() in MARKDOWN) if path.suffix.lower() in PROSE else None
            carry, read, chars = "", 0, 0
            data = head
            while data:
                read += len(data)
                text = carry + decoder.decode(data)
                data = fh.read(BLOCK_BYTES) if chars + len(text) < MAX_TEXT_CHARS else b""
                if not data:
                    text += decoder.decode(b"", final=True)
                    block, carry = text, ""
                else:
                    block, carry = _split_block(text)
                if chars + len(block) > MAX_TEXT_CHARS:
                    block = block[: MAX_TEXT_CHARS - chars]
                    sink.note(f"only the first {MAX_TEXT_CHARS / 1e6:.0f} million characters were read")
                chars += len(block)
                block = clean_text(block)
                sink.block(block, finder.find(block) if finder is not None else ())
                sink.progress(read, size)


def encoding_of(head: bytes, *, whole: bool = False) -> str:
    """The encoding of a text, judged by its first block: its BOM, else UTF-8 when it decodes as
    UTF-8, else what charset-normalizer finds. Of a first block (not `whole`), a UTF-8 character cut
    by the block's end does not count against UTF-8."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if not whole and exc.start >= len(head) - 4:
            return "utf-8"
    return _detect(head)


def _split_block(text: str) -> tuple[str, str]:
    """(what to hand on now, what to carry into the next block): cut at the last paragraph break, else
    the last line end, so no paragraph and no heading underline is split between blocks."""
    cut = text.rfind("\n\n")
    if cut < len(text) // 2:
        cut = text.rfind("\n")
    if cut <= 0:
        return text, ""
    return text[:cut], text[cut:]

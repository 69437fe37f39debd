"""Plain text, Markdown, reStructuredText, source code: decode with the encoding the bytes carry."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import ExtractionError
from ..models import Extracted
from .base import MAX_TEXT_CHARS, check_size, clean_text, looks_binary

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


def decode_bytes(data: bytes) -> str:
    """Decode bytes by detecting their encoding (charset-normalizer), falling back to UTF-8 with
    replacement so that one odd byte never costs a whole document."""
    if not data:
        return ""
    for bom, enc in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    sample = data[:2_000_000]
    matches = from_bytes(sample)
    best = matches.best()
    if best is None or not best.encoding:
        return data.decode("utf-8", errors="replace")
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
    return data.decode(encoding, errors="replace")


_LETTER_RUN = re.compile(r"(?<=[^\W\d_])[^\w\s](?=[^\W\d_])")


def _oddities(text: str) -> int:
    """Symbols wedged between letters (`Za¿ó³æ`): the mark of text decoded with the wrong code page."""
    return sum(
        1 for m in _LETTER_RUN.finditer(text) if unicodedata.category(m.group())[0] in "SNC" or m.group() in "¡¿ª º"
    )


class TextExtractor:
    suffixes = TEXT_SUFFIXES

    def extract(self, path: Path) -> Extracted:
        check_size(path)
        with open(path, "rb") as fh:
            data = fh.read(MAX_TEXT_CHARS)
        if looks_binary(data[:8192]):
            raise ExtractionError("binary content, not text")
        return Extracted(text=clean_text(decode_bytes(data)))

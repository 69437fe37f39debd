"""Frozen records that cross every boundary: files, extracted text, chunks, hits and progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class FileInfo:
    """A file found by the scanner, with what change detection needs."""

    path: str
    size: int
    mtime: float


@dataclass(frozen=True)
class Page:
    """A page's character range in a document's extracted text (1-based page number)."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Extracted:
    """Text pulled out of a file; `pages` is empty for formats without pages."""

    text: str
    pages: tuple[Page, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A passage: a span of the document's text, never crossing a page boundary."""

    ordinal: int
    text: str
    char_start: int
    char_end: int
    page: int | None = None


@dataclass(frozen=True)
class Hit:
    """One ranked search result with everything a view needs to show why it matched."""

    passage_id: int
    doc_id: int
    path: str
    page: int | None
    score: float
    text: str
    char_start: int
    char_end: int
    sources: tuple[str, ...]
    # (start, end) offsets into `text`: the query's words.
    term_spans: tuple[tuple[int, int], ...] = ()
    # (start, end) offsets into `text`: the sentence that best matches the query's meaning.
    sentence_span: tuple[int, int] | None = None
    mtime: float = 0.0

    @property
    def highlights(self) -> list[tuple[int, int]]:
        """All highlight spans, sorted: query words and the best sentence."""
        spans = list(self.term_spans)
        if self.sentence_span is not None:
            spans.append(self.sentence_span)
        return sorted(set(spans))


Phase = Literal["scan", "extract", "embed", "save", "done"]


@dataclass(frozen=True)
class Progress:
    """A snapshot of an indexing run, yielded often so a view can show it and a user can cancel."""

    phase: Phase
    files_total: int = 0
    files_done: int = 0
    passages_total: int = 0
    passages_done: int = 0
    current: str = ""
    passages_per_s: float = 0.0
    eta_s: float | None = None
    failed: int = 0
    skipped_unchanged: int = 0
    removed: int = 0
    message: str = ""


@dataclass(frozen=True)
class IndexSummary:
    """What a finished run did, for the CLI's closing line and the tests."""

    scanned: int = 0
    unchanged: int = 0
    indexed: int = 0
    failed: int = 0
    removed: int = 0
    passages_added: int = 0
    passages_embedded: int = 0
    seconds: float = 0.0
    errors: tuple[tuple[str, str], ...] = field(default_factory=tuple)

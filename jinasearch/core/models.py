"""Frozen records that cross every boundary: files, extracted text, passages, hits, filters (runs: run_records.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class OcrOrder:
    """What a reading of a file does with its pages that have no text layer (scans, photos of text).

    Reading the text layers of every file comes first and OCR after it (core/indexing/ocr.py), so a
    first reading only notes such pages; the OCR pass reads them. Pages read by OCR before, for the
    same bytes (`digest`), are handed in as `known`: OCR text is never computed twice for one file."""

    run: bool  # read waiting pages by OCR now (the OCR pass); False: only note them
    digest: str | None = None  # the content hash `known` was read from
    known: tuple[tuple[int, str], ...] = ()  # (page number, text) read by OCR before


@dataclass(frozen=True)
class FileInfo:
    """A file found by the scanner, with what change detection needs (and, for a reading, its OCR order)."""

    path: str
    size: int
    mtime: float
    ocr: OcrOrder | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Page:
    """A page's character range in a document's extracted text (1-based page number)."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Heading:
    """A heading of the document's structure: its level (1 = top), its title and where it starts in the text."""

    level: int
    title: str
    start: int


@dataclass(frozen=True)
class MessageMeta:
    """A mail message's own metadata, by its number in the file (the page number its passages carry):
    what `from:` and `subject:` filter on, and the date a date filter reads instead of the file's."""

    number: int
    subject: str
    sender: str
    sent: float | None = None  # POSIX time; None when the Date header does not parse


@dataclass(frozen=True)
class Extracted:
    """Text pulled out of a file; `pages` is empty for formats without pages, `headings` for documents
    without a structure the extractor can see. `partial` says why only part of the file was read."""

    text: str
    pages: tuple[Page, ...] = ()
    title: str = ""
    headings: tuple[Heading, ...] = ()
    partial: str | None = None
    # Pages without a text layer that this reading did not read by OCR (the OCR pass will).
    ocr_waiting: tuple[int, ...] = ()
    # Pages this reading read by OCR, (number, text): stored by content hash, never read by OCR again.
    ocr_read: tuple[tuple[int, str], ...] = ()
    # A mail file's messages (core/extract/mail.py).
    messages: tuple[MessageMeta, ...] = ()
    # A mail file's attachments, each read as a document of its own (core/attached.py).
    attached: tuple[Attached, ...] = ()


@dataclass(frozen=True)
class Attached:
    """A file attached to a mail message, read as a document of its own: found, filtered by its own type
    and shown at its own pages, under the path core/attached.py gives it inside its mail file."""

    message: int  # the message's number in its mail file
    name: str  # the attachment's file name, unique among its message's attachments
    size: int  # its bytes
    extracted: Extracted
    chunks: tuple[Chunk, ...] | None = None  # its passages, once cut (extract/runner.py: cut)


@dataclass(frozen=True)
class Chunk:
    """A passage: a span of the document's text, never crossing a page boundary or a heading.
    `section` is its heading path ("7 Reading data from files › 7.1 The read.table() function")."""

    ordinal: int
    text: str
    char_start: int
    char_end: int
    page: int | None = None
    section: str = ""


Source = Literal["semantic", "keyword"]

# What a format's numbered parts are called where a PDF has pages: the card says "slide 4", not "p. 4".
Unit = Literal["page", "slide", "chapter", "sheet", "message"]


@dataclass(frozen=True)
class Evidence:
    """Why a candidate is in the list: its cosine to the query (None without a vector yet), the share
    of the query's words it holds (idf-weighted, in [0, 1]), and the share of the query's idf carried
    by the handles (rare identifiers) it holds."""

    cosine: float | None
    words: float
    handles: float


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
    sources: tuple[Source, ...]
    # (start, end) offsets into `text`: the query's words.
    term_spans: tuple[tuple[int, int], ...] = ()
    # (start, end) offsets into `text`: the sentence that best matches the query's meaning.
    sentence_span: tuple[int, int] | None = None
    mtime: float = 0.0
    # Where the passage sits: the document's title and the passage's heading path.
    title: str = ""
    section: str = ""
    # False for a weak hit, neither close in meaning nor holding the query's words (shown only on request).
    close: bool = True
    evidence: Evidence | None = None
    # Other files holding this very passage (a copy, a backup): shown once, with these named.
    also_in: tuple[str, ...] = ()
    # What `page` counts in this file's type (core/extract: unit_of), set where the search runs so a
    # front end need not load the extractors.
    unit: Unit = "page"

    @property
    def highlights(self) -> list[tuple[int, int]]:
        """All highlight spans, sorted: query words and the best sentence."""
        spans = list(self.term_spans)
        if self.sentence_span is not None:
            spans.append(self.sentence_span)
        return sorted(set(spans))


@dataclass(frozen=True)
class Filters:
    """Search filters; all optional and combined with AND. A search takes `Filters | None`."""

    folder: str | None = None
    exts: tuple[str, ...] = ()
    modified_after: float | None = None
    modified_before: float | None = None
    # Passages holding every phrase and none of the excluded words or phrases, in their own text as
    # keyword search reads it (stems, case and accents folded): the query's "exact phrase" and -word.
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    # Mail messages whose From or Subject holds this text (any case): `from:ann`, `subject:invoice`.
    sender: str | None = None
    subject: str | None = None

    def __bool__(self) -> bool:
        dates = self.modified_after is not None or self.modified_before is not None
        mail = self.sender is not None or self.subject is not None
        return bool(self.folder or self.exts or dates or self.phrases or self.excluded or mail)


# What a query may say besides plain language (core/retrieval/query_syntax.py reads it), as (form,
# what it does): the one source of the search field's tooltip, 'jinasearch search --help' and the README.
QUERY_SYNTAX: tuple[tuple[str, str], ...] = (
    ('"exact phrase"', "only passages holding these words in this order"),
    ("-word", "leave out passages holding the word (3+ letters; -rf, and find -name after a command, stay as typed)"),
    ('-"some phrase"', "leave out passages holding the phrase"),
    ("word*", "words starting with it: config* finds configure and configuration"),
    ("type:pdf", "only files of this type; type:pdf,docx for either"),
    ("in:folder", 'only files in an indexed folder, by its name or a path; in:"My Notes" with a space'),
    ("from:ann", 'only mail messages whose sender holds this; from:"Ann Lee" with a space'),
    ("subject:invoice", "only mail messages whose subject holds this"),
)

Mode = Literal["hybrid", "semantic", "keyword"]
MODES: tuple[Mode, ...] = ("hybrid", "semantic", "keyword")

# What a front end says beside a search's hits:
# "ok"            - answered by meaning and by words;
# "keyword-only"  - the index's model is not loaded (yet): words alone;
# "model-mismatch"- the index was built with a model this front end does not have: words alone;
# "no-index"      - nothing indexed yet;
# "indexing"      - nothing committed yet, but a run is indexing: ask again in a moment;
# "error"         - the search failed; the error travels with it as an exception object.
SearchNote = Literal["ok", "keyword-only", "model-mismatch", "no-index", "indexing", "error"]

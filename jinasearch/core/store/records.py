"""Records the store hands out: rows as named, frozen values, never positional tuples."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Heading, Page


@dataclass(frozen=True)
class DocRow:
    """A document as change detection sees it."""

    id: int
    path: str
    size: int
    mtime: float
    hash: str | None
    status: str  # "indexed" | "failed"
    reader: int = 0  # the version of extraction that read it (core/extract: READER_VERSION)
    limit_tries: int = 0  # runs in a row a limit of this machine cut its reading short (schema 6)


@dataclass(frozen=True)
class IndexedDoc:
    """An indexed document as a re-cut needs it (to replace its passages in place)."""

    id: int
    folder_id: int
    path: str
    size: int
    mtime: float
    hash: str | None
    title: str = ""
    reader: int = 0
    error: str | None = None  # why it was read only in part, if it was
    kind: str = ""  # "prose" or "data" (core/textkind.py); "" not yet classified
    ext: str = ""  # its type as the type filter sees it (a mailbox without a suffix: "mbox")


@dataclass(frozen=True)
class DocText:
    """A document's extracted text with its pages and headings, as stored."""

    text: str
    pages: tuple[Page, ...] = ()
    headings: tuple[Heading, ...] = ()


@dataclass(frozen=True)
class FolderRecord:
    id: int
    path: str
    excludes: tuple[str, ...]
    added_at: float
    embed_data: bool = False  # the user's "also search data files by meaning" (indexing/budget.py)


@dataclass(frozen=True)
class PendingPassage:
    """A passage still waiting for a vector (or, in staging, for the new model's vector). `text` is
    what the model embeds: the passage with its place (core/context.py). `doc_id` and `ord` place it
    in its document, for late chunking's context (core/indexing/late.py)."""

    id: int
    text: str
    text_hash: str
    doc_id: int = 0
    ord: int = 0


@dataclass(frozen=True)
class HitRow:
    """What a search result needs of a passage and its document."""

    passage_id: int
    doc_id: int
    path: str
    page: int | None
    text: str
    char_start: int
    char_end: int
    mtime: float
    title: str = ""
    section: str = ""
    context: str = ""  # the keyword column: file name words, title, heading path
    lexical: bool = False  # kept for keyword search only by choice (core/indexing/budget.py)


@dataclass(frozen=True)
class Neighbour:
    """A passage next to a hit's passage (`of`) in its document, section and page: `side` -1 before it,
    +1 after it; `cosine` with the query, `own` the hit passage's (retrieval/neighbours.py)."""

    of: int
    passage_id: int
    side: int
    char_start: int
    char_end: int
    text: str
    cosine: float
    own: float


@dataclass(frozen=True)
class Counts:
    folders: int
    indexed: int
    failed: int
    passages: int
    embedded: int
    keyword_only: int = 0  # passages kept for keyword search only by choice (indexing/budget.py)

    @property
    def pending(self) -> int:
        """Passages waiting for a vector (not those keyword only by choice)."""
        return self.passages - self.embedded - self.keyword_only


@dataclass(frozen=True)
class BudgetDoc:
    """A document as the embedding budget sees it (indexing/budget.py)."""

    id: int
    folder_id: int
    kind: str
    ext: str  # suffix, lower case, without the dot

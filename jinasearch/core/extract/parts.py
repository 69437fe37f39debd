"""How an extractor hands its text over: page by page or block by block, with the document's structure.

Extractors never build the whole document themselves. They call a Sink as they read (a PDF page, a
block of a long text file, the body of a web page, the title, the outline), so that
- a worker process can report progress while it reads, and a stalled document keeps what was read;
- a long plain-text file is cut and sent on block by block, never held whole in a worker;
- one place turns pages into text with page spans, drops running headers and footers, and places
  the outline's headings in the text.

The Collector is that place. It yields Parts: contiguous pieces of the document's text with their
pages and headings (document offsets), which `assemble` joins into an Extracted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..models import Attached, Extracted, Heading, MessageMeta, OcrOrder, Page
from .base import clean_text, squash
from .furniture import strip_running_lines
from .outline import OutlineEntry, place_outline

if TYPE_CHECKING:
    from PIL.Image import Image

# Between pages, and between blocks that end a paragraph: the chunker sees a paragraph break.
PAGE_SEP = "\n\n"


@dataclass(frozen=True)
class Part:
    """A contiguous piece of a document's text starting at offset `start`, with the pages and headings in it."""

    text: str
    start: int
    pages: tuple[Page, ...] = ()
    headings: tuple[Heading, ...] = ()


@dataclass
class _Page:
    number: int
    text: str


@dataclass
class Collector:
    """The Sink an extractor writes to. `on_part` receives each Part as soon as it is final (flowing
    text at once; pages at `finish`, once running headers and footers are known)."""

    on_part: Callable[[Part], None]
    title_text: str = ""
    progress: Callable[[int, int | None], None] = lambda done, total: None
    _pos: int = 0
    _pages: list[_Page] = field(default_factory=list)
    _outline: list[OutlineEntry] = field(default_factory=list)
    _sent_any: bool = False
    # Why only part of the file was read (a stall, a size cap), when it was.
    partial: str | None = None
    # What to do with pages without a text layer (scanned.py); None: only note them.
    ocr: OcrOrder | None = None
    ocr_waiting: list[int] = field(default_factory=list)
    ocr_read: list[tuple[int, str]] = field(default_factory=list)
    ocr_stopped: list[int] = field(default_factory=list)  # pages whose OCR passed its deadline
    messages: list[MessageMeta] = field(default_factory=list)
    attached: list[Attached] = field(default_factory=list)

    # -- what extractors call ---------------------------------------------------------------------

    def title(self, title: str) -> None:
        self.title_text = " ".join(title.split())

    def outline(self, entries: Sequence[OutlineEntry]) -> None:
        """A paged document's bookmarks: (level, title, 0-based page index)."""
        self._outline = list(entries)

    def page(self, number: int, raw: str) -> None:
        """One page's raw text (1-based number). Pages are held until `finish`: running headers and
        footers can only be told from content once many pages are in."""
        self._pages.append(_Page(number, raw))

    def block(self, text: str, headings: Sequence[Heading] = ()) -> None:
        """Flowing text, already cleaned (base.clean_text, or HTML's own layout), with headings at
        offsets into it; sent on at once."""
        if not text.strip():
            return
        shift = len(PAGE_SEP) if self._sent_any else 0
        heads = tuple(Heading(h.level, h.title, self._pos + shift + h.start) for h in headings)
        self._emit((PAGE_SEP if self._sent_any else "") + text, heads, ())

    def unit(self, number: int, text: str, headings: Sequence[Heading] = ()) -> None:
        """A numbered part of a format without running headers or footers (a slide, a sheet, a chapter,
        a message), already cleaned, with headings at offsets into it: sent on at once, its number kept
        as a Page so that a passage in it is shown and opened at it. Do not mix with `page`."""
        if not text.strip():
            return
        shift = len(PAGE_SEP) if self._sent_any else 0
        heads = tuple(Heading(h.level, h.title, self._pos + shift + h.start) for h in headings)
        start = self._pos + shift
        self._emit((PAGE_SEP if self._sent_any else "") + text, heads, (Page(number, start, start + len(text)),))

    def scanned(self, number: int, render: Callable[[], Image], *, flowing: bool = False) -> None:
        """A page (1-based) that has no text layer: a scan or a photo of text, `render` giving its image.
        Read by OCR if the order says so (or taken from an earlier OCR of the same bytes), else noted
        as waiting. `flowing`: a numbered unit without running headers (an image file's frames)."""
        from .scanned import read_scanned

        text = read_scanned(self, number, render)
        if text is None:
            return
        if flowing:
            self.unit(number, clean_text(text))
        else:
            self.page(number, text)

    def message(self, meta: MessageMeta) -> None:
        """A mail message's metadata; its text goes as the unit of the same number."""
        self.messages.append(meta)

    def attach(self, attached: Attached) -> None:
        """A mail attachment read as a document of its own (core/attached.py); it travels with the summary."""
        self.attached.append(attached)

    def summary(self) -> Extracted:
        """What a reading found besides its text (which went on as Parts): title, partial, OCR."""
        return Extracted(
            "",
            title=self.title_text,
            partial=self.partial,
            ocr_waiting=tuple(self.ocr_waiting),
            ocr_read=tuple(self.ocr_read),
            messages=tuple(self.messages),
            attached=tuple(self.attached),
        )

    @property
    def has_text(self) -> bool:
        """Whether any text was handed on (call after `finish`)."""
        return self._sent_any

    def note(self, reason: str) -> None:
        """The file was read only in part (what was read is kept): say why."""
        self.partial = reason

    # -- the end ----------------------------------------------------------------------------------

    def finish(self) -> None:
        """Send the held pages (all read so far, when a stall cut the reading short)."""
        if not self._pages:
            return
        raw = [p.text for p in self._pages]
        titles: dict[int, set[str]] = {}
        for e in self._outline:
            if e.page_index is not None:
                titles.setdefault(e.page_index + 1, set()).add(squash(e.title))
        keep = [titles.get(p.number, set()) for p in self._pages]
        texts = [clean_text(t) for t in strip_running_lines(raw, keep)]
        spans: list[tuple[int, int, int]] = []
        pieces: list[str] = []
        pos = self._pos
        for page, text in zip(self._pages, texts):
            if not text:
                continue
            if pieces or self._sent_any:
                pieces.append(PAGE_SEP)
                pos += len(PAGE_SEP)
            spans.append((page.number, pos, pos + len(text)))
            pieces.append(text)
            pos += len(text)
        self._pages.clear()
        if not spans:
            return
        body = "".join(pieces)
        pages = tuple(Page(n, s, e) for n, s, e in spans)
        heads = place_outline(self._outline, body, self._pos, pages)
        self._emit(body, heads, pages)

    def _emit(self, text: str, heads: tuple[Heading, ...], pages: tuple[Page, ...]) -> None:
        part = Part(text, self._pos, pages, heads)
        self._pos += len(text)
        self._sent_any = True
        self.on_part(part)


def assemble(parts: Sequence[Part], summary: Extracted) -> Extracted:
    """The Extracted of a document from its Parts, in order, and the reading's summary (Collector.summary)."""
    return replace(
        summary,
        text="".join(p.text for p in parts),
        pages=tuple(pg for p in parts for pg in p.pages),
        headings=tuple(h for p in parts for h in p.headings),
    )

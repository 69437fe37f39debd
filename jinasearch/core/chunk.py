"""Cut extracted text into passages measured in model tokens, at sentence and paragraph boundaries.

Passages never cross a page or a heading, so every hit has one page number and one heading path
(its section). Each passage keeps its character offsets into the document's text, so a view can
show it in context and highlight it there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from .config import DEFAULT_CHUNK_TOKENS, DEFAULT_OVERLAP_TOKENS, DEFAULT_SECTION_CUTS
from .language import sentences
from .models import Chunk, Extracted, Heading, Page

if TYPE_CHECKING:
    from .config import Settings


class Tokenizer(Protocol):
    """The slice of a model tokenizer chunking needs (no special tokens counted)."""

    def count(self, texts: Sequence[str]) -> list[int]: ...

    def offsets(self, text: str) -> list[tuple[int, int]]: ...


# Sentences counted per tokenizer call: bounds the tokenizer's memory on a book-sized text.
COUNT_SLICE = 2000


def _segments(text: str, start: int, end: int, tok: Tokenizer, max_tokens: int) -> list[tuple[int, int, int]]:
    """Sentence spans in text[start:end] as (start, end, tokens); over-long sentences split by tokens."""
    spans = [(start + s, start + e) for s, e in sentences(text[start:end])]
    counts: list[int] = []
    for i in range(0, len(spans), COUNT_SLICE):
        counts.extend(tok.count([text[s:e] for s, e in spans[i : i + COUNT_SLICE]]))
    out: list[tuple[int, int, int]] = []
    for (s, e), n in zip(spans, counts):
        if n <= max_tokens:
            out.append((s, e, n))
            continue
        offs = tok.offsets(text[s:e])
        for i in range(0, len(offs), max_tokens):
            piece = offs[i : i + max_tokens]
            out.append((s + piece[0][0], s + piece[-1][1], len(piece)))
    return out


def chunk_text(
    extracted: Extracted,
    tok: Tokenizer,
    *,
    max_tokens: int = DEFAULT_CHUNK_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
    section_cuts: bool = DEFAULT_SECTION_CUTS,
) -> list[Chunk]:
    """Greedily pack sentences into passages of at most `max_tokens`, carrying up to
    `overlap_tokens` of trailing sentences into the next passage so no idea is cut in half.
    Pages are hard boundaries, headings nearly so (see Cutter._pack): a passage has one page, and
    its heading path is that of the section its own text starts in. With `section_cuts` every heading
    starts a passage."""
    cutter = Cutter(tok, max_tokens, overlap_tokens, section_cuts)
    return cutter.cut(extracted.text, 0, extracted.pages, extracted.headings)


class Cutter:
    """Cuts a document part by part (a streamed file arrives in parts), keeping the heading path and
    the passage numbering across parts. Offsets are the document's, not the part's."""

    def __init__(
        self,
        tok: Tokenizer,
        max_tokens: int,
        overlap_tokens: int,
        section_cuts: bool = False,
        topic_starts: frozenset[int] = frozenset(),
    ) -> None:
        """`topic_starts`: document offsets of sentences that open a new topic (core/topics.py): there a
        passage ends once it holds MIN_FILL of max_tokens, as at a heading."""
        if max_tokens < 8:
            raise ValueError("max_tokens must be at least 8")
        self.tok = tok
        self.topic_starts = topic_starts
        self.topic_fill = int(max_tokens * MIN_FILL)
        self.min_fill = 0 if section_cuts else int(max_tokens * MIN_FILL)
        self.max_tokens = max_tokens
        self.overlap_tokens = max(0, min(overlap_tokens, max_tokens // 2))
        self.ordinal = 0
        self._stack: list[Heading] = []  # the heading path at the current position

    def cut(self, text: str, start: int, pages: Sequence[Page] = (), headings: Sequence[Heading] = ()) -> list[Chunk]:
        """Passages of `text`, which starts at offset `start` of the document; `pages` and `headings`
        (document offsets) are those inside it."""
        chunks: list[Chunk] = []
        stream: list[_Seg] = []
        page_now: int | None = None
        for page, s, e, heading in _sections(text, start, pages, headings):
            if stream and page != page_now:
                chunks.extend(self._pack(text, start, stream, page_now))  # pages are hard boundaries
                stream = []
            page_now = page
            if heading is not None:
                self._enter(heading)
            path = section_path(self._stack)
            segs = _segments(text, s - start, e - start, self.tok, self.max_tokens)
            stream.extend(
                _Seg(a, b, n, path, k == 0 and heading is not None, start + a in self.topic_starts)
                for k, (a, b, n) in enumerate(segs)
            )
        if stream:
            chunks.extend(self._pack(text, start, stream, page_now))
        return chunks

    def _enter(self, h: Heading) -> None:
        while self._stack and self._stack[-1].level >= h.level:
            self._stack.pop()
        self._stack.append(h)

    def _pack(self, text: str, base: int, segs: list[_Seg], page: int | None) -> list[Chunk]:
        """Pack one page's sentences. A heading starts a new passage once the current one holds MIN_FILL
        of max_tokens (a short section - a "See also", an "Example" line, a heading straight followed by
        its first subheading - stays with its neighbours instead of becoming a passage of its own), or
        when the current one is only the tail of a section that filled the passage before it."""
        out: list[Chunk] = []
        min_fill = self.min_fill

        def emit(current: list[_Seg], fresh: int) -> None:
            s, e = current[0].start, current[-1].end
            own = current[len(current) - fresh :]
            # Its place: where its own text starts, or the first heading in it when only a little text
            # (under MIN_FILL) comes before that heading.
            place, before = own[0].path, 0
            for seg in own:
                if seg.heading:
                    place = seg.path
                    break
                before += seg.tokens
                if before >= min_fill:
                    break
            out.append(Chunk(self.ordinal, text[s:e], base + s, base + e, page, place))
            self.ordinal += 1

        current: list[_Seg] = []
        total = fresh = carried = 0  # tokens in `current`; segments in it not already emitted; tokens of overlap
        for seg in segs:
            full = current and total + seg.tokens > self.max_tokens
            # Its own text, not the overlap it opens with, must fill MIN_FILL: else a passage of one new
            # sentence behind the last one's tail, a near copy of it.
            topic = bool(current) and seg.topic and total - carried >= self.topic_fill
            if full or topic or (current and seg.heading and (total >= min_fill or _only_a_tail(current, fresh))):
                emit(current, fresh)
                carry: list[_Seg] = []
                carried = 0
                if not (seg.heading or topic):  # across a heading or a topic nothing is carried: it starts clean
                    for prev in reversed(current):
                        if (
                            carried + prev.tokens > self.overlap_tokens
                            or carried + prev.tokens + seg.tokens > self.max_tokens
                        ):
                            break
                        carry.insert(0, prev)
                        carried += prev.tokens
                current, total, fresh = carry, carried, 0
            current.append(seg)
            total += seg.tokens
            fresh += 1
        if current and fresh:
            emit(current, fresh)
        return out


def _only_a_tail(current: list[_Seg], fresh: int) -> bool:
    """The passage began mid-section, because the one before it filled up (it opens with that one's
    overlap), and holds no heading: only the end of a section. It ends at the next heading however
    short, so that section's first passage starts at its heading instead of with the previous section's
    last lines (measured on docs-dev: docs/benchmarks.md, "Real documents (docs-dev)")."""
    return 0 < fresh < len(current) and not any(c.heading for c in current)


@dataclass(frozen=True)
class _Seg:
    """A sentence (or a piece of an over-long one) with its token count and heading path; `heading`:
    the first of its section."""

    start: int
    end: int
    tokens: int
    path: str
    heading: bool
    topic: bool = False  # it opens a new topic (core/topics.py)


# A heading ends the passage before it only when that passage holds this share of max_tokens.
MIN_FILL = 0.25
# A heading's title, as the path shows it, is cut to this many characters.
TITLE_CHARS = 100
SECTION_SEP = " › "


def section_path(stack: Sequence[Heading]) -> str:
    return SECTION_SEP.join(short_title(h.title) for h in stack)


# Markup a heading's text may still carry: Markdown links and anchors, code and emphasis marks, and the
# permalink sign documentation generators put after it ("Installing [¶](#install)", "Usage ¶").
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ANCHOR = re.compile(r"\{#[^}]*\}")
_MARKS = re.compile(r"[`*]+|(?<!\w)_+|_+(?!\w)")
_PERMALINK = re.compile(r"[\s¶§#]+$")


def short_title(title: str) -> str:
    """A heading's title as the path shows it: markup and permalink signs off, spaces collapsed, cut short."""
    t = _PERMALINK.sub("", _MARKS.sub("", _ANCHOR.sub("", _LINK.sub(r"\1", title))))
    t = " ".join(t.split()) or " ".join(title.split())
    return t if len(t) <= TITLE_CHARS else t[: TITLE_CHARS - 1] + "…"


def _sections(
    text: str, start: int, pages: Sequence[Page], headings: Sequence[Heading]
) -> list[tuple[int | None, int, int, Heading | None]]:
    """(page, start, end, heading that starts here or None) spans covering the part, in order."""
    end = start + len(text)
    spans: list[tuple[int | None, int, int]] = [(p.number, p.start, p.end) for p in pages] or [(None, start, end)]
    heads = sorted(headings, key=lambda h: h.start)
    out: list[tuple[int | None, int, int, Heading | None]] = []
    i = 0
    for page, s, e in spans:
        # Headings before this page's text (or on an empty stretch) still set the path.
        while i < len(heads) and heads[i].start < s:
            out.append((page, s, s, heads[i]))
            i += 1
        cur, cur_head = s, None
        while i < len(heads) and heads[i].start < e:
            h = heads[i]
            if h.start > cur:
                out.append((page, cur, h.start, cur_head))
            cur, cur_head = h.start, h
            i += 1
        out.append((page, cur, e, cur_head))
    out.extend((spans[-1][0], end, end, h) for h in heads[i:])
    return [o for o in out if o[2] > o[1] or o[3] is not None]


@dataclass(frozen=True)
class Chunking:
    """How to cut passages, as one value a runner can carry to its extraction workers (it pickles
    when the tokenizer does), so cutting runs beside extraction instead of on the indexer thread."""

    tokenizer: Tokenizer
    max_tokens: int = DEFAULT_CHUNK_TOKENS
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS
    section_cuts: bool = DEFAULT_SECTION_CUTS
    # Whether `cut` finds topic boundaries itself (indexing/topic_cut.py: with the model).
    topic_cuts: ClassVar[bool] = False

    @classmethod
    def of(cls, settings: Settings, tokenizer: Tokenizer) -> Chunking:
        """The cut a run's settings ask for, with this tokenizer."""
        return cls(tokenizer, settings.chunk_tokens, settings.overlap_tokens, settings.section_cuts)

    def cut(self, extracted: Extracted, topic_starts: frozenset[int] = frozenset()) -> list[Chunk]:
        """The document's passages (`topic_starts`: where its topics change, core/topics.py)."""
        return self.cutter(topic_starts).cut(extracted.text, 0, extracted.pages, extracted.headings)

    def cutter(self, topic_starts: frozenset[int] = frozenset()) -> Cutter:
        return Cutter(self.tokenizer, self.max_tokens, self.overlap_tokens, self.section_cuts, topic_starts)

    def sentences(self, extracted: Extracted) -> list[tuple[int, int]]:
        """The (start, end) document offsets of the sentences the cut packs, in order: what topic
        boundaries are found between (core/topics.py)."""
        spans: list[tuple[int, int]] = []
        for _page, s, e, _heading in _sections(extracted.text, 0, extracted.pages, extracted.headings):
            spans.extend((a, b) for a, b, _n in _segments(extracted.text, s, e, self.tokenizer, self.max_tokens))
        return spans

"""Cut extracted text into passages measured in model tokens, at sentence and paragraph boundaries.

Passages never cross a page, so every hit has one page number. Each passage keeps its character
offsets into the document's text, so a view can show it in context and highlight it there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .config import DEFAULT_CHUNK_TOKENS, DEFAULT_OVERLAP_TOKENS
from .language import sentences
from .models import Chunk, Extracted


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
) -> list[Chunk]:
    """Greedily pack sentences into passages of at most `max_tokens`, carrying up to
    `overlap_tokens` of trailing sentences into the next passage so no idea is cut in half."""
    if max_tokens < 8:
        raise ValueError("max_tokens must be at least 8")
    overlap_tokens = max(0, min(overlap_tokens, max_tokens // 2))
    text = extracted.text
    sections: list[tuple[int | None, int, int]] = (
        [(p.number, p.start, p.end) for p in extracted.pages] if extracted.pages else [(None, 0, len(text))]
    )
    chunks: list[Chunk] = []

    def emit(page: int | None, segs: list[tuple[int, int, int]]) -> None:
        s, e = segs[0][0], segs[-1][1]
        chunks.append(Chunk(ordinal=len(chunks), text=text[s:e], char_start=s, char_end=e, page=page))

    for page, start, end in sections:
        segs = _segments(text, start, end, tok, max_tokens)
        current: list[tuple[int, int, int]] = []
        total = 0
        fresh = 0  # segments in `current` not already emitted as overlap
        for seg in segs:
            if current and total + seg[2] > max_tokens:
                emit(page, current)
                carry: list[tuple[int, int, int]] = []
                carried = 0
                for prev in reversed(current):
                    if carried + prev[2] > overlap_tokens or carried + prev[2] + seg[2] > max_tokens:
                        break
                    carry.insert(0, prev)
                    carried += prev[2]
                current, total, fresh = carry, carried, 0
            current.append(seg)
            total += seg[2]
            fresh += 1
        if current and fresh:
            emit(page, current)
    return chunks


@dataclass(frozen=True)
class Chunking:
    """How to cut passages, as one value a runner can carry to its extraction workers (it pickles
    when the tokenizer does), so cutting runs beside extraction instead of on the indexer thread."""

    tokenizer: Tokenizer
    max_tokens: int = DEFAULT_CHUNK_TOKENS
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS

    def cut(self, extracted: Extracted) -> list[Chunk]:
        return chunk_text(extracted, self.tokenizer, max_tokens=self.max_tokens, overlap_tokens=self.overlap_tokens)

"""Pure helpers for showing a passage: highlight spans by kind, a window around them, UTF-16 offsets for Qt."""

from __future__ import annotations

from collections.abc import Sequence

from ..core.models import Hit

Span = tuple[int, int, str]  # (start, end, kind) with kind "sentence" or "term"


def hit_spans(hit: Hit) -> list[Span]:
    """The engine's highlight spans for a hit, tagged by kind; the sentence first so terms paint on top."""
    spans: list[Span] = []
    if hit.sentence_span is not None:
        spans.append((hit.sentence_span[0], hit.sentence_span[1], "sentence"))
    spans.extend((s, e, "term") for s, e in sorted(hit.term_spans))
    return spans


def same_run(document_part: str, text: str) -> bool:
    """Whether a hit's text is this part of its document: the same characters, but any whitespace may
    stand for any other (a hit widened to the passage next to it fills the gap between them with
    whitespace of the gap's length: core/retrieval/neighbours.py), so offsets into either agree."""
    if document_part == text:
        return True
    return len(document_part) == len(text) and all(
        a == b or (a.isspace() and b.isspace()) for a, b in zip(document_part, text)
    )


def snippet(text: str, spans: Sequence[Span], limit: int = 420) -> tuple[str, list[Span]]:
    """At most ~`limit` characters of `text` around its highlights, with spans shifted to match.

    Newlines become spaces (same length, so offsets stay valid) because a result card flows as one
    paragraph. The window starts at the best sentence, else at the first query word.
    """
    flat = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    if len(flat) <= limit:
        return flat, [s for s in spans if s[0] < s[1]]
    anchor = next((s for s, _e, k in spans if k == "sentence"), None)
    if anchor is None:
        anchor = min((s for s, _e, _k in spans), default=0)
    start = max(0, min(anchor - 60, len(flat) - limit))
    if start > 0:  # begin at a word boundary
        space = flat.find(" ", start, start + 30)
        start = space + 1 if space != -1 else start
    end = min(len(flat), start + limit)
    if end < len(flat):
        space = flat.rfind(" ", end - 30, end)
        end = space if space > start else end
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(flat) else ""
    shift = len(prefix) - start
    out: list[Span] = []
    for s, e, kind in spans:
        s, e = max(s, start), min(e, end)
        if s < e:
            out.append((s + shift, e + shift, kind))
    return prefix + flat[start:end] + suffix, out


def utf16_offsets(text: str, offsets: Sequence[int]) -> list[int]:
    """Python (code point) offsets -> Qt (UTF-16 unit) offsets; they differ after emoji and other astral chars."""
    if all(ord(c) < 0x10000 for c in text):
        return list(offsets)
    out = []
    for off in offsets:
        head = text[:off]
        out.append(off + sum(1 for c in head if ord(c) >= 0x10000))
    return out


def spans_utf16(text: str, spans: Sequence[Span]) -> list[Span]:
    flat = [x for s, e, _k in spans for x in (s, e)]
    conv = utf16_offsets(text, flat)
    return [(conv[2 * i], conv[2 * i + 1], k) for i, (_s, _e, k) in enumerate(spans)]

"""Find an indexed passage and the query's words among a page's characters (a PDF's text layer, or the
words OCR read on a scan or an image: page_ocr.py), and box them on the page's image (pure functions,
no PDFium).

The index holds a passage as extraction left it: running headers dropped, whitespace collapsed, a
line-end hyphen PDFium marked removed and the word joined. So the passage is never searched for
verbatim: both sides become word sequences (NFKC, case-folded, alphanumeric runs) and the page's
stretch is where the longest common runs of words fall (difflib's matching blocks), or, when the
page's lines come in another order, the words sharing a three-word run with the passage. A hyphen PDFium
marks (U+0002, U+FFFE) or a soft hyphen at a line end joins the word halves, as extraction did.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

# "found": most of the passage's words are on the page in order; "partly": some runs of them are;
# "missing": none could be placed; "none": there was no passage to place (a page turned to by hand).
Placement = Literal["found", "partly", "missing", "none"]

_JOINERS = frozenset("\x02\ufffe\xad")
# A run of fewer words than this is too common ("of the") to place a passage by.
MIN_RUN = 3
FOUND_SHARE = 0.5  # of the passage's words matched, for "found"
TRY_ANYWHERE = 0.9  # below this share in order, the lines may be out of order: try runs anywhere


# (left, bottom, right, top) in page space: points, origin bottom left, before the page's rotation.
Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class Word:
    """One word of a page: its folded text and the page's character range [start, end)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Layout:
    """A page's words and each character's box (None: no ink) in page space, and what takes page space
    to the image: the page's box and its rotation (to_pixels). A text layer's characters give one, and so
    do the words OCR read on a page's image (core/page_ocr.py)."""

    words: tuple[Word, ...]
    boxes: tuple[Rect | None, ...]
    bbox: Rect
    rotation: int = 0


@dataclass(frozen=True)
class Located:
    """Where a passage is on a page: character ranges [start, end) and how sure the placement is."""

    ranges: tuple[tuple[int, int], ...]
    placement: Placement


def _fold(ch: str) -> str:
    """A character as words are compared: compatibility-decomposed (ligatures "ﬁ" -> "fi"), case-folded."""
    return unicodedata.normalize("NFKC", ch).casefold() if not ch.isascii() else ch.lower()


def page_words(chars: Sequence[str]) -> list[Word]:
    """The words of a page given as one string per PDFium character (index = PDFium's char index)."""
    words: list[Word] = []
    buf: list[str] = []
    start = -1
    joining = False  # after a hyphen mark: the line break that follows does not end the word
    for i, ch in enumerate(chars):
        folded = _fold(ch) if ch else ""
        if folded and all(c.isalnum() for c in folded):
            if start < 0:
                start = i
            buf.append(folded)
            joining = False
        elif ch in _JOINERS and buf:
            joining = True
        elif joining and ch.isspace():
            continue
        else:
            if buf:
                words.append(Word("".join(buf), start, i))
            buf, start, joining = [], -1, False
    if buf:
        words.append(Word("".join(buf), start, len(chars)))
    return words


def text_words(text: str) -> list[str]:
    """The words of a passage or query term, folded as `page_words` folds a page's."""
    return [w.text for w in page_words(list(text))]


def locate(words: Sequence[Word], passage: str) -> Located:
    """The page's stretch holding `passage`: from its first to its last long common run of words; when
    PDFium reads the page's lines in another order than extraction did (a rotated page, columns), the
    page's words that share a run of MIN_RUN words with the passage, wherever they are."""
    wanted = text_words(passage)
    if not wanted:
        return Located((), "none")
    page = [w.text for w in words]
    in_order, share = _in_order(page, wanted)
    if share < TRY_ANYWHERE:
        anywhere, share_anywhere = _anywhere(page, wanted)
        if share_anywhere > share:
            in_order, share = anywhere, share_anywhere
    if not in_order:
        return Located((), "missing")
    ranges = tuple((words[a].start, words[b].end) for a, b in in_order)
    return Located(ranges, "found" if share >= FOUND_SHARE else "partly")


def _in_order(page: list[str], wanted: list[str]) -> tuple[list[tuple[int, int]], float]:
    """(first word, last word) of the stretch from the first to the last common run, and the share of
    the passage's words those runs hold."""
    matcher = SequenceMatcher(None, page, wanted, autojunk=False)
    need = min(MIN_RUN, len(wanted))
    runs = [b for b in matcher.get_matching_blocks() if b.size >= need]
    if not runs:
        return [], 0.0
    share = sum(b.size for b in runs) / len(wanted)
    return [(runs[0].a, runs[-1].a + runs[-1].size - 1)], share


def _anywhere(page: list[str], wanted: list[str]) -> tuple[list[tuple[int, int]], float]:
    """Runs of page words each inside some MIN_RUN-word sequence the passage also holds."""
    n = min(MIN_RUN, len(wanted))
    grams = {tuple(wanted[i : i + n]) for i in range(len(wanted) - n + 1)}
    covered = [False] * len(page)
    for i in range(len(page) - n + 1):
        if tuple(page[i : i + n]) in grams:
            covered[i : i + n] = [True] * n
    runs: list[tuple[int, int]] = []
    for i, on in enumerate(covered):
        if on and runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        elif on:
            runs.append((i, i))
    return runs, min(sum(covered) / len(wanted), 1.0)


def find_terms(words: Sequence[Word], terms: Iterable[str]) -> list[tuple[int, int]]:
    """Character ranges of every occurrence on the page of each term (a word or a phrase), sorted."""
    folded = [w.text for w in words]
    found: set[tuple[int, int]] = set()
    for term in terms:
        parts = text_words(term)
        if not parts:
            continue
        n = len(parts)
        for i in range(len(folded) - n + 1):
            if folded[i : i + n] == parts:
                found.add((words[i].start, words[i + n - 1].end))
    return sorted(found)


def terms_of(text: str, spans: Iterable[tuple[int, int]]) -> list[str]:
    """The query's words as the passage spells them, from a hit's (start, end) term spans."""
    return sorted({text[s:e] for s, e in spans if 0 <= s < e <= len(text)})


def to_pixels(
    bbox: tuple[float, float, float, float], rotation: int, scale: float
) -> Callable[[float, float], tuple[float, float]]:
    """Page space (points, origin bottom left) to the rendered image's pixels, as PDFium draws a page
    rotated clockwise by its /Rotate (the PDF reference's "Page Objects")."""
    left, bottom, right, top = bbox
    rot = rotation % 360

    def to_px(x: float, y: float) -> tuple[float, float]:
        if rot == 90:
            return (y - bottom) * scale, (x - left) * scale
        if rot == 180:
            return (right - x) * scale, (y - bottom) * scale
        if rot == 270:
            return (top - y) * scale, (right - x) * scale
        return (x - left) * scale, (top - y) * scale

    return to_px


def line_boxes(boxes: Sequence[Rect | None], ranges: Sequence[tuple[int, int]]) -> list[Rect]:
    """One box a line for each character range (in page space, where a line runs left to right): a
    character whose middle height is outside the current box, or that starts left of it, begins a new line."""
    out: list[Rect] = []
    for start, end in ranges:
        cur: Rect | None = None
        for box in boxes[start:end]:
            if box is None:
                continue
            mid = (box[1] + box[3]) / 2
            if cur is not None and cur[1] <= mid <= cur[3] and box[0] >= cur[0]:
                cur = (cur[0], min(cur[1], box[1]), max(cur[2], box[2]), max(cur[3], box[3]))
                continue
            if cur is not None:
                out.append(cur)
            cur = box
        if cur is not None:
            out.append(cur)
    return out


def pixel_boxes(layout: Layout, ranges: Sequence[tuple[int, int]], scale: float) -> list[Rect]:
    """The line boxes of character ranges as (x0, y0, x1, y1) in the pixels of the page drawn at `scale`,
    origin top left."""
    to_px = to_pixels(layout.bbox, layout.rotation, scale)
    out = []
    for left, bottom, right, top in line_boxes(layout.boxes, ranges):
        x0, y0 = to_px(left, top)
        x1, y1 = to_px(right, bottom)
        out.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
    return out

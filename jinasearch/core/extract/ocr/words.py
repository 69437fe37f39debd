"""The words OCR read with their boxes: Tesseract's TSV output parsed into records, boxes moved between images.

tesseract(1) lists `tsv` among its output configs: one row per element of the page's layout, with the
columns level, page_num, block_num, par_num, line_num, word_num, left, top, width, height, conf, text.
Level 5 rows are words (1 page, 2 block, 3 paragraph, 4 line: Tesseract's PageIteratorLevel, RIL_BLOCK
to RIL_WORD, counted from the page); their box is in the input image's pixels, origin top left, and
their `conf` is 0-100 (-1 on the rows above words, which carry no text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

WORD_LEVEL = 5
_COLUMNS = 12


@dataclass(frozen=True)
class OcrWord:
    """One word as OCR read it: its text, its box in pixels (origin top left), and its line on the page."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    conf: float
    line: tuple[int, int, int, int]  # (page, block, paragraph, line): words sharing it stand on one line

    def moved(self, to_source: Callable[[float, float], tuple[float, float]]) -> OcrWord:
        """The word with its box taken into another image's pixels: the box around its corners' images
        (a turn of a few degrees makes the box a little taller, never misses the word)."""
        corners = [to_source(x, y) for x in (self.left, self.right) for y in (self.top, self.bottom)]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return OcrWord(self.text, min(xs), min(ys), max(xs), max(ys), self.conf, self.line)


def parse_tsv(tsv: str) -> list[OcrWord]:
    """The words of Tesseract's TSV output in its reading order; rows that are no word, or hold only
    spaces, are left out. A row Tesseract wrote short (no text column) holds no word either."""
    words: list[OcrWord] = []
    for row in tsv.splitlines()[1:]:  # the first row names the columns
        cols = row.split("\t")
        if len(cols) < _COLUMNS or not cols[0].isdigit() or int(cols[0]) != WORD_LEVEL:
            continue
        text = "\t".join(cols[11:]).strip()
        try:
            left, top, width, height = (int(c) for c in cols[6:10])
            conf = float(cols[10])
            line = (int(cols[1]), int(cols[2]), int(cols[3]), int(cols[4]))
        except ValueError:
            continue
        if text and width > 0 and height > 0:
            words.append(OcrWord(text, left, top, left + width, top + height, conf, line))
    return words

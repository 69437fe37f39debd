"""The words of a page without a text layer (a scanned PDF page, an image file) with their places, read by
Tesseract for the page view and made into pagemarks' Layout: the passage and the query's words are then
found and boxed on a scan by the same matching as on a text layer (pagemarks.locate, find_terms).

The boxes are read when the page is shown, not stored when the index's OCR reads the page. The index
keeps each page's OCR text by content hash and never reads a page twice for the same bytes
(store/ocr.py); boxes stored with it would need a new schema, and every page read before it would have
none: reading those again would break that rule, and leaving them unmarked would make the marks depend
on when a file was indexed. So the one page shown is read again here, off the GUI thread (~1.5 s a page
on this machine; the page view shows the page meanwhile and says it is reading it), and kept in the page
cache for the session; indexing is untouched.

The places come from Tesseract's `tsv` output config (tesseract(1), "tsv — Output TSV"): its level-5
rows are the words, each with left/top/width/height in the pixels of the image it read
(ocr/words.py). That image is the one the index's OCR read (a PDF page drawn at the OCR's dpi,
extract/pdf.py; an image file's frame), prepared the same way (ocr/prepare.py), so the words are those of
the indexed text; the boxes are taken back through the preparation (upscale, deskew: Prepared.to_source)
into the OCR image's pixels, then into the units the page view draws the page in (a PDF page's points,
`per_unit` OCR pixels a point; an image's own pixels, one a unit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import ExtractionError
from .pagemarks import Layout, Rect, page_words

if TYPE_CHECKING:
    from PIL.Image import Image

    from .extract.ocr import OcrWord

# Below the index's deadline a page (extract/scanned.py, 60 s): a person is waiting for this one.
PREVIEW_OCR_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class OcrMarks:
    """What OCR gave a page for marking: its Layout, or why there is none (the exception itself)."""

    layout: Layout | None
    error: ExtractionError | None = None


def layout_of(words: Sequence[OcrWord], size: tuple[float, float], per_unit: float = 1.0) -> Layout:
    """pagemarks' Layout of OCR words whose boxes are in pixels, `per_unit` of them a unit of a page `size`
    units large, in Tesseract's reading order: each character a slice of its word's box (so a query word
    inside "(word)," is boxed without the brackets, as on a text layer), a space without a box between."""
    width, height = size
    chars: list[str] = []
    boxes: list[Rect | None] = []
    for word in words:
        if chars:
            chars.append(" ")
            boxes.append(None)
        bottom, top = height - word.bottom / per_unit, height - word.top / per_unit  # page space: y up
        x = word.left
        for ch, w in zip(word.text, _widths(word), strict=True):
            chars.append(ch)
            boxes.append((x / per_unit, bottom, (x + w) / per_unit, top))
            x += w
    return Layout(tuple(page_words(chars)), tuple(boxes), (0.0, 0.0, width, height), 0)


def _widths(word: OcrWord) -> list[float]:
    """Each character's share of the word's width. TSV's boxes go no finer than words; punctuation is
    about half a letter's width in text faces (DejaVu Sans: "." 0.32 em, "(" 0.39 em; "e" 0.62 em), so
    it gets half a share: a word's letters end where the ink does within a pixel or two, not a letter off."""
    weights = [1.0 if ch.isalnum() else 0.5 for ch in word.text]
    unit = (word.right - word.left) / sum(weights)
    return [w * unit for w in weights]


def read_marks(image: Image, size: tuple[float, float], per_unit: float = 1.0) -> OcrMarks:
    """The Layout of the words Tesseract reads in `image` (see layout_of), or the error that stopped it:
    no Tesseract (OcrUnavailableError, saying what to install), past the deadline, crashed, refused."""
    from .extract import ocr

    try:
        words = ocr.read_words(image, PREVIEW_OCR_TIMEOUT_S)
    except ExtractionError as exc:
        return OcrMarks(None, exc)
    except Exception as exc:  # noqa: BLE001 - an image OCR chokes on costs the marks, not the page
        return OcrMarks(None, ExtractionError(f"OCR failed ({type(exc).__name__})"))
    return OcrMarks(layout_of(words, size, per_unit))

"""A document's page as an image, with the boxes of a passage and of the query's words on it: a PDF page
(PDFium, page_pdf.py) or an image file (page_image.py).

PDFium renders a page of a real manual in about 10 ms and already reads every PDF the index holds
(core/extract/pdf.py); Qt's own PDF module is not in the PySide6-Essentials wheel the app ships with
(docs/benchmarks.md, "Page preview"). A rendered page (pixels, word boxes) is kept in a bounded LRU
cache (page_cache.py), so showing it again costs only the marks; an image file's decoded frame too, so
a zoom step only resizes it. A page without a text layer (a scan, an image) has its
words read by OCR when asked (render_page's `ocr`, page_ocr.py), kept in the same cache.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .errors import ExtractionError, JinaSearchError
from .extract.image import ImageExtractor
from .page_cache import PageCache
from .pagemarks import Layout, Placement, find_terms, locate, pixel_boxes, terms_of
from .scan import fs_path

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = [
    "PAGE_SUFFIXES",
    "PageCache",
    "PageError",
    "RenderedPage",
    "clamp_scale",
    "file_stamp",
    "render_page",
    "terms_of",
]

# The files the page view draws: PDFs, and the images the index reads by OCR.
IMAGE_SUFFIXES = ImageExtractor.suffixes
PAGE_SUFFIXES = (".pdf", *IMAGE_SUFFIXES)
# "text": from the page's text layer; "ocr": from the words OCR read on its image; "reading": a page
# without a text layer whose words OCR has not read yet (render_page with ocr=True reads them); "unread":
# OCR could not read them (RenderedPage.unread says why). The last two show the page unmarked.
Marks = Literal["text", "ocr", "reading", "unread"]
MIN_SCALE, MAX_SCALE = 0.05, 8.0
# The most pixels one page is drawn with (160 MB of RGBA): a Letter page at 8x fits (31 MP); a poster or
# an A0 drawing at a big zoom is drawn at the scale that fits instead of taking gigabytes.
MAX_PIXELS = 40_000_000


class PageError(JinaSearchError):
    """A page that cannot be shown as an image: the preview says why and shows the text instead."""


class PageEncryptedError(PageError):
    """The PDF needs a password."""


class PageDamagedError(PageError):
    """PDFium cannot read the file or the page (or it is no PDF); an image that cannot be decoded."""


class PageMissingError(PageError):
    """The file is gone, or has no such page."""


class PageUnsupportedError(PageError):
    """PDFium would render the page blank (Brotli-compressed streams, PDF 2.0)."""


@dataclass(frozen=True)
class Box:
    """A rectangle in image pixels, origin top left."""

    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class PageImage:
    """Pixels as RGBA bytes, `stride` bytes a row."""

    width: int
    height: int
    stride: int
    data: bytes


@dataclass(frozen=True)
class RenderedPage:
    """One page drawn at `scale` (pixels per point; per pixel of an image file), the passage's and the
    query words' boxes on it."""

    path: str
    page: int  # 1-based, as hits number pages
    pages: int  # how many the document has
    scale: float
    image: PageImage
    passage: tuple[Box, ...]
    words: tuple[Box, ...]  # the query's words in the passage (on the whole page when there is none)
    elsewhere: tuple[Box, ...]  # the query's words on the rest of the page
    placement: Placement
    cached: bool  # the pixels came from the cache
    marks: Marks = "text"  # where the words the boxes were found among came from
    unread: ExtractionError | None = None  # why OCR could not read the page's words ("unread")


@dataclass(frozen=True)
class Drawn:
    """What the cache keeps of a page: pixels, its text layer's words (page_pdf.py) and whether a page
    without one is marked by OCR instead (`scanned`)."""

    pages: int
    scale: float  # what the pixels were drawn at: the asked scale, or less within MAX_PIXELS
    image: PageImage
    layout: Layout
    scanned: bool = False


def render_page(
    path: str,
    page: int,
    *,
    scale: float = 1.5,
    passage: str = "",
    terms: Sequence[str] = (),
    cache: PageCache | None = None,
    ocr: bool = False,
) -> RenderedPage:
    """Page `page` (1-based) of the PDF or image at `path` (a record path) drawn at `scale`, with the
    boxes of `passage` and of `terms` (the query's words). A page without a text layer is marked by the
    words OCR reads on it: with `ocr` read now (seconds), else taken from the cache or left "reading".
    Raises a PageError subclass, never PDFium's or Pillow's own; OCR's failures come as `unread`."""
    real = fs_path(path)
    try:
        st = os.stat(real)
    except OSError as exc:
        raise PageMissingError(f"cannot open the file: {exc.strerror or exc}") from None
    scale = clamp_scale(scale)
    stamp = (real, st.st_mtime_ns, st.st_size, page)
    drawn = cache.get((*stamp, round(scale, 3))) if cache is not None else None
    cached = drawn is not None
    if drawn is None:
        drawn = _draw(real, page, scale, stamp, cache)
        if cache is not None:
            cache.put((*stamp, round(scale, 3)), drawn)
    layout, marks, unread = drawn.layout, "text", None
    if drawn.scanned:
        layout, marks, unread = _ocr_layout(real, page, stamp, cache, ocr)
    where = locate(layout.words, passage)
    found = find_terms(layout.words, terms)
    inside = [r for r in found if not where.ranges or any(s <= r[0] and r[1] <= e for s, e in where.ranges)]
    outside = [r for r in found if r not in inside]
    return RenderedPage(
        path=path,
        page=page,
        pages=drawn.pages,
        scale=drawn.scale,
        image=drawn.image,
        passage=_boxes(layout, where.ranges, drawn.scale),
        words=_boxes(layout, inside, drawn.scale),
        elsewhere=_boxes(layout, outside, drawn.scale),
        placement=where.placement,
        cached=cached,
        marks=marks,
        unread=unread,
    )


def _ocr_layout(
    real: str, page: int, stamp: tuple[Any, ...], cache: PageCache | None, ocr: bool
) -> tuple[Layout, Marks, ExtractionError | None]:
    """The words OCR read on a page without a text layer: from the cache, read now (`ocr`), or none yet.
    What OCR could not read is kept too (a zoom does not run a failing Tesseract again), except what says
    more about the machine than the page, as indexing's OCR pass judges it (extract/scanned.py): a missing
    Tesseract (one installed meanwhile is found at the next page shown), one that ran out of time on a
    busy machine or was killed."""
    from .extract.ocr import OcrCrashedError, OcrTimeoutError, OcrUnavailableError
    from .page_ocr import read_marks

    known = cache.read(stamp) if cache is not None else None
    if known is None and ocr:
        image, size, per_unit = _source(real)(real, page)
        known = read_marks(image, size, per_unit)
        passing = (OcrUnavailableError, OcrTimeoutError, OcrCrashedError)
        if cache is not None and not isinstance(known.error, passing):
            cache.put_read(stamp, known)
    if known is None:
        return _NOTHING, "reading", None
    if known.layout is None:
        return _NOTHING, "unread", known.error
    return known.layout, "ocr", None


_NOTHING = Layout((), (), (0.0, 0.0, 1.0, 1.0))


def file_stamp(path: str) -> tuple[int, int] | None:
    """What a page drawn from the file at `path` (a record path) depends on: its (mtime_ns, size);
    None when it cannot be read."""
    try:
        st = os.stat(fs_path(path))
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def clamp_scale(scale: float) -> float:
    """The scale a page is asked to be drawn at, within what the page view offers."""
    return min(max(scale, MIN_SCALE), MAX_SCALE)


def budget_scale(scale: float, width_pt: float, height_pt: float, max_pixels: int | None = None) -> float:
    """`scale`, or the largest below it at which a `width_pt` x `height_pt` page takes at most
    `max_pixels` (MAX_PIXELS) pixels, as PDFium sizes the bitmap (each side rounded up)."""
    limit = MAX_PIXELS if max_pixels is None else max_pixels
    if width_pt <= 0 or height_pt <= 0:
        return scale
    s = min(scale, math.sqrt(limit / (width_pt * height_pt)))
    while s > 0 and math.ceil(width_pt * s) * math.ceil(height_pt * s) > limit:
        s *= 0.999
    return s


def _draw(real: str, page: int, scale: float, stamp: tuple[Any, ...], cache: PageCache | None) -> Drawn:
    """Page `page` drawn at `scale`: a PDF's by PDFium; an image file's from its frame decoded once and
    kept in the cache, whatever the zoom (a zoom step is a new picture, but not a new decode)."""
    from . import page_image, page_pdf

    if not real.lower().endswith(IMAGE_SUFFIXES):
        return page_pdf.draw(real, page, scale)
    frame = cache.decoded(stamp) if cache is not None else None
    if frame is None:
        frame = page_image.decode(real, page)
        if cache is not None:
            cache.put_decoded(stamp, frame)
    return page_image.draw(frame, scale)


def _source(real: str) -> Callable[[str, int], tuple[Image, tuple[float, float], float]]:
    """What gives OCR this kind of file's page (its image, its size in its own units, pixels a unit):
    page_image.py's ocr_image for an image, else page_pdf.py's."""
    from . import page_image, page_pdf

    return page_image.ocr_image if real.lower().endswith(IMAGE_SUFFIXES) else page_pdf.ocr_image


def _boxes(layout: Layout, ranges: Sequence[tuple[int, int]], scale: float) -> tuple[Box, ...]:
    """The line boxes of character ranges, in the image's pixels."""
    return tuple(Box(*box) for box in pixel_boxes(layout, ranges, scale))

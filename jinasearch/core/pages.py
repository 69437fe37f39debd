"""A PDF page as an image, with the boxes of a passage and of the query's words on it (PDFium).

PDFium renders a page of a real manual in about 10 ms and already reads every PDF the index holds
(core/extract/pdf.py); Qt's own PDF module is not in the PySide6-Essentials wheel the app ships with
(docs/benchmarks.md, "Page preview"). PDFium is not thread-safe: every call here holds PDFIUM_LOCK,
which in-process extraction holds too. A rendered page (pixels, word boxes) is kept in a bounded LRU
cache, so showing it again costs only the marks.
"""

from __future__ import annotations

import functools
import math
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .errors import JinaSearchError
from .extract.pdf import PDFIUM_LOCK, _uses_brotli
from .pagemarks import Placement, Rect, Word, find_terms, line_boxes, locate, page_words, terms_of, to_pixels
from .scan import fs_path

__all__ = ["PageCache", "PageError", "RenderedPage", "clamp_scale", "file_stamp", "render_page", "terms_of"]

# About 16 full-width pages of a manual at 2x (1224 x 1584 RGBA, 7.8 MB each).
CACHE_BYTES = 128 * 1024 * 1024
MIN_SCALE, MAX_SCALE = 0.05, 8.0
# The most pixels one page is drawn with (160 MB of RGBA): a Letter page at 8x fits (31 MP); a poster or
# an A0 drawing at a big zoom is drawn at the scale that fits instead of taking gigabytes.
MAX_PIXELS = 40_000_000


class PageError(JinaSearchError):
    """A page that cannot be shown as an image: the preview says why and shows the text instead."""


class PageEncryptedError(PageError):
    """The PDF needs a password."""


class PageDamagedError(PageError):
    """PDFium cannot read the file or the page (or it is no PDF)."""


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
    """One page drawn at `scale` (pixels per point), the passage's and the query words' boxes on it."""

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


@dataclass(frozen=True)
class _Drawn:
    """What the cache keeps of a page: pixels, words, each character's box (None: no ink) and what
    takes page space to the pixels."""

    pages: int
    scale: float  # what the pixels were drawn at: the asked scale, or less within MAX_PIXELS
    image: PageImage
    words: tuple[Word, ...]
    boxes: tuple[Rect | None, ...]
    bbox: Rect
    rotation: int


class PageCache:
    """Rendered pages, least recently shown evicted first, at most `max_bytes` of pixels; thread-safe."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[tuple[Any, ...], _Drawn] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> _Drawn | None:
        with self._lock:
            drawn = self._pages.get(key)
            if drawn is not None:
                self._pages.move_to_end(key)
            return drawn

    def put(self, key: tuple[Any, ...], drawn: _Drawn) -> None:
        # A page taking over a quarter of the cache would evict most of the others for itself.
        if len(drawn.image.data) > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._pages:
                return
            self._pages[key] = drawn
            self._bytes += len(drawn.image.data)
            while self._bytes > self.max_bytes and len(self._pages) > 1:
                _, old = self._pages.popitem(last=False)
                self._bytes -= len(old.image.data)

    def __len__(self) -> int:
        return len(self._pages)


def render_page(
    path: str,
    page: int,
    *,
    scale: float = 1.5,
    passage: str = "",
    terms: Sequence[str] = (),
    cache: PageCache | None = None,
) -> RenderedPage:
    """Page `page` (1-based) of the PDF at `path` (a record path) drawn at `scale`, with the boxes of
    `passage` and of `terms` (the query's words). Raises a PageError subclass, never PDFium's own."""
    real = fs_path(path)
    try:
        st = os.stat(real)
    except OSError as exc:
        raise PageMissingError(f"cannot open the file: {exc.strerror or exc}") from None
    scale = clamp_scale(scale)
    key = (real, st.st_mtime_ns, st.st_size, page, round(scale, 3))
    drawn = cache.get(key) if cache is not None else None
    cached = drawn is not None
    if drawn is None:
        drawn = _draw(real, page, scale)
        if cache is not None:
            cache.put(key, drawn)
    where = locate(drawn.words, passage)
    found = find_terms(drawn.words, terms)
    inside = [r for r in found if not where.ranges or any(s <= r[0] and r[1] <= e for s, e in where.ranges)]
    outside = [r for r in found if r not in inside]
    return RenderedPage(
        path=path,
        page=page,
        pages=drawn.pages,
        scale=drawn.scale,
        image=drawn.image,
        passage=_boxes(drawn, where.ranges),
        words=_boxes(drawn, inside),
        elsewhere=_boxes(drawn, outside),
        placement=where.placement,
        cached=cached,
    )


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


def _open(real: str) -> tuple[Any, BinaryIO]:
    """The document and the file it reads from (opened here, so a name that is not UTF-8 opens too)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        st = os.stat(real)
        if _brotli(real, st.st_mtime_ns, st.st_size):
            raise PageUnsupportedError("this PDF's pages use Brotli compression, which the page view cannot draw")
        fh = open(real, "rb")  # noqa: SIM115 - it lives as long as the document, closed by the caller
    except OSError as exc:
        raise PageMissingError(f"cannot open the file: {exc.strerror or exc}") from None
    try:
        return pdfium.PdfDocument(fh), fh
    except pdfium.PdfiumError as exc:
        fh.close()
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise PageEncryptedError("encrypted PDF: a password is needed to show its pages") from None
        raise PageDamagedError(f"damaged PDF: {exc}") from None


@functools.lru_cache(maxsize=64)
def _brotli(real: str, _mtime_ns: int, _size: int) -> bool:
    """Whether the file (as it is at that time and size) uses Brotli: a scan of the whole file, once."""
    try:
        return _uses_brotli(Path(real))
    except OSError:
        return False


def _draw(real: str, page: int, scale: float) -> _Drawn:
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        pdf, fh = _open(real)
        try:
            n = len(pdf)
            if not 1 <= page <= n:
                raise PageMissingError(f"the PDF has {n} pages, not a page {page}")
            try:
                return _draw_page(pdf[page - 1], n, scale)
            except pdfium.PdfiumError as exc:
                raise PageDamagedError(f"page {page} cannot be drawn: {exc}") from None
        finally:
            pdf.close()
            fh.close()


def _draw_page(pg: Any, pages: int, scale: float) -> _Drawn:
    """Pixels, then each character's box moved into the image's pixels (the page's own rotation applied)."""
    import pypdfium2.raw as pdfium_c

    scale = budget_scale(scale, pg.get_width(), pg.get_height())
    bitmap = pg.render(scale=scale, rev_byteorder=True, force_bitmap_format=pdfium_c.FPDFBitmap_BGRA)
    image = PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
    bbox, rotation = tuple(pg.get_bbox()), pg.get_rotation()
    textpage = pg.get_textpage()
    try:
        n = textpage.count_chars()
        chars = [chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(n)]
        boxes = tuple(_char_box(textpage, i, ch) for i, ch in enumerate(chars))
    finally:
        textpage.close()
        pg.close()
    return _Drawn(pages, scale, image, tuple(page_words(chars)), boxes, bbox, rotation)


def _char_box(textpage: Any, i: int, ch: str) -> Rect | None:
    if ch.isspace() or ch in "\x02\ufffe":
        return None
    left, bottom, right, top = textpage.get_charbox(i, loose=True)
    return None if right <= left or top <= bottom else (left, bottom, right, top)


def _boxes(drawn: _Drawn, ranges: Sequence[tuple[int, int]]) -> tuple[Box, ...]:
    """The line boxes of character ranges, in the image's pixels."""
    to_px = to_pixels(drawn.bbox, drawn.rotation, drawn.scale)
    out = []
    for left, bottom, right, top in line_boxes(drawn.boxes, ranges):
        x0, y0 = to_px(left, top)
        x1, y1 = to_px(right, bottom)
        out.append(Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
    return tuple(out)

"""A PDF page drawn for the page view by PDFium, with each character's box; a scanned page's image for OCR.

PDFium is not thread-safe: every call here holds PDFIUM_LOCK, which in-process extraction holds too.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from .extract.pdf import PDFIUM_LOCK, has_image, render_for_ocr, uses_brotli
from .extract.scanned import SCAN_MAX_WORDS
from .pagemarks import Layout, Rect, page_words
from .pages import (
    Drawn,
    PageDamagedError,
    PageEncryptedError,
    PageImage,
    PageMissingError,
    PageUnsupportedError,
    budget_scale,
)

if TYPE_CHECKING:
    from PIL.Image import Image
    from pypdfium2 import PdfDocument, PdfPage

T = TypeVar("T")


def draw(real: str, page: int, scale: float) -> Drawn:
    """Page `page` (1-based) of the PDF at `real` (a file system path) drawn at `scale` pixels a point."""
    with PDFIUM_LOCK:
        return _with_page(real, page, lambda pg, n: _draw_page(pg, n, scale))


def ocr_image(real: str, page: int) -> tuple[Image, tuple[float, float], float]:
    """A scanned page's image as the index's OCR read it (extract/pdf.py, at its dpi), the page's size in
    points as drawn (turned by its /Rotate) and the image's pixels a point."""

    def take(pg: PdfPage, _n: int) -> tuple[Image, tuple[float, float], float]:
        try:
            width, height = pg.get_size()  # PDFium's: with the /Rotate applied, as the page is drawn
            image = render_for_ocr(pg)
        finally:
            pg.close()
        return image, (width, height), image.width / max(width, 1e-6)

    with PDFIUM_LOCK:
        return _with_page(real, page, take)


def _with_page(real: str, page: int, use: Callable[[PdfPage, int], T]) -> T:
    """`use(page object, page count)` on the open document, PDFium's errors made PageErrors."""
    import pypdfium2 as pdfium

    pdf, fh = _open(real)
    try:
        n = len(pdf)
        if not 1 <= page <= n:
            raise PageMissingError(f"the PDF has {n} pages, not a page {page}")
        try:
            return use(pdf[page - 1], n)
        except pdfium.PdfiumError as exc:
            raise PageDamagedError(f"page {page} cannot be drawn: {exc}") from None
    finally:
        pdf.close()
        fh.close()


def _open(real: str) -> tuple[PdfDocument, BinaryIO]:
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
        return uses_brotli(Path(real))
    except OSError:
        return False


def _draw_page(pg: PdfPage, pages: int, scale: float) -> Drawn:
    """Pixels, then each character's box moved into the image's pixels (the page's own rotation applied).
    A page extraction took for a scan (few words and an image, extract/pdf.py) is marked by OCR instead."""
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
        scanned = len("".join(chars).split()) < SCAN_MAX_WORDS and has_image(pg)
    finally:
        textpage.close()
        pg.close()
    return Drawn(pages, scale, image, Layout(tuple(page_words(chars)), boxes, bbox, rotation), scanned)


def _char_box(textpage: Any, i: int, ch: str) -> Rect | None:
    if ch.isspace() or ch in "\x02\ufffe":
        return None
    left, bottom, right, top = textpage.get_charbox(i, loose=True)
    return None if right <= left or top <= bottom else (left, bottom, right, top)

"""PDF, page by page, with pypdfium2 (PDFium): page numbers, the outline as headings, no running headers.

PDFium reads real manuals about 10x faster than pypdf (a 311-page manual in 0.8 s instead of 7.9 s),
decomposes ligatures and marks line-end hyphenation instead of keeping "com-\\nmand", and logs nothing
on damaged files (docs/benchmarks.md, "Reading speed"). It is not thread-safe: it runs
only in extraction workers (one document at a time per process) or in the indexer's own thread
with the inline runner. pypdf stays as the fallback for files PDFium refuses, and reads PDF 2.0's
Brotli-compressed files, which PDFium shows as blank pages.
"""

from __future__ import annotations

import functools
import logging
import mmap
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ExtractionError
from .base import check_size
from .outline import OutlineEntry
from .parts import Collector
from .scanned import SCAN_MAX_WORDS

if TYPE_CHECKING:
    from PIL.Image import Image

# pypdf is chatty about every malformed object; the file's fate is reported once, by us. (Some of its
# messages are logged at ERROR, so only CRITICAL passes.)
logging.getLogger("pypdf").setLevel(logging.CRITICAL)
# pypdfium2 warns about circular or too deep bookmarks; the outline is best effort, the text is what counts.
logging.getLogger("pypdfium2").setLevel(logging.CRITICAL)

MAX_PAGES = 5000
# Tesseract reads best at 300 dpi (its documentation, "Improving the quality of the output"); a page
# larger than Letter is drawn with at most this many pixels.
OCR_DPI = 300
OCR_MAX_PIXELS = 12_000_000
# PDFium is not thread-safe: whoever calls it in this process (extraction inline, the page preview,
# core/pages.py) holds this lock.
PDFIUM_LOCK = threading.RLock()
# PDFium marks a hyphen it removed at a line end with U+0002 (and U+FFFE in the range API).
_SOFT_HYPHENS = {0x02: None, 0xFFFE: None}


class PdfExtractor:
    suffixes = (".pdf",)
    paged = True
    no_text = "no text in PDF (no text layer, and no page with an image for OCR to read)"
    unit = "page"

    def extract(self, path: Path, sink: Collector) -> None:
        check_size(path)
        try:
            import pypdfium2 as pdfium
        except ImportError:  # a build without PDFium: pypdf does the whole job
            _pypdf(path, sink)
            return
        if uses_brotli(path):
            # PDFium (pypdfium2 5.x) has no /BrotliDecode: such pages come out blank, the file "without
            # text". pypdf decodes them with the brotli package (a dependency for this reason).
            _pypdf(path, sink)
            return
        with PDFIUM_LOCK:
            try:
                pdf = pdfium.PdfDocument(str(path))
            except pdfium.PdfiumError as exc:
                if "password" in str(exc).lower():
                    raise ExtractionError("encrypted PDF: a password is needed to open it") from None
                why = str(exc)
            else:
                try:
                    _pdfium_pages(pdf, sink)
                finally:
                    pdf.close()
                return
        _pypdf(path, sink, why=why)


def uses_brotli(path: Path) -> bool:
    """Whether some stream of the file is Brotli-compressed: a stream's dictionary, where its filter
    is named, is never itself compressed, so the name is in the raw bytes (found at memory speed)."""
    with path.open("rb") as fh:
        try:
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                return mm.find(b"/BrotliDecode") != -1
        except ValueError:  # an empty file cannot be mapped (and holds no stream)
            return False


def _pdfium_pages(pdf: Any, sink: Collector) -> None:
    n = min(len(pdf), MAX_PAGES)
    # Only the metadata's title: the first line of a page is as often body text as a title, and a
    # wrong title would go with every passage of the file.
    sink.title(pdf.get_metadata_dict().get("Title") or "")
    sink.outline(_pdfium_outline(pdf))
    bad = 0
    for i in range(n):
        try:
            page = pdf[i]
            textpage = page.get_textpage()
            raw = textpage.get_text_bounded()
            textpage.close()
            if len(raw.split()) < SCAN_MAX_WORDS and has_image(page):
                # A scanned page: OCR now, an earlier OCR of these bytes, or noted for the OCR pass.
                sink.scanned(i + 1, functools.partial(render_for_ocr, page))
                raw = None
            page.close()
        except Exception:  # noqa: BLE001 - one broken page must not cost the others
            bad += 1
            raw = ""
        if raw is not None:
            sink.page(i + 1, raw.translate(_SOFT_HYPHENS).replace("\r\n", "\n").replace("\r", "\n"))
        sink.progress(i + 1, n)
    _check_pages(n, bad)


def has_image(page: Any) -> bool:
    """Whether a PDFium page holds an image (within forms, 3 deep): with few words, a scan for OCR."""
    import pypdfium2.raw as pdfium_c

    return next(iter(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3)), None) is not None


def render_for_ocr(page: Any) -> Image:
    """A page as a grayscale image for OCR: at OCR_DPI, or fewer pixels for a huge page (a poster)."""
    width, height = page.get_size()  # points, 1/72 inch
    scale = min(OCR_DPI / 72, (OCR_MAX_PIXELS / max(1.0, width * height)) ** 0.5)
    return page.render(scale=scale, grayscale=True).to_pil()


def _pdfium_outline(pdf: Any) -> list[OutlineEntry]:
    entries = []
    try:
        for bm in pdf.get_toc(max_depth=8):
            dest = bm.get_dest()
            entries.append(OutlineEntry(bm.level + 1, bm.get_title() or "", dest.get_index() if dest else None))
    except Exception:  # noqa: BLE001 - a broken outline costs the headings, not the text
        return []
    return entries


def _check_pages(n: int, bad: int) -> None:
    if n and bad == n:
        raise ExtractionError("damaged PDF: no page could be read")


def _pypdf(path: Path, sink: Collector, why: str | None = None) -> None:
    """pypdf, page by page: for files PDFium cannot open (and builds without it)."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except DependencyError:
                raise ExtractionError("encrypted PDF (needs the 'cryptography' package)") from None
            if not ok:
                raise ExtractionError("encrypted PDF: a password is needed to open it")
        pages = reader.pages
        n = min(len(pages), MAX_PAGES)
    except ExtractionError:
        raise
    except FileNotDecryptedError:
        raise ExtractionError("encrypted PDF: a password is needed to open it") from None
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        AssertionError,
    ) as exc:
        detail = f"{type(exc).__name__}: {_short(exc)}"
        raise ExtractionError(f"damaged PDF ({detail})" + (f"; PDFium: {why}" if why else "")) from None
    try:
        sink.title(str((reader.metadata or {}).get("/Title") or ""))
    except Exception:  # noqa: BLE001 - damaged metadata costs the title only
        pass
    bad = 0
    for i in range(n):
        try:
            raw = pages[i].extract_text() or ""
        except Exception:  # noqa: BLE001 - one broken page must not cost the others
            bad += 1
            raw = ""
        sink.page(i + 1, raw)
        sink.progress(i + 1, n)
    _check_pages(n, bad)


def _short(exc: BaseException) -> str:
    msg = str(exc).splitlines()[0] if str(exc) else ""
    return msg[:120]

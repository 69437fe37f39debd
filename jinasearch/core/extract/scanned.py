"""Pages without a text layer (scans, photos of text): read by OCR, taken from an earlier OCR, or noted.

A first reading of a file only notes such pages (Extracted.ocr_waiting): OCR takes seconds a page,
and the text layers of every other file must be searchable first. The OCR pass (indexing/ocr.py)
reads the file again with an order to run OCR; what OCR read is kept by content hash, so a later
reading of the same bytes (a newer reader, a re-cut) takes it from there instead of running it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..models import OcrOrder

if TYPE_CHECKING:
    from PIL.Image import Image

    from .parts import Collector

# One page's OCR deadline. Below the extraction worker's idle limit (limits.py, idle_s): Tesseract runs
# in its own process, so a worker waiting for it uses no CPU and would otherwise be ended first.
OCR_PAGE_TIMEOUT_S = 60.0
# A page is a scan when its text layer has fewer words than this (a stamped page number on a
# scanned page is not its text) and it holds an image.
SCAN_MAX_WORDS = 5


def ordered(order: OcrOrder | None, digest: str | None) -> OcrOrder | None:
    """The order for a reading of bytes hashing to `digest`: an earlier OCR's text only for the same bytes."""
    if order is None or not order.known or order.digest == digest:
        return order
    return replace(order, digest=digest, known=())


def read_scanned(sink: Collector, number: int, render: Callable[[], Image]) -> str | None:
    """The text of a page without a text layer, or None (waiting for the OCR pass, or nothing read)."""
    order = sink.ocr
    if order is not None and order.known:
        for page, text in order.known:
            if page == number:
                # Counted as read (ocr_read), "" too: OCR found nothing there before (or gave up), and a
                # file whose pages all came to nothing is indexed empty, as at its OCR, not failed.
                sink.ocr_read.append((number, text))
                return text or None
    if order is None or not order.run:
        sink.ocr_waiting.append(number)
        return None
    from . import ocr

    try:
        # A page's OCR past its deadline is cut off and the page left out; the others are kept.
        text = ocr.read_image(render(), ocr.engine(), OCR_PAGE_TIMEOUT_S)
    except (ocr.OcrUnavailableError, ocr.OcrCrashedError, MemoryError):
        # Not recorded, so the page waits and the next run's OCR pass reads it again: these say nothing
        # about the page. An engine that vanished (the pass runs only with one), Tesseract killed by a
        # signal (the out-of-memory killer while the machine was full) or memory short here are this
        # machine's state now. A crash the page itself causes costs one read a run, ~3 s, and no more:
        # the pass reads each waiting file once a run (indexing/ocr.py).
        sink.ocr_waiting.append(number)
        return None
    except ocr.OcrTimeoutError as exc:
        # Left out until the file changes: at ~3 s a page (docs/benchmarks.md, "OCR") the deadline is
        # 20 times a page's time, so a page past it hangs Tesseract rather than waits for a busy machine,
        # and trying it again would cost every later run that minute for nothing.
        sink.ocr_read.append((number, ""))
        sink.ocr_stopped.append(number)
        pages = ", ".join(str(n) for n in sink.ocr_stopped)
        sink.note(f"OCR stopped after {exc.seconds:g} s a page on page {pages}; left out until the file changes")
        return None
    except Exception:  # noqa: BLE001 - a page that cannot be drawn or read costs that page only
        # Recorded as read, empty, and not tried again until the file changes: what is left is an answer
        # about these bytes (PDFium cannot draw the page, Tesseract refuses the image and says why), which
        # a retry would only repeat. A page OCR read and found no text in is recorded the same way, below.
        sink.ocr_read.append((number, ""))
        return None
    sink.ocr_read.append((number, text))
    return text or None

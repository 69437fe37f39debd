"""Image files (scans, photos of pages, screenshots): each page's text by OCR (ocr/), through the sink's
`scanned`, so that OCR runs in the OCR pass, after every file's text layer is searchable (scanned.py).

A multi-page TIFF (a fax, a scanner's batch) is several pages; every other format is its first frame
only (an animated WebP's or PNG's frames are not pages). Every check that can refuse a file runs before
OCR, even on a first reading that only notes the pages: a damaged or oversized image is reported at
once, not when the OCR pass comes to it.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..errors import ExtractionError
from .base import NO_TEXT, check_size
from .parts import Collector
from .pdf import MAX_PAGES

if TYPE_CHECKING:
    from PIL.Image import Image

# HEIC/HEIF (phone photos) only where the optional pillow-heif package is installed: Pillow has no
# decoder of its own for them.
HEIF = importlib.util.find_spec("pillow_heif") is not None
_HEIF_SUFFIXES = (".heic", ".heif")
# Narrower images are icons, bullets and buttons (a saved web page holds dozens): one line of text at
# the smallest size OCR reads (~10 px letters) needs more.
MIN_SIDE_PX = 24


class ImageExtractor:
    suffixes = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp") + (_HEIF_SUFFIXES if HEIF else ())
    paged = True
    # Never given: every frame is read by OCR, noted for it, or too small to hold text, and an image OCR
    # found nothing in is indexed empty (extract_into), not failed.
    no_text = NO_TEXT
    unit = "page"

    def extract(self, path: Path, sink: Collector) -> None:
        check_size(path)
        if HEIF and path.suffix.lower() in _HEIF_SUFFIXES:
            import pillow_heif

            pillow_heif.register_heif_opener()
        with path.open("rb") as fh:  # opened here: a missing or forbidden file is reported as such
            image = _open(fh)
            with image:
                n = min(getattr(image, "n_frames", 1), MAX_PAGES) if image.format == "TIFF" else 1
                for i in range(n):
                    frame = _frame(image, i)
                    if min(frame.size) < MIN_SIDE_PX:
                        sink.ocr_read.append((i + 1, ""))  # an icon, a bullet: nothing for OCR, ever
                    else:
                        sink.scanned(i + 1, lambda frame=frame: frame, flowing=True)
                    sink.progress(i + 1, n)


def _open(fh: IO[bytes]) -> Image:
    """The image with its header read; an unknown format or a decompression bomb is an ExtractionError."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Past MAX_IMAGE_PIXELS we refuse ourselves (_check_pixels); PIL only warns up to twice that.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(fh)
    except UnidentifiedImageError:
        raise ExtractionError("not a readable image (unknown format, or damaged)") from None
    except Image.DecompressionBombError:
        raise ExtractionError(_too_many_pixels()) from None
    except (SyntaxError, ValueError, EOFError, OSError) as exc:
        raise ExtractionError(f"damaged image ({_short(exc)})") from None
    _check_pixels(image.size)
    return image


def _frame(image: Image, index: int) -> Image:
    """Frame `index` decoded in full, so that a truncated or damaged image fails here with its reason
    (OCR would only see a page it cannot draw)."""
    try:
        image.seek(index)
        _check_pixels(image.size)  # each frame of a TIFF has its own size
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PIL's warnings on odd TIFF tags and EXIF: the text is what counts
            image.load()
            return image.copy()
    except ExtractionError:
        raise
    except MemoryError:
        raise ExtractionError("image too large to decode in memory", limited=True) from None
    except (SyntaxError, ValueError, EOFError, OSError) as exc:
        where = f" at page {index + 1}" if index else ""
        raise ExtractionError(f"damaged image{where} ({_short(exc)})") from None


def _check_pixels(size: tuple[int, int]) -> None:
    from PIL import Image

    limit = Image.MAX_IMAGE_PIXELS
    if limit and size[0] * size[1] > limit:
        raise ExtractionError(_too_many_pixels(size))


def _too_many_pixels(size: tuple[int, int] | None = None) -> str:
    """A decompression bomb, or a real but huge image: both would need gigabytes decoded."""
    from PIL import Image

    limit = f"{Image.MAX_IMAGE_PIXELS or 0:,}"
    if size is None:
        return f"image too large to read (over twice the limit of {limit} pixels)"
    return f"image too large to read ({size[0]:,} x {size[1]:,} pixels; the limit is {limit})"


def _short(exc: BaseException) -> str:
    msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return msg[:120]

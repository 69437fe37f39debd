"""An image file's page (a TIFF's frame; any other image is one page) drawn for the page view, upright
as a person sees it (EXIF's turn applied, as OCR reads it: ocr/prepare.py). Its words come from OCR only
(page_ocr.py): an image has no text layer. Its unit is the image's own pixel: scale 1 shows it at 100 %.
A frame is decoded once (decode) and drawn at each zoom from that (draw): pages.py keeps it in the cache.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from .extract.image import HEIF
from .page_cache import DecodedImage
from .pagemarks import Layout
from .pages import MAX_SCALE, Drawn, PageDamagedError, PageImage, PageMissingError, budget_scale

if TYPE_CHECKING:
    from PIL.Image import Image


def decode(real: str, page: int) -> DecodedImage:
    """Frame `page` (1-based) of the image at `real` (a file system path) as the page view draws it:
    upright, transparency over white (as OCR reads it: a transparent screenshot's text is dark on
    nothing), RGB, or L for a grey scan (a third of the bytes); past MAX_PIXELS a copy of that size,
    the most a page is drawn with (a 200 MP photo would keep 600 MB)."""
    from PIL import Image

    upright, pages = _upright(real, page)
    width, height = upright.width, upright.height
    if upright.mode in ("1", "L"):
        flat = upright.convert("L")
    elif upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
        rgba = upright.convert("RGBA")
        flat = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
    else:
        flat = upright.convert("RGB")
    most = budget_scale(MAX_SCALE, width, height)
    if most < 1:
        size = (max(1, round(width * most)), max(1, round(height * most)))
        flat = flat.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return DecodedImage(flat, pages, width, height)


def draw(frame: DecodedImage, scale: float) -> Drawn:
    """The decoded `frame` (decode) drawn at `scale` screen pixels a pixel of the image."""
    from PIL import Image

    scale = budget_scale(scale, frame.width, frame.height)
    size = (max(1, round(frame.width * scale)), max(1, round(frame.height * scale)))
    shown = frame.image
    if size != shown.size:
        # RGB or L resized, then RGBA: a third less work than resizing RGBA, the same pixels (all opaque).
        shown = shown.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    rgba = shown.convert("RGBA")
    image = PageImage(rgba.width, rgba.height, rgba.width * 4, rgba.tobytes())
    empty = Layout((), (), (0.0, 0.0, float(frame.width), float(frame.height)))
    return Drawn(frame.pages, scale, image, empty, scanned=True)


def ocr_image(real: str, page: int) -> tuple[Image, tuple[float, float], float]:
    """The page as OCR reads it (the frame, upright), its size in its own pixels, and one pixel a unit."""
    upright, _pages = _upright(real, page)
    return upright, (float(upright.width), float(upright.height)), 1.0


def _upright(real: str, page: int) -> tuple[Image, int]:
    """Frame `page` decoded and turned upright, and how many pages the file has; PageErrors for the rest."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if HEIF and real.lower().endswith((".heic", ".heif")):
        import pillow_heif

        pillow_heif.register_heif_opener()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # odd TIFF tags, EXIF, a big image under the bomb limit
            with Image.open(real) as img:
                pages = getattr(img, "n_frames", 1) if img.format == "TIFF" else 1
                if not 1 <= page <= pages:
                    raise PageMissingError(f"the image has {pages} pages, not a page {page}")
                img.seek(page - 1)
                img.load()
                return ImageOps.exif_transpose(img.copy()), pages
    except (FileNotFoundError, PermissionError) as exc:
        raise PageMissingError(f"cannot open the file: {exc.strerror or exc}") from None
    except UnidentifiedImageError:
        raise PageDamagedError("not a readable image (unknown format, or damaged)") from None
    except Image.DecompressionBombError:
        raise PageDamagedError("the image is too large to show") from None
    except (SyntaxError, ValueError, EOFError, OSError, MemoryError) as exc:
        raise PageDamagedError(f"damaged image ({type(exc).__name__})") from None

"""An image file's page (a TIFF's frame; any other image is one page) drawn for the page view, upright
as a person sees it (EXIF's turn applied, as OCR reads it: ocr/prepare.py). Its words come from OCR only
(page_ocr.py): an image has no text layer. Its unit is the image's own pixel: scale 1 shows it at 100 %.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from .extract.image import HEIF
from .pagemarks import Layout
from .pages import Drawn, PageDamagedError, PageImage, PageMissingError, budget_scale

if TYPE_CHECKING:
    from PIL.Image import Image


def draw(real: str, page: int, scale: float) -> Drawn:
    """Page `page` (1-based) of the image at `real` (a file system path), `scale` screen pixels a pixel."""
    from PIL import Image

    upright, pages = _upright(real, page)
    scale = budget_scale(scale, upright.width, upright.height)
    size = (max(1, round(upright.width * scale)), max(1, round(upright.height * scale)))
    rgba = upright.convert("RGBA")
    # Transparency over white, as OCR read it: a transparent screenshot's text is dark on nothing.
    rgba = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    if size != rgba.size:
        rgba = rgba.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    image = PageImage(rgba.width, rgba.height, rgba.width * 4, rgba.tobytes())
    empty = Layout((), (), (0.0, 0.0, float(upright.width), float(upright.height)))
    return Drawn(pages, scale, image, empty, scanned=True)


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

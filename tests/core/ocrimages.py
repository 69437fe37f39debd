"""Images of text for the OCR tests, drawn with a real font: clean pages, and simulated photographs
(turned a few degrees, uneven light, blur, sensor noise). Skips clearly where the font or Tesseract is absent."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from jinasearch.core.extract.ocr.tesseract import find_binary

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

needs_tesseract = pytest.mark.skipif(
    find_binary() is None,
    reason="Tesseract is not installed (Debian: apt install tesseract-ocr tesseract-ocr-eng; CI installs it)",
)


def font(size: int) -> ImageFont.FreeTypeFont:
    if not FONT.is_file():
        pytest.skip(f"no TrueType font at {FONT} (Debian: apt install fonts-dejavu-core)")
    return ImageFont.truetype(str(FONT), size)


def page(word: str, size: int = 40, width: int = 1400) -> Image.Image:
    """A white page with two lines of black text, `word` in the first."""
    img = Image.new("RGB", (width, 8 * size), "white")
    draw = ImageDraw.Draw(img)
    draw.text((size, 2 * size), f"Please find the {word} in this sentence.", font=font(size), fill="black")
    draw.text((size, 4 * size), "A second line keeps the page from being a single word.", font=font(size), fill="black")
    return img


def photo(word: str) -> Image.Image:
    """`page(word)` as a phone might see it: turned 3 degrees, lit from one side, soft, grainy."""
    img = page(word, size=48).convert("L").rotate(3, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=235)
    light = Image.linear_gradient("L").rotate(90).resize(img.size)  # dark on the left, bright on the right
    img = Image.blend(img, Image.eval(light, lambda v: 90 + v * 0.6), 0.35)
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    return Image.blend(img, Image.effect_noise(img.size, 60), 0.2)

"""Scanned documents the tests make: text drawn into images, wrapped in a PDF as a scanner would."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pytest

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def page_image(lines: Sequence[str], size: tuple[int, int] = (1700, 2200)):  # type: ignore[no-untyped-def]
    """A white page (Letter at 200 dpi) with `lines` of black text: what a flatbed scanner gives."""
    from PIL import Image, ImageDraw, ImageFont

    if not FONT.exists():
        pytest.skip(f"no TrueType font at {FONT} to draw a scanned page with (Debian: fonts-dejavu-core)")
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 44)
    for i, line in enumerate(lines):
        draw.text((150, 200 + i * 80), line, fill=0, font=font)
    return img


def write_scanned_pdf(path: Path, pages: Sequence[Sequence[str]], text_pages: Sequence[str] = ()) -> Path:
    """A PDF of image-only pages (no text layer), after `text_pages` ordinary pages with a text layer."""
    from pypdf import PdfReader, PdfWriter

    from tests.core.docgen import pdf_bytes

    images = [page_image(lines) for lines in pages]
    scan = io.BytesIO()
    images[0].save(scan, "PDF", resolution=200, save_all=True, append_images=images[1:])
    writer = PdfWriter()
    if text_pages:
        for page in PdfReader(io.BytesIO(pdf_bytes(list(text_pages)))).pages:
            writer.add_page(page)
    for page in PdfReader(io.BytesIO(scan.getvalue())).pages:
        writer.add_page(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def need_tesseract() -> None:
    from jinasearch.core.extract import ocr

    if not ocr.available():
        pytest.skip("Tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-eng)")

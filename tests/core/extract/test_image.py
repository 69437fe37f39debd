"""Image files: each format's word read by OCR (PNG, JPEG, WebP, a 2-page TIFF, a simulated photo); a
first reading only notes the pages; damaged, truncated and oversized images fail with a reason; an image
without text says so; a page whose OCR hangs is cut off and the other pages kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import REGISTRY, extract, extract_into, ocr, scanned
from jinasearch.core.extract.image import HEIF, ImageExtractor
from jinasearch.core.extract.ocr import OcrEngine
from jinasearch.core.extract.ocr.tesseract import TesseractEngine
from jinasearch.core.extract.parts import Collector
from jinasearch.core.models import OcrOrder
from tests.core.ocrimages import needs_tesseract, page, photo

RUN = OcrOrder(run=True)


@pytest.fixture(autouse=True)
def images_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The image extractor in the registry, as the app registers it."""
    for suffix in ImageExtractor.suffixes:
        monkeypatch.setitem(REGISTRY, suffix, ImageExtractor())


def _tiff(path: Path, *words: str) -> Path:
    frames = [page(w) for w in words]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    return path


@needs_tesseract
@pytest.mark.parametrize(("name", "word"), [("a.png", "pelican"), ("b.jpg", "marmalade"), ("c.webp", "avalanche")])
def test_each_format_is_read(tmp_path: Path, name: str, word: str) -> None:
    path = tmp_path / name
    page(word).save(path)
    ex = extract(path, RUN)
    assert word in ex.text.lower()
    assert [p.number for p in ex.pages] == [1]


@needs_tesseract
def test_a_two_page_tiff_is_two_pages(tmp_path: Path) -> None:
    path = _tiff(tmp_path / "fax.tiff", "pelican", "xylophone")
    parts, progress = [], []
    sink = Collector(parts.append, progress=lambda done, total: progress.append((done, total)), ocr=RUN)
    extract_into(path, sink)
    texts = [p.text.lower() for p in parts]
    assert "pelican" in texts[0] and "xylophone" in texts[1]
    assert [pg.number for p in parts for pg in p.pages] == [1, 2]
    assert progress == [(1, 2), (2, 2)]


@needs_tesseract
def test_a_simulated_photo_is_read(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    photo("harmonica").save(path, quality=85)
    assert "harmonica" in extract(path, RUN).text.lower()


def test_a_first_reading_only_notes_the_pages(tmp_path: Path) -> None:
    """OCR waits for the OCR pass (scanned.py): the first reading finds the pages and reads none."""
    ex = extract(_tiff(tmp_path / "fax.tif", "one", "two"))
    assert ex.text == "" and ex.ocr_waiting == (1, 2)


def test_a_file_that_is_not_an_image_fails_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "fake.png"
    path.write_bytes(b"this is no image at all" * 10)
    with pytest.raises(ExtractionError, match="not a readable image"):
        extract(path)


def test_a_truncated_image_fails_at_once(tmp_path: Path) -> None:
    """Damage is found on the first reading, not left for the OCR pass to meet."""
    buf = io.BytesIO()
    page("cut").save(buf, format="PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(ExtractionError, match="damaged image"):
        extract(path)


def test_a_decompression_bomb_is_refused_before_decoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.png"
    Image.new("L", (400, 300), 255).save(path)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 70_000)  # 120,000 pixels: past it, under twice it
    with pytest.raises(ExtractionError, match=r"too large to read \(400 x 300 pixels"):
        extract(path)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)  # past twice the limit: Pillow refuses it itself
    with pytest.raises(ExtractionError, match="over twice the limit of 10,000 pixels"):
        extract(path)


@needs_tesseract
def test_an_image_without_text_is_no_broken_file(tmp_path: Path) -> None:
    """A photo without writing: read by OCR once, indexed with nothing to find, never read again."""
    path = tmp_path / "blank.png"
    Image.new("RGB", (1200, 900), "white").save(path)
    doc = extract(path, RUN)
    assert doc.text == "" and doc.ocr_waiting == () and doc.ocr_read == ((1, ""),)


def test_an_image_without_text_read_again_takes_the_earlier_ocr_and_is_no_broken_file(tmp_path: Path) -> None:
    """A newer reader reads the same bytes again with what OCR found before (nothing): indexed empty, as
    at its OCR, not failed as an image with no text."""
    path = tmp_path / "blank.png"
    Image.new("RGB", (1200, 900), "white").save(path)
    doc = extract(path, OcrOrder(run=False, digest="same bytes", known=((1, ""),)))
    assert doc.text == "" and doc.ocr_waiting == () and doc.ocr_read == ((1, ""),)


def test_an_icon_is_not_read_by_ocr(tmp_path: Path) -> None:
    path = tmp_path / "bullet.png"
    Image.new("RGB", (16, 16), "black").save(path)
    doc = extract(path)  # a first reading: an icon does not even wait for the OCR pass
    assert doc.text == "" and doc.ocr_waiting == () and doc.ocr_read == ((1, ""),)


class _HangsOnFirst:
    """Tesseract, except that the first page goes to a stand-in that never answers. The others get a
    deadline of their own: the test's tiny one is for the stand-in, not for a busy machine's real OCR."""

    name = "tesseract"

    def __init__(self, hanging: OcrEngine, real: OcrEngine) -> None:
        self.hanging, self.real, self.calls = hanging, real, 0

    def read(self, image: Image.Image, timeout_s: float) -> str:
        self.calls += 1
        return self.hanging.read(image, timeout_s) if self.calls == 1 else self.real.read(image, 120)


@needs_tesseract
@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="the stand-in tesseract is a shell script")
def test_a_page_whose_ocr_hangs_is_cut_off_and_the_others_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "tesseract"
    fake.write_text('#!/bin/sh\nif [ "$1" = --list-langs ]; then echo eng; exit 0; fi\nexec sleep 60\n')
    fake.chmod(0o755)
    monkeypatch.setattr(scanned, "OCR_PAGE_TIMEOUT_S", 0.5)
    monkeypatch.setitem(ocr._ENGINES, "tesseract", _HangsOnFirst(TesseractEngine(fake), ocr.engine()))
    ex = extract(_tiff(tmp_path / "two.tiff", "stuck", "xylophone"), RUN)
    assert "xylophone" in ex.text.lower() and "stuck" not in ex.text.lower()
    assert [p.number for p in ex.pages] == [2]
    assert ex.partial is not None and "page 1" in ex.partial


def test_heic_only_with_pillow_heif() -> None:
    assert (".heic" in ImageExtractor.suffixes) == HEIF


@needs_tesseract
@pytest.mark.skipif(not HEIF, reason="HEIC needs the optional pillow-heif package (pip install pillow-heif)")
def test_a_heic_photo_is_read(tmp_path: Path) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    path = tmp_path / "phone.heic"
    page("lantern").save(path)
    assert "lantern" in extract(path, RUN).text.lower()

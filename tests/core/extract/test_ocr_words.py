"""OCR's words with their places: Tesseract's TSV parsed; boxes found in the prepared (enlarged, deskewed)
image taken back to the image as it was given; a Tesseract killed by a signal is a crash, not an answer."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import ocr
from jinasearch.core.extract.ocr import OcrCrashedError
from jinasearch.core.extract.ocr import tesseract as tess
from jinasearch.core.extract.ocr.prepare import Prepared, Steps, _turn, prepared
from jinasearch.core.extract.ocr.words import parse_tsv
from tests.core.ocrimages import font, needs_tesseract

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in tesseract is a shell script")

TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t1700\t2200\t-1\t\n"
    "4\t1\t1\t1\t1\t0\t150\t208\t993\t42\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t150\t209\t208\t32\t95.676697\tTomatoes\n"
    "5\t1\t1\t1\t1\t2\t378\t208\t102\t33\t95.373009\tneed\n"
    "5\t1\t1\t1\t1\t3\t499\t208\t63\t33\t94.6\t \n"
    "5\t1\t1\t1\t2\t1\t154\t289\t121\t32\t96.6\tPrune\n"
    "5\t1\t1\t1\t2\t2\t154\t289\t121\t32\n"
)


def test_tsv_words_are_level_5_rows_with_text() -> None:
    words = parse_tsv(TSV)
    assert [w.text for w in words] == ["Tomatoes", "need", "Prune"]
    first = words[0]
    assert (first.left, first.top, first.right, first.bottom) == (150, 209, 358, 241)
    assert first.conf == pytest.approx(95.68, abs=0.01) and first.line == (1, 1, 1, 1)
    assert words[2].line == (1, 1, 1, 2)


def _dot_page(size: tuple[int, int], at: tuple[int, int]) -> Image.Image:
    img = Image.new("L", size, 255)
    ImageDraw.Draw(img).rectangle((at[0] - 3, at[1] - 3, at[0] + 3, at[1] + 3), fill=0)
    return img


def _dark_centre(img: Image.Image) -> tuple[float, float]:
    import numpy as np

    ys, xs = np.nonzero(np.asarray(img) < 128)
    return float(xs.mean()), float(ys.mean())


@pytest.mark.parametrize("size", [(700, 500), (1600, 1200), (5000, 3000)], ids=["enlarged", "as-is", "shrunk"])
def test_a_point_of_the_prepared_image_maps_back_to_the_source(size: tuple[int, int]) -> None:
    at = (size[0] // 3, size[1] // 4)
    ready = prepared(_dot_page(size, at), Steps(deskew=False))
    assert ready.to_source(*_dark_centre(ready.image)) == pytest.approx(at, abs=1.5)


@pytest.mark.parametrize("angle", [-4.0, 2.5])
def test_a_turned_image_maps_back_through_its_turn(angle: float) -> None:
    at = (1300, 150)
    turned = _turn(_dot_page((1600, 1200), at), angle)  # as deskew turns it: PIL's rotate, expanded
    ready = Prepared(turned, (1.0, 1.0), angle, (1600, 1200))
    assert ready.to_source(*_dark_centre(turned)) == pytest.approx(at, abs=1.5)


def _ink_box(img: Image.Image) -> tuple[int, int, int, int]:
    box = Image.eval(img, lambda v: 255 - v).getbbox()
    assert box is not None
    return box


@needs_tesseract
def test_a_crooked_pages_word_is_boxed_where_it_stands() -> None:
    # A page photographed 3 degrees off: OCR reads it deskewed, and the boxes come back onto the crooked page.
    f = font(40)
    page = Image.new("L", (1500, 700), 255)
    alone = Image.new("L", page.size, 255)  # the same word at the same place, nothing else: where its ink is
    prefix = "Please find the "
    for i, line in enumerate(["A first line of the page stands above it.", prefix + "xylophone in this line."]):
        ImageDraw.Draw(page).text((80, 150 + 90 * i), line, font=f, fill=0)
    ImageDraw.Draw(alone).text((80 + f.getlength(prefix), 240), "xylophone", font=f, fill=0)
    crooked = [img.rotate(3, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255) for img in (page, alone)]
    assert prepared(crooked[0]).angle == pytest.approx(-3, abs=0.5)  # OCR reads it turned level
    words = ocr.read_words(crooked[0], 60)
    (word,) = [w for w in words if w.text == "xylophone"]
    x0, y0, x1, y1 = _ink_box(crooked[1])
    # The box around the word's turned box: it holds the ink, and is taller by the turn (~width x sin 3°).
    assert word.left <= x0 + 3 and word.top <= y0 + 3 and word.right >= x1 - 3 and word.bottom >= y1 - 3
    assert word.left >= x0 - 12 and word.right <= x1 + 12 and word.bottom - word.top <= (y1 - y0) + 30


def _fake(tmp_path: Path, body: str) -> tess.TesseractEngine:
    script = tmp_path / "tesseract"
    script.write_text(f'#!/bin/sh\nif [ "$1" = --list-langs ]; then echo eng; exit 0; fi\n{body}\n')
    script.chmod(0o755)
    return tess.TesseractEngine(script)


@posix_only
def test_tesseract_killed_by_a_signal_is_a_crash(tmp_path: Path) -> None:
    engine = _fake(tmp_path, "kill -KILL $$")
    with pytest.raises(OcrCrashedError) as caught:
        engine.read(Image.new("L", (64, 64), 255), 10)
    assert caught.value.code == -9 and caught.value.limited
    with pytest.raises(OcrCrashedError):
        engine.read_words(Image.new("L", (64, 64), 255), 10)
    again = pickle.loads(pickle.dumps(caught.value))  # it crosses the extraction worker's pipe
    assert type(again) is OcrCrashedError and again.code == -9


@posix_only
def test_tesseract_refusing_an_image_is_no_crash(tmp_path: Path) -> None:
    engine = _fake(tmp_path, "echo 'Error in pixReadMem' >&2; exit 1")
    with pytest.raises(ExtractionError) as caught:
        engine.read_words(Image.new("L", (64, 64), 255), 10)
    assert not isinstance(caught.value, OcrCrashedError)

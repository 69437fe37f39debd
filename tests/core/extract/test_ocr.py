"""OCR engines: Tesseract reads drawn pages and a simulated photo; preparation (EXIF, transparency, small
text, skew); a missing engine says what to install; a hung Tesseract is killed at its deadline."""

from __future__ import annotations

import io
import pickle
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import ocr
from jinasearch.core.extract.ocr import OcrTimeoutError, OcrUnavailableError, install_hint, prepare, read_image
from jinasearch.core.extract.ocr import tesseract as tess
from jinasearch.core.extract.ocr.prepare import UPSCALE_BELOW_PX, Steps, skew_angle
from tests.core.ocrimages import needs_tesseract, page, photo

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in tesseract is a shell script")


def _fake_tesseract(tmp_path: Path, body: str) -> Path:
    """A stand-in `tesseract` that knows English and then runs `body` for a read."""
    script = tmp_path / "tesseract"
    script.write_text(
        f'#!/bin/sh\nif [ "$1" = --list-langs ]; then echo "List of languages:"; echo eng; exit 0; fi\n{body}\n'
    )
    script.chmod(0o755)
    return script


@needs_tesseract
def test_tesseract_reads_a_drawn_page() -> None:
    assert "pelican" in read_image(page("pelican"), ocr.engine(), 60).lower()


@needs_tesseract
def test_tesseract_reads_a_simulated_photo() -> None:
    """Turned 3 degrees, lit from one side, blurred and grainy: deskew is what keeps the line whole."""
    assert "harmonica" in read_image(photo("harmonica"), ocr.engine(), 60).lower()


@needs_tesseract
def test_a_photo_stored_sideways_is_read_upright() -> None:
    """Phones store the sensor's pixels and an EXIF orientation tag; prepare turns the page upright."""
    sideways = page("lighthouse").rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90 degrees clockwise to view (the pixels were turned counter-clockwise)
    upright = prepare(_with_exif(sideways, exif))
    assert upright.width > upright.height
    assert "lighthouse" in read_image(_with_exif(sideways, exif), ocr.engine(), 60).lower()


def _with_exif(img: Image.Image, exif: Image.Exif) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif.tobytes(), quality=95)
    return Image.open(io.BytesIO(buf.getvalue()))


def test_transparent_background_becomes_white() -> None:
    img = Image.new("RGBA", (1200, 1200), (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle((100, 100, 200, 200), fill=(0, 0, 0, 255))
    out = prepare(img, Steps(deskew=False))
    assert out.mode == "L"
    assert out.getpixel((10, 10)) == 255 and out.getpixel((150, 150)) == 0


def test_small_images_are_enlarged_and_large_ones_left_alone() -> None:
    small = Image.new("L", (600, UPSCALE_BELOW_PX // 2), 255)
    assert prepare(small, Steps(deskew=False)).size == (1200, UPSCALE_BELOW_PX)
    assert prepare(Image.new("L", (2000, 1500), 255), Steps(deskew=False)).size == (2000, 1500)
    assert max(prepare(Image.new("L", (8000, 6000), 255), Steps(deskew=False)).size) == 4000


def test_skew_is_measured() -> None:
    turned = page("level").convert("L").rotate(3, expand=True, fillcolor=255)
    assert skew_angle(turned) == pytest.approx(-3.0, abs=0.5)
    assert skew_angle(page("level").convert("L")) == pytest.approx(0.0, abs=0.3)


def test_missing_tesseract_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tess, "find_binary", lambda: None)
    monkeypatch.setattr(ocr, "_ENGINES", {})
    with pytest.raises(OcrUnavailableError) as caught:
        ocr.engine()
    assert isinstance(caught.value, ExtractionError) and caught.value.limited  # read again once installed
    assert "tesseract" in caught.value.fix.lower()
    assert not ocr.available() and ocr.what_to_install() == caught.value.fix


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(OcrUnavailableError):
        ocr.engine("no-such-engine")


def test_install_hints_per_system() -> None:
    assert "winget" in install_hint("win32")
    assert "brew" in install_hint("darwin")
    assert "apt install tesseract-ocr tesseract-ocr-eng" in install_hint("linux")


def test_errors_keep_their_fields_across_a_pipe() -> None:
    gone = pickle.loads(pickle.dumps(OcrUnavailableError("the tesseract program is not installed", "apt it")))
    assert (gone.problem, gone.fix, gone.limited) == ("the tesseract program is not installed", "apt it", True)
    late = pickle.loads(pickle.dumps(OcrTimeoutError(2.5)))
    assert late.seconds == 2.5 and late.limited


@posix_only
def test_a_hung_tesseract_is_killed_at_its_deadline(tmp_path: Path) -> None:
    engine = tess.TesseractEngine(_fake_tesseract(tmp_path, "exec sleep 60"))
    with pytest.raises(OcrTimeoutError) as caught:
        engine.read(page("slow").convert("L"), 0.5)
    assert caught.value.seconds == 0.5


@posix_only
def test_a_failing_tesseract_is_an_extraction_error(tmp_path: Path) -> None:
    engine = tess.TesseractEngine(_fake_tesseract(tmp_path, "echo 'Error in pixReadMem' >&2; exit 1"))
    with pytest.raises(ExtractionError, match="pixReadMem") as caught:
        engine.read(page("broken").convert("L"), 10)
    assert not isinstance(caught.value, OcrTimeoutError)


@posix_only
def test_tesseract_without_english_is_unavailable(tmp_path: Path) -> None:
    script = tmp_path / "tesseract"
    script.write_text("#!/bin/sh\necho 'List of languages:'; echo osd\n")
    script.chmod(0o755)
    with pytest.raises(OcrUnavailableError, match="'eng'"):
        tess.TesseractEngine(script)

"""OCR: reading text from images (scans, photos of pages, screenshots), behind the OcrEngine protocol.

Tesseract is the default engine (docs/benchmarks.md, "OCR"): on 24 degraded scans of real manuals it
misread 1.8 % of words at ~3 s a page on this 2-core CPU, where EasyOCR took over 200 s a page; it
installs in ~22 MB of Debian packages against ~6 GB for EasyOCR with the torch build its torchvision
needs. EasyOCR is used only when asked for by name and its package imports (easy.py).
"""

from __future__ import annotations

from typing import Protocol

from PIL import Image

from .errors import OcrCrashedError, OcrTimeoutError, OcrUnavailableError, install_hint
from .prepare import Steps, prepare, prepared
from .words import OcrWord


class OcrEngine(Protocol):
    """Something that reads the text of one image, within a deadline (OcrTimeoutError past it)."""

    name: str

    def read(self, image: Image.Image, timeout_s: float) -> str: ...


_ENGINES: dict[str, OcrEngine] = {}


def engine(name: str | None = None) -> OcrEngine:
    """The named engine ("tesseract", "easyocr"), or the default one (Tesseract); built once per process.
    Raises OcrUnavailableError, whose message says what to install, when it cannot run here."""
    key = name or "tesseract"
    if key not in _ENGINES:
        if key == "tesseract":
            from .tesseract import TesseractEngine

            _ENGINES[key] = TesseractEngine()
        elif key == "easyocr":
            from .easy import EasyOcrEngine

            _ENGINES[key] = EasyOcrEngine()
        else:
            raise OcrUnavailableError(f"unknown OCR engine '{key}'", "choose tesseract or easyocr")
    return _ENGINES[key]


def what_to_install(name: str | None = None) -> str | None:
    """What to install for `engine(name)` to run on this machine (OcrUnavailableError.fix); None where it runs."""
    try:
        engine(name)
    except OcrUnavailableError as exc:
        return exc.fix
    return None


def available(name: str | None = None) -> bool:
    """Whether `engine(name)` would give an engine on this machine."""
    return what_to_install(name) is None


def read_image(image: Image.Image, engine: OcrEngine, timeout_s: float, steps: Steps | None = None) -> str:
    """The text of one image by `engine`, prepared first (prepare.py); OcrTimeoutError past `timeout_s`."""
    return engine.read(prepare(image, steps or Steps()), timeout_s)


def read_words(image: Image.Image, timeout_s: float, steps: Steps | None = None) -> list[OcrWord]:
    """The words of one image with their boxes in its upright pixels (EXIF's turn applied): read by
    Tesseract from the image `read_image` prepares, the boxes taken back through the preparation."""
    from .tesseract import TesseractEngine

    reader = engine("tesseract")
    if not isinstance(reader, TesseractEngine):  # boxes come from Tesseract's TSV output only
        raise OcrUnavailableError("no Tesseract to read the words' places with")
    ready = prepared(image, steps)
    return [word.moved(ready.to_source) for word in reader.read_words(ready.image, timeout_s)]


__all__ = [
    "OcrCrashedError",
    "OcrEngine",
    "Steps",
    "OcrTimeoutError",
    "OcrUnavailableError",
    "OcrWord",
    "available",
    "engine",
    "install_hint",
    "prepare",
    "read_image",
    "read_words",
    "what_to_install",
]

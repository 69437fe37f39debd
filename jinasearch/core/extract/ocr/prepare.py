"""An image made ready for OCR: upright, grayscale on white, small text enlarged, lines made level.

Each step is here because it measurably helps Tesseract (docs/benchmarks.md, "OCR"): deskew took the
word error rate of simulated photos from 17 % to 9.5 % and of skewed scans from 2.2 % to 1.8 %
(benchmarks/ocr.py compares it on and off); doubling 11 px screenshot text read 87 of 87 words
instead of 78.
"""

from __future__ import annotations

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


def prepare(image: Image.Image, steps: Steps | None = None) -> Image.Image:
    """The image as OCR reads it best (every step, unless `steps` says otherwise)."""
    steps = steps or Steps()
    image = ImageOps.exif_transpose(image)  # phone photos are stored sideways with an orientation tag
    gray = _on_white(image).convert("L")
    if steps.upscale and 0 < min(gray.size) < UPSCALE_BELOW_PX:
        gray = gray.resize((gray.width * 2, gray.height * 2), Image.Resampling.LANCZOS)
    elif max(gray.size) > MAX_SIDE_PX:
        gray.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX), Image.Resampling.LANCZOS)
    if steps.deskew:
        gray = deskew(gray)
    return gray


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
    """`gray` turned so its lines are level. The corners it uncovers take the page's own median tone:
    white corners around a grey photographed page make Tesseract's global threshold (Otsu) read the
    whole page as ink, and find no text at all."""
    import numpy as np

    angle = skew_angle(gray)
    if abs(angle) < SKEW_STEP_DEG:
        return gray
    median = int(np.median(np.asarray(gray.resize((64, 64)))))
    return gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=median)

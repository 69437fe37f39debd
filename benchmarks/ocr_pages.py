"""The pages benchmarks/ocr.py reads: real PDF pages drawn at 200 dpi and made to look scanned or
photographed, each with its PDF's own text layer as the truth.

Scans: grayscale, a 0.5-2 degree skew, slight blur, Gaussian noise, JPEG artefacts. Photographs are
SIMULATED (no camera here): the page on a grey desk under a perspective warp, lit unevenly, softer,
grainier, saved as a phone's JPEG. Every random choice is seeded by the page, so reruns read the same images.
"""

from __future__ import annotations

import io
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

DPI = 200
# Real manuals from Debian's documentation packages (docs-dev's build.sh unpacks the first two).
DEFAULT_PDFS = (
    Path("/tmp/docs-dev/manuals/bashref.pdf"),
    Path("/tmp/docs-dev/manuals/gnuplot.pdf"),
    Path("/usr/share/doc/libtasn1-doc/libtasn1.pdf"),
    Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf"),
)
MIN_WORDS = 120  # a page with fewer (a title page, a short end of chapter) says little about OCR


@dataclass(frozen=True)
class BenchPage:
    image: str  # path of the degraded image
    kind: str  # "scan" or "photo"
    source: str  # "bashref.pdf p. 41"
    truth: str  # the PDF's text layer


def pick_pages(pdf: Path, count: int) -> list[int]:
    """`count` page indices spread through the document, each with at least MIN_WORDS words of text."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        n = len(doc)
        candidates = [int(n * (0.1 + 0.85 * k / (4 * count))) for k in range(4 * count)]
        good = [i for i in dict.fromkeys(candidates) if len(_text(doc, i).split()) >= MIN_WORDS]
        return good[:: max(1, len(good) // count)][:count]
    finally:
        doc.close()


def _text(doc: object, index: int) -> str:
    page = doc[index]  # type: ignore[index]
    tp = page.get_textpage()
    try:
        return tp.get_text_bounded().replace("\x02", "").replace("\ufffe", "")  # PDFium's line-end hyphens
    finally:
        tp.close()


def render(pdf: Path, index: int) -> tuple[Image.Image, str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return doc[index].render(scale=DPI / 72, grayscale=True).to_pil().convert("L"), _text(doc, index)
    finally:
        doc.close()


def _noise(img: Image.Image, sigma: float, rng: random.Random) -> Image.Image:
    gen = np.random.default_rng(rng.randrange(2**32))
    a = np.asarray(img, dtype=np.float32) + gen.normal(0.0, sigma, (img.height, img.width))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue()))


def scanned(img: Image.Image, rng: random.Random) -> Image.Image:
    angle = rng.uniform(0.5, 2.0) * rng.choice((-1, 1))
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=245)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 0.9)))
    return _jpeg(_noise(img, rng.uniform(8, 16), rng), rng.randrange(45, 70))


def photographed(img: Image.Image, rng: random.Random) -> Image.Image:
    """The page on a desk, seen from a little off-axis and lit from one side (simulated)."""
    w, h = img.size
    desk = Image.new("L", (int(w * 1.15), int(h * 1.12)), 90)
    desk.paste(img, (int(w * 0.075), int(h * 0.06)))
    W, H = desk.size
    j = [rng.uniform(0.0, 0.05) for _ in range(8)]  # each corner pulled in by up to 5 %
    corners = [(j[0] * W, j[1] * H), (W - j[2] * W, j[3] * H), (W - j[4] * W, H - j[5] * H), (j[6] * W, H - j[7] * H)]
    img = desk.transform(desk.size, Image.Transform.PERSPECTIVE, _coeffs(corners, W, H), Image.Resampling.BICUBIC)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    side = xx / W if rng.random() < 0.5 else 1 - xx / W
    light = 0.55 + 0.45 * side * (1 - 0.3 * ((yy / H - 0.5) ** 2))  # a lamp to one side, a little vignette
    img = Image.fromarray(np.clip(np.asarray(img, dtype=np.float32) * light, 0, 255).astype(np.uint8))
    img = img.rotate(rng.uniform(-3, 3), resample=Image.Resampling.BICUBIC, fillcolor=80)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 1.6)))
    return _jpeg(_noise(img, rng.uniform(5, 10), rng), 80)


def _coeffs(src: list[tuple[float, float]], w: int, h: int) -> list[float]:
    """PIL's perspective coefficients mapping the output rectangle onto the quadrilateral `src`."""
    dst = [(0, 0), (w, 0), (w, h), (0, h)]
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return [float(c) for c in np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64))]


def build(pdfs: list[Path], out: Path, scans: int, photos: int) -> list[BenchPage]:
    """Draw and degrade the pages into `out` (kept: a rerun reuses them); returns them, also in pages.json."""
    manifest = out / "pages.json"
    if manifest.is_file():
        return [BenchPage(**p) for p in json.loads(manifest.read_text())]
    out.mkdir(parents=True, exist_ok=True)
    per_pdf = -(-(scans + photos) // len(pdfs))
    chosen = [(pdf, index) for pdf in pdfs for index in pick_pages(pdf, per_pdf)][: scans + photos]
    every = max(1, len(chosen) // max(1, photos))  # photographs spread over the documents
    pages: list[BenchPage] = []
    for k, (pdf, index) in enumerate(chosen):
        kind = "photo" if k % every == every - 1 and sum(p.kind == "photo" for p in pages) < photos else "scan"
        img, truth = render(pdf, index)
        rng = random.Random(f"{pdf.name}:{index}")
        image = (photographed if kind == "photo" else scanned)(img, rng)
        path = out / f"{pdf.stem}-p{index + 1}-{kind}.jpg"
        image.save(path, quality=92)
        pages.append(BenchPage(str(path), kind, f"{pdf.name} p. {index + 1}", truth))
    manifest.write_text(json.dumps([asdict(p) for p in pages], indent=1))
    return pages

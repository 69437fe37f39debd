"""The app's OCR on REAL camera photographs of printed text: word error rate and seconds per image.

    python benchmarks/ocr_photos.py --photos DIR [--out results.json]

DIR holds pairs IMAGE (.png .jpg .jpeg .tif .tiff .webp) + its true text in IMAGE's stem + ".gt.txt"
(or IMAGE's full name + ".gt.txt"), read at the top level only. Each image goes through the path the app
takes for an image file (extract/image.py, extract/scanned.py): decoded by Pillow, then
ocr.read_image(image, ocr.engine(), OCR_PAGE_TIMEOUT_S) — preparation (EXIF turn, grayscale, deskew) and
Tesseract. benchmarks/ocr.py measures rendered pages with *simulated* photographs; these are photographs.

WER as in benchmarks/ocr.py (word-level edit distance over lower-cased words without punctuation, divided
by the truth's words; curly apostrophes made straight first). It counts words read in another order as
errors (a receipt's price column read after its names), so "missed" is printed too: the share of the
truth's words (as a multiset) absent from what OCR read, in any order — what decides whether a search
for the word finds the file.

The folder is not in this repository (the images belong to others). To rebuild it as measured (no
image was changed; names below are the copies' names, truths written by hand from each image, with all
legible printed text of the page or receipt in reading order, columns one after the other):

  docunet-1_1.png, docunet-4_2.png  <- github.com/cvlab-stonybrook/DewarpNet (MIT; the photos are the
      DocUNet benchmark's, Ma et al., CVPR 2018), commit 5f9e216535f048d98ca44bbfb5f6ea55f8cdfe13,
      "eval/inp/1_1 copy.png" and "eval/inp/4_2 copy.png": a toothbrush manual, a card receipt.
  docunet-27_2.png, docunet-42_2.png  <- github.com/fh2019ustc/DocScanner (its own licence, "All
      Rights Reserved"; the photos are DocUNet's), commit acb78b7e22063b23803243ccdc775d9102b52778,
      "distorted/27_2 copy.png" and "distorted/42_2 copy.png": two crumpled magazine pages, ~600 words.
  wildreceipt-1.jpeg, wildreceipt-2.jpeg, wildreceipt-demo_kie.jpeg  <- github.com/open-mmlab/mmocr
      (Apache-2.0; WildReceipt images, licence stated "N/A" in dataset_zoo/wildreceipt/metafile.yml),
      commit 966296f26ac34cf0e96d40ab4a0a94c9a697909a, tests/data/kie_toy_dataset/wildreceipt/1.jpeg,
      .../2.jpeg and demo/demo_kie.jpeg: three shop receipts (the dataset's words lack spaces, so the
      truths were typed again from the images).
  A second folder of printed labels on crates (not document text, measured apart):
  labels/easyocr-photo-0_1.jpg, -4_1, -4_2, -5_2  <- github.com/JaidedAI/EasyOCR (Apache-2.0; a
      contributor's pull request, refs/pull/275/head, not on its main branch), commit
      79461920b16cb43498a000ff8b6d6fb58ae9cefe, "examples/Photo-0 (1).jpg", "examples/Photo-4 (1).jpg",
      "examples/Photo-4 (2).jpg", "examples/Photo-5 (2).jpg": crate labels in a car factory.
  For example:
    git clone --bare https://github.com/cvlab-stonybrook/DewarpNet /tmp/DewarpNet.git
    C=5f9e216535f048d98ca44bbfb5f6ea55f8cdfe13
    git --git-dir=/tmp/DewarpNet.git show "$C:eval/inp/1_1 copy.png" > DIR/docunet-1_1.png
    git --git-dir=/tmp/EasyOCR.git fetch origin pull/275/head   # after a bare clone of EasyOCR, for its photos
  Measured (docs/benchmarks.md, "OCR"): the seven documents and the four labels, each folder a run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import common  # noqa: F401 - this checkout first on the path
from common import load_avg, log
from ocr import _cpu, wer, words

SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'"})  # Tesseract prints ’ where the truth has '


def truth_file(image: Path) -> Path | None:
    """IMAGE's truth: its stem + .gt.txt, else its full name + .gt.txt; None when neither exists."""
    for cand in (image.with_suffix(".gt.txt"), image.with_name(image.name + ".gt.txt")):
        if cand.is_file():
            return cand
    return None


def pairs(folder: Path) -> list[tuple[Path, Path]]:
    """(image, truth) in name order; stops the script with what to do when there is nothing to read."""
    if not folder.is_dir():
        sys.exit(f"no folder {folder}: build it as this script's docstring says (python {__file__} --help)")
    images = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
    found = [(img, t) for img in images if (t := truth_file(img)) is not None]
    for img in images:
        if truth_file(img) is None:
            log(f"{img.name}: no {img.stem}.gt.txt, left out")
    if not found:
        sys.exit(f"no image with a .gt.txt truth in {folder}: see this script's docstring (--help)")
    return found


def missed(truth: list[str], got: list[str]) -> float:
    """Share of the truth's words (with repeats) that the reading lacks, in any order."""
    lost = Counter(truth) - Counter(got)
    return sum(lost.values()) / max(1, len(truth))


def read_one(path: Path) -> tuple[str, float, float]:
    """The text the app's OCR reads from the image file, with wall and CPU seconds of that read."""
    from PIL import Image

    from jinasearch.core.extract import ocr
    from jinasearch.core.extract.scanned import OCR_PAGE_TIMEOUT_S

    with Image.open(path) as img:
        img.load()
        wall, cpu = time.perf_counter(), _cpu()
        text = ocr.read_image(img, ocr.engine(), OCR_PAGE_TIMEOUT_S)
        return text, time.perf_counter() - wall, _cpu() - cpu


def measure(found: list[tuple[Path, Path]]) -> list[dict[str, Any]]:
    from jinasearch.core.extract import ocr

    ocr.engine()  # built once, before the first timed read
    rows = []
    for image, truth_path in found:
        truth = words(truth_path.read_text(encoding="utf-8").translate(_QUOTES))
        text, wall, cpu = read_one(image)
        got = words(text.translate(_QUOTES))
        rows.append({"image": image.name, "words": len(truth), "wer": wer(truth, got),
                     "missed": missed(truth, got), "wall_s": wall, "cpu_s": cpu, "text": text})  # fmt: skip
        log(f"{image.name}: WER {rows[-1]['wer']:.3f}, missed {rows[-1]['missed']:.3f}, {wall:.1f} s")
    return rows


def summary(rows: list[dict[str, Any]]) -> dict[str, float]:
    n, n_words = len(rows), sum(r["words"] for r in rows)
    return {
        "images": n,
        "mean_wer": sum(r["wer"] for r in rows) / n,  # each image counts once, whatever its length
        "pooled_wer": sum(r["wer"] * r["words"] for r in rows) / max(1, n_words),
        "mean_missed": sum(r["missed"] for r in rows) / n,
        "wall_s_per_image": sum(r["wall_s"] for r in rows) / n,
        "cpu_s_per_image": sum(r["cpu_s"] for r in rows) / n,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--photos", type=Path, required=True, help="folder of IMAGE + IMAGE-stem.gt.txt pairs")
    ap.add_argument("--out", type=Path, help="write rows and summary here (JSON)")
    args = ap.parse_args()
    found = pairs(args.photos)
    load_before = load_avg()
    rows = measure(found)
    result = {"folder": str(args.photos), "load_before": load_before, "load_after": load_avg(),
              "cpus": os.cpu_count(), "summary": summary(rows), "rows": rows}  # fmt: skip
    if args.out:
        args.out.write_text(json.dumps(result, indent=1))
    print(f"load average {load_before} -> {result['load_after']}, {os.cpu_count()} CPUs; {args.photos}")
    print(f"{'image':<30} {'words':>5} {'WER':>6} {'missed':>6} {'s':>5} {'CPU s':>5}")
    for r in rows:
        print(f"{r['image']:<30} {r['words']:>5} {r['wer']:>6.3f} {r['missed']:>6.3f}"
              f" {r['wall_s']:>5.1f} {r['cpu_s']:>5.1f}")  # fmt: skip
    s = result["summary"]
    print(f"{'mean of ' + str(s['images']) + ' images':<30} {'':>5} {s['mean_wer']:>6.3f} {s['mean_missed']:>6.3f}"
          f" {s['wall_s_per_image']:>5.1f} {s['cpu_s_per_image']:>5.1f}   pooled WER {s['pooled_wer']:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()

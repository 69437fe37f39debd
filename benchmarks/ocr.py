"""OCR engines on real PDF pages made to look scanned or photographed: word error rate and time per page.

    python benchmarks/ocr.py [--pdf A.pdf ...] [--scans 24] [--photos 6] [--python /tmp/easy-venv/bin/python]

The pages (benchmarks/ocr_pages.py) are drawn once into --work and reused. Tesseract runs here, with
every preparation step and with each one left out (the steps must keep earning their place);
EasyOCR runs in the interpreter given by --python (this script again, with --engine easyocr), because
it needs a torchvision that this project's pinned torch has none of. Truth is each PDF's text layer.
WER: word-level Levenshtein distance over lower-cased words stripped of punctuation, divided by the
truth's word count. Time: wall seconds per page, and CPU seconds (Tesseract's child processes or the
EasyOCR process's threads). Writes --out (JSON) and prints a table.
Real camera photographs (a folder of images with their true text): benchmarks/ocr_photos.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import time
from pathlib import Path
from typing import Any

import common  # noqa: F401 - this checkout first on the path
from common import load_avg, log
from ocr_pages import DEFAULT_PDFS, BenchPage, build

_WORD = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")
VARIANTS = {"tesseract": {}, "tesseract no-deskew": {"deskew": False}}


def words(text: str) -> list[str]:
    text = re.sub(r"(\w)-\n\s*(\w)", r"\1\2", text)  # a word broken at a line end, as PDFium joins it
    return _WORD.findall(text.lower())


def wer(truth: list[str], got: list[str]) -> float:
    """Word-level Levenshtein distance / len(truth)."""
    prev = list(range(len(got) + 1))
    for i, t in enumerate(truth, 1):
        cur = [i] + [0] * len(got)
        for j, g in enumerate(got, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (t != g))
        prev = cur
    return prev[-1] / max(1, len(truth))


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract runs as one)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run_engine(label: str, pages: list[BenchPage], name: str, steps: dict[str, bool]) -> list[dict[str, Any]]:
    from PIL import Image

    from jinasearch.core.extract.ocr import Steps, engine, read_image

    t0 = time.perf_counter()
    eng = engine(name)
    log(f"{label}: engine ready in {time.perf_counter() - t0:.1f} s")
    rows = []
    for page in pages:
        with Image.open(page.image) as img:
            img.load()
            wall, cpu = time.perf_counter(), _cpu()
            text = read_image(img, eng, 600, Steps(**steps))
            wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        rows.append({"engine": label, "kind": page.kind, "source": page.source, "wall_s": wall, "cpu_s": cpu,
                     "wer": wer(words(page.truth), words(text)), "words": len(words(page.truth))})  # fmt: skip
        log(f"{label} {page.source} {page.kind}: WER {rows[-1]['wer']:.3f}, {wall:.1f} s")
    return rows


def summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for label in dict.fromkeys(r["engine"] for r in rows):
        for kind in ("scan", "photo"):
            sel = [r for r in rows if r["engine"] == label and r["kind"] == kind]
            if sel:
                n_words = sum(r["words"] for r in sel)
                out.append({"engine": label, "kind": kind, "pages": len(sel),
                            "wer": sum(r["wer"] * r["words"] for r in sel) / n_words,  # pooled over words
                            "median_page_wer": sorted(r["wer"] for r in sel)[len(sel) // 2],
                            "wall_s_per_page": sum(r["wall_s"] for r in sel) / len(sel),
                            "cpu_s_per_page": sum(r["cpu_s"] for r in sel) / len(sel)})  # fmt: skip
    return out


def sizes_easyocr() -> dict[str, Any]:
    """Installed bytes per distribution in this (EasyOCR's) environment, from each one's RECORD."""
    from importlib import metadata

    per = {}
    for dist in metadata.distributions():
        files = dist.files or []
        per[dist.metadata["Name"].lower()] = sum(f.size or 0 for f in files)
    return {
        "per_distribution_bytes": dict(sorted(per.items(), key=lambda kv: -kv[1])),
        "total_bytes": sum(per.values()),
    }


def sizes_tesseract() -> dict[str, Any]:
    pkgs = ["tesseract-ocr", "tesseract-ocr-eng", "tesseract-ocr-osd", "libtesseract5", "liblept5"]
    out = subprocess.run(["dpkg-query", "-Wf", "${Package} ${Installed-Size}\n", *pkgs], capture_output=True, text=True)
    kib = {line.split()[0]: int(line.split()[1]) for line in out.stdout.splitlines() if len(line.split()) == 2}
    return {"debian_packages_kib": kib, "total_kib": sum(kib.values())}


def subset(pages: list[BenchPage], n: int) -> list[BenchPage]:
    """`n` pages, two in three of them scans, the rest photographs, in order."""
    photos = max(1, n // 3)
    return [p for p in pages if p.kind == "scan"][: n - photos] + [p for p in pages if p.kind == "photo"][:photos]


def easy_half(args: argparse.Namespace) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """EasyOCR's rows, from this script run by --python with --engine easyocr."""
    out = Path(args.out).with_suffix(".easyocr.json")
    cmd = [args.python, __file__, "--engine", "easyocr", "--work", args.work, "--out", str(out)]
    cmd += ["--easy-pages", str(args.easy_pages)]
    log(f"EasyOCR in {args.python}")
    subprocess.run(cmd, check=True, env={**os.environ, "OMP_NUM_THREADS": str(os.cpu_count() or 1)})
    got = json.loads(out.read_text())
    return got["rows"], got["sizes"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pdf", nargs="*", type=Path, default=[p for p in DEFAULT_PDFS if p.is_file()])
    ap.add_argument("--scans", type=int, default=24)
    ap.add_argument("--photos", type=int, default=6)
    ap.add_argument("--work", default="/tmp/ocr-bench")
    ap.add_argument("--out", default="/tmp/ocr-bench/results.json")
    ap.add_argument("--python", help="an interpreter where easyocr imports: its half runs there")
    ap.add_argument("--engine", choices=("tesseract", "easyocr"), help="run only this engine (used by --python)")
    ap.add_argument("--limit", type=int, help="read only the first N pages (a quick check)")
    ap.add_argument("--easy-pages", type=int, default=6, help="EasyOCR reads this many (2 in 3 scans; ~2 min a page)")
    args = ap.parse_args()
    pages = build(args.pdf, Path(args.work), args.scans, args.photos)[: args.limit]
    load_before = load_avg()
    if args.engine == "easyocr":
        rows = run_engine("easyocr", subset(pages, args.easy_pages), "easyocr", {})
        Path(args.out).write_text(json.dumps({"rows": rows, "sizes": sizes_easyocr()}))
        return
    rows = [r for label, steps in VARIANTS.items() for r in run_engine(label, pages, "tesseract", steps)]
    sizes: dict[str, Any] = {"tesseract": sizes_tesseract()}
    if args.python:
        easy_rows, sizes["easyocr"] = easy_half(args)
        rows += easy_rows
        same = {r["source"] for r in easy_rows}  # Tesseract again on EasyOCR's pages only, for a like-for-like row
        rows += [
            {**r, "engine": "tesseract (same pages)"}
            for r in rows
            if r["engine"] == "tesseract" and r["source"] in same
        ]
    result = {"load_before": load_before, "load_after": load_avg(), "cpus": os.cpu_count(), "pages": len(pages),
              "pdfs": [str(p) for p in args.pdf], "summary": summary(rows), "rows": rows, "sizes": sizes}  # fmt: skip
    Path(args.out).write_text(json.dumps(result, indent=1))
    print(f"load average {load_before} -> {result['load_after']}, {os.cpu_count()} CPUs; {args.out}")
    print(f"{'engine':<22} {'pages':<12} {'WER':>6} {'median':>7} {'s/page':>7} {'CPU s':>6}")
    for s in result["summary"]:
        print(f"{s['engine']:<22} {s['kind'] + ' x' + str(s['pages']):<12} {s['wer']:>6.3f} {s['median_page_wer']:>7.3f}"
              f" {s['wall_s_per_page']:>7.1f} {s['cpu_s_per_page']:>6.1f}")  # fmt: skip


if __name__ == "__main__":
    main()

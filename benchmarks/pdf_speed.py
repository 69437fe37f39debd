"""PDF text extraction speed: PDFium (pypdfium2, what the app uses) against pypdf, and pdftotext for reference.

    python benchmarks/pdf_speed.py FILE.pdf [FILE.pdf ...] [--repeat 3]

Each library reads every page's text of each file in a fresh process (imports included, as an extraction
worker would), `--repeat` times; the median wall time is reported with pages/s and the characters read.
pdftotext (poppler-utils) runs when it is installed. docs/benchmarks.md, "Reading speed",
records the figures for the two docs-dev manuals.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

READERS = {
    "pypdfium2": (
        "import sys, pypdfium2 as p; d = p.PdfDocument(sys.argv[1]); n = len(d); c = 0\n"
        "for i in range(n):\n"
        "    pg = d[i]; tp = pg.get_textpage(); c += len(tp.get_text_bounded()); tp.close(); pg.close()\n"
        "print(n, c)"
    ),
    "pypdf": (
        "import sys, logging; logging.disable(logging.CRITICAL)\n"
        "from pypdf import PdfReader; r = PdfReader(sys.argv[1]); n = len(r.pages)\n"
        "print(n, sum(len(p.extract_text() or '') for p in r.pages))"
    ),
}


def run(reader: str, path: Path) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    if reader == "pdftotext":
        out = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages, chars = out.count("\f"), len(out)
    else:
        done = subprocess.run(
            [sys.executable, "-c", READERS[reader], str(path)], capture_output=True, text=True, check=True
        )
        pages, chars = (int(x) for x in done.stdout.split())
    return time.perf_counter() - t0, pages, chars


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    readers = [*READERS, *(["pdftotext"] if shutil.which("pdftotext") else [])]
    rows = []
    print(f"{'file':<24} {'reader':<10} {'pages':>5} {'seconds':>8} {'pages/s':>8} {'chars':>9}")
    for path in args.pdfs:
        for reader in readers:
            runs = [run(reader, path) for _ in range(args.repeat)]
            secs = statistics.median(r[0] for r in runs)
            pages, chars = runs[0][1], runs[0][2]
            rows.append({"file": path.name, "reader": reader, "pages": pages, "seconds": secs, "chars": chars})
            print(f"{path.name:<24} {reader:<10} {pages:>5} {secs:>8.2f} {pages / secs:>8.0f} {chars:>9}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

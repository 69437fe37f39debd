"""The PDF page preview: time to draw a page (new and cached) and from selecting a hit to its page shown.

    python benchmarks/page_render.py [--pdf /tmp/docs-dev/manuals/bashref.pdf] [--pages 50] [--first 20]

Core (core/pages.py): each of `--pages` pages drawn at 1x and 2x (the preview fitted to its width, on
a plain and a HiDPI screen) with the passage placed and the query's words boxed, first into an empty
cache, then again from it. The passage is a third of the page's text as extraction left it (running
headers dropped, whitespace collapsed), so the placement is tested on what the index holds.

App (offscreen): the preview pane alone, fed the same pages as hits, from `show_hit` to the page view's
`shown` signal plus a synchronous paint of the page: first for pages not drawn yet, then for the same
hits again (cached).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

import common  # noqa: F401 - this checkout first on the path
from common import load_avg, pct

PDF = Path("/tmp/docs-dev/manuals/bashref.pdf")


def passages(pdf: Path, first: int, n: int) -> list[tuple[int, str, list[str]]]:
    """(page, passage as the index holds it, two query words of it) for `n` pages from `first`."""
    from jinasearch.core.extract import extract

    ex = extract(pdf)
    out = []
    for page in ex.pages[first : first + n]:
        text = ex.text[page.start : page.end]
        words = " ".join(text[len(text) // 3 : len(text) // 3 + 700].split()).split(" ")[1:-1]
        passage = " ".join(words)
        terms = sorted({w.strip(".,;:()") for w in words if len(w) > 6}, key=len)[-2:]
        out.append((page.number, passage, terms))
    return out


def core(pdf: Path, items: list[tuple[int, str, list[str]]]) -> None:
    from jinasearch.core.pages import PageCache, render_page

    for scale in (1.0, 2.0):
        cache = PageCache()
        new, again, placed = [], [], Counter()
        for page, passage, terms in items:
            t0 = time.perf_counter()
            r = render_page(str(pdf), page, scale=scale, passage=passage, terms=terms, cache=cache)
            t1 = time.perf_counter()
            render_page(str(pdf), page, scale=scale, passage=passage, terms=terms, cache=cache)
            t2 = time.perf_counter()
            new.append(t1 - t0)
            again.append(t2 - t1)
            placed[r.placement] += 1
        size = f"{r.image.width}x{r.image.height}"
        print(
            f"core  scale {scale:.0f}x ({size}): new p50 {pct(new, 50) * 1e3:.1f} ms p95 {pct(new, 95) * 1e3:.1f} ms"
            f" · cached p50 {pct(again, 50) * 1e3:.1f} ms p95 {pct(again, 95) * 1e3:.1f} ms · placed {dict(placed)}"
        )


def app(pdf: Path, items: list[tuple[int, str, list[str]]]) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from jinasearch.core.models import Hit
    from jinasearch.gui.preview import PreviewPane

    qapp = QApplication.instance() or QApplication([])
    hits = []
    for i, (page, passage, terms) in enumerate(items):
        spans = tuple((passage.find(t), passage.find(t) + len(t)) for t in terms if t in passage)
        hits.append(Hit(i + 1, 1, str(pdf), page, 1.0, passage, 0, len(passage), ("keyword",), term_spans=spans))
    pane = PreviewPane(siblings=lambda hit: [h for h in hits if abs((h.page or 0) - (hit.page or 0)) <= 2])
    pane.resize(470, 900)
    pane.show()
    qapp.processEvents()
    view = pane.page_view

    def shown_after(hit: Hit) -> float:
        loop = QEventLoop()
        got: list[object] = []
        conn = view.shown.connect(lambda p: (got.append(p), loop.quit()))
        t0 = time.perf_counter()
        pane.show_hit(hit, None)
        QTimer.singleShot(10_000, loop.quit)
        if not got:
            loop.exec()
        view.canvas.repaint()  # the page painted, not only handed over
        dt = time.perf_counter() - t0
        view.shown.disconnect(conn)
        if not got:
            raise SystemExit(f"page {hit.page} not shown in 10 s")
        return dt

    for label in ("new", "cached"):
        times = [shown_after(h) for h in hits]
        print(
            f"app   select -> page shown ({label}, {view.rendered.image.width}px wide):"  # type: ignore[union-attr]
            f" p50 {pct(times, 50) * 1e3:.1f} ms p95 {pct(times, 95) * 1e3:.1f} ms max {max(times) * 1e3:.1f} ms"
        )
        pane.clear()
    view.wait_idle()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pdf", type=Path, default=PDF)
    p.add_argument("--pages", type=int, default=50)
    p.add_argument("--first", type=int, default=20, help="0-based index of the first page measured")
    args = p.parse_args(argv)
    if not args.pdf.is_file():
        print(f"{args.pdf} is missing (build docs-dev: shared/eval/docs-dev/build.sh)", file=sys.stderr)
        return 2
    print(f"{args.pdf.name}: {args.pages} pages from page {args.first + 1} · load average {load_avg()}")
    items = passages(args.pdf, args.first, args.pages)
    core(args.pdf, items)
    app(args.pdf, items)
    print(f"load average after: {load_avg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""screenshot.py's OCR states: a folder of scanned letters next to the sample, the window at its minimum size.

ocr-off       the folder indexed with OCR switched off: the switch unticked, "N scanned pages not read"
ocr-missing   OCR on but no engine on this computer: the note names what to install (the longest note)
ocr-reading   OCR on and Tesseract reading: the progress names the OCR pass while it runs
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

LETTERS = {
    "Scanned letter.pdf": [["Dear tenant,", "the rent rises by EUR 40 from May.", "Harbour View Properties"]],
    "Scanned contract.pdf": [
        [f"Page {n}. The contractor paints the stairwell and repairs the roof.", "Payment within 30 days."]
        for n in range(1, 5)
    ],
}


def show_ocr_switch(w, state: str, work: Path, pause: Callable[[int], None]) -> None:  # type: ignore[no-untyped-def]
    from tests.core.scanned_docs import write_scanned_pdf

    scans = work / "Scans"
    for name, pages in LETTERS.items():
        write_scanned_pdf(scans / name, pages, text_pages=["Cover page of a scanned file."])
    c = w.controller
    if state == "ocr-missing":
        from jinasearch.core.extract import ocr

        def missing(_name: str | None = None) -> None:  # as on a computer without Tesseract
            raise ocr.OcrUnavailableError("the tesseract program is not installed")

        ocr.engine = missing
    if state == "ocr-off":
        c.set_ocr(str(scans), False)
    else:
        c.add_folders([str(scans)])
    until(lambda: c.running is not None, pause)
    if state == "ocr-reading":  # captured while the OCR pass reads the second file
        until(lambda: (p := w.progress_panel.last) is not None and p.task == "ocr", pause, 120_000)
        smallest(w, pause)
        return
    until(lambda: c.running is None, pause, 120_000)
    until(lambda: any(r.path == str(scans) and r.ocr_waiting for r in w.folders.rows), pause)
    tree = w.folders.tree
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        item.setSelected(item.toolTip(0) == str(scans))
    smallest(w, pause)


def smallest(w, pause: Callable[[int], None]) -> None:  # type: ignore[no-untyped-def]
    """The smallest window the layout allows, with the note shown: the switch and its note must stay
    readable there."""
    pause(300)
    w.resize(w.minimumSizeHint())
    pause(500)


def until(done: Callable[[], bool], pause: Callable[[int], None], timeout_ms: int = 30_000) -> None:
    for _ in range(timeout_ms // 100):
        if done():
            return
        pause(100)
    raise SystemExit("timed out waiting for the OCR state")

"""The folder panel's "read scanned pages and images (OCR)" switch: it follows the selected folder, a click
runs the folder with OCR switched, the note says why scanned pages wait, and the progress names the OCR pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.jobs import FolderRow, FolderState, IndexJob
from jinasearch.core.run_records import Progress
from jinasearch.gui import folders
from jinasearch.gui.folders import FolderPanel, ocr_fix, ocr_note
from jinasearch.gui.progress import describe
from tests.core.scanned_docs import write_scanned_pdf
from tests.gui.helpers import index_folder

ON = FolderRow("/scans", FolderState.UP_TO_DATE, files=3, ocr=True, ocr_waiting=4)
OFF = FolderRow("/letters", FolderState.UP_TO_DATE, files=2, ocr=False, ocr_waiting=1)


def select(panel: FolderPanel, path: str) -> None:
    panel.tree.clearSelection()
    item = next(
        panel.tree.topLevelItem(i)
        for i in range(panel.tree.topLevelItemCount())
        if panel.tree.topLevelItem(i).toolTip(0) == path
    )
    item.setSelected(True)


def test_the_switch_follows_the_selected_folder_and_a_click_asks_for_it(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(folders, "ocr_fix", lambda: None)
    panel = FolderPanel()
    qtbot.addWidget(panel)
    panel.set_rows([ON, OFF])
    assert not panel.ocr.isEnabled() and panel.ocr_note.isHidden()  # nothing selected
    select(panel, "/letters")
    assert panel.ocr.isEnabled() and not panel.ocr.isChecked()
    select(panel, "/scans")
    assert panel.ocr.isEnabled() and panel.ocr.isChecked()
    with qtbot.waitSignal(panel.ocrRequested) as asked:
        panel.ocr.click()
    assert asked.args == ["/scans", False]


def test_the_note_says_why_scanned_pages_wait(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert ocr_note(None) == ocr_note(FolderRow("/d", FolderState.UP_TO_DATE)) == ""
    assert ocr_note(OFF) == "1 scanned page not read: OCR is off for this folder"
    assert ocr_note(ON, "install Tesseract OCR") == "4 scanned pages wait for OCR: install Tesseract OCR"
    assert ocr_note(ON) == "4 scanned pages are read after the other files"
    assert (
        ocr_note(FolderRow("/d", FolderState.UP_TO_DATE, ocr_waiting=1))
        == "1 scanned page is read after the other files"
    )

    # The panel asks for the engine only where OCR is on, and shows what to install when there is none.
    monkeypatch.setattr(folders, "ocr_fix", lambda: "install Tesseract OCR")
    panel = FolderPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_rows([ON, OFF])
    select(panel, "/scans")
    assert panel.ocr_note.isVisible() and panel.ocr_note.text() == "4 scanned pages wait for OCR: install Tesseract OCR"
    select(panel, "/letters")
    assert panel.ocr_note.text() == "1 scanned page not read: OCR is off for this folder"


def test_without_an_engine_the_fix_is_the_engines_own_words(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jinasearch.core.extract import ocr

    def missing(_name: str | None = None) -> None:
        raise ocr.OcrUnavailableError("the tesseract program is not installed", "apt install tesseract-ocr")

    monkeypatch.setattr(ocr, "engine", missing)
    assert ocr_fix() == "apt install tesseract-ocr"


def test_a_click_runs_the_folder_with_ocr_switched(qtbot, make_window, docs: Path) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    index_folder(qtbot, w, docs)
    w.folders.tree.topLevelItem(0).setSelected(True)
    assert w.folders.ocr.isEnabled() and w.folders.ocr.isChecked()  # on unless switched off
    for on in (False, True):
        with (
            qtbot.waitSignal(w.controller.runStarted) as started,
            qtbot.waitSignal(w.controller.runFinished, timeout=30_000),
        ):
            w.folders.ocr.click()
        assert started.args[0] == IndexJob(w.controller.settings, (str(docs),), ocr=on)
        qtbot.waitUntil(lambda on=on: w.folders.rows[0].ocr is on and w.folders.ocr.isChecked() is on, timeout=10_000)


def test_a_folder_with_ocr_off_says_its_scanned_pages_are_not_read(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scans = tmp_path / "scans"
    write_scanned_pdf(scans / "letter.pdf", [["Dear tenant, the rent rises in May."]], text_pages=["A cover page."])
    w = make_window()
    with qtbot.waitSignal(w.controller.runFinished, timeout=30_000):
        w.controller.set_ocr(str(scans), False)  # off before its first run: no seconds a page spent here
    qtbot.waitUntil(lambda: any(r.ocr_waiting for r in w.folders.rows), timeout=10_000)
    w.folders.tree.topLevelItem(0).setSelected(True)
    assert not w.folders.ocr.isChecked()
    assert w.folders.ocr_note.isVisible()
    assert w.folders.ocr_note.text() == "1 scanned page not read: OCR is off for this folder"


@pytest.mark.parametrize("failed, tail", [(0, ""), (2, " · 2 failed")])
def test_the_progress_names_the_ocr_pass(failed: int, tail: str) -> None:
    step = Progress(
        phase="extract", task="ocr", files_total=3, files_done=1, current="/scans/letter.pdf", failed=failed
    )
    assert describe(step) == (f"Reading scanned pages (OCR) 1 / 3 files{tail}\nletter.pdf", 1, 3)
    plain = Progress(phase="extract", files_total=3, files_done=1, current="/docs/a.txt")
    assert describe(plain)[0] == "Reading files 1 / 3\na.txt"

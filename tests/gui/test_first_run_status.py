"""The status after a folder's first run says what that run read, not the empty run that followed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.config import Settings
from jinasearch.core.jobs import IndexJob, JobResult, JobState
from jinasearch.core.run_records import IndexSummary, RunOutcome
from jinasearch.gui.prefs import save_folders
from jinasearch.gui.progress import ProgressPanel, run_text
from tests.core.docgen import write_pdf
from tests.core.scanned_docs import need_tesseract, write_scanned_pdf

READ = IndexSummary(scanned=2, indexed=2, passages_added=2, passages_embedded=2, seconds=3.5, ocr_read=1)
NOTHING = IndexSummary(scanned=2, unchanged=2)


def test_a_run_that_found_nothing_to_do_tells_the_run_that_did() -> None:
    read = "Last run: 2 files read, 0 unchanged, 0 failed, 2 passages embedded in 3.5 s"
    assert run_text(READ, None) == read
    assert run_text(NOTHING, READ) == f"{read}. Checked again since: nothing changed"
    # With no earlier run in this session (the app just opened), the unchanged run is the news.
    assert run_text(NOTHING, None) == "Last run: 0 files read, 2 unchanged, 0 failed, 0 passages embedded in 0.0 s"
    changed = IndexSummary(scanned=2, unchanged=1, indexed=1, passages_added=1, passages_embedded=1, seconds=1.0)
    assert run_text(changed, READ).startswith("Last run: 1 files read, 1 unchanged")
    assert run_text(NOTHING, READ, vectors=False) == (
        "Last run: 2 files read, 0 unchanged, 0 failed. Checked again since: nothing changed"
    )


def test_a_run_of_other_folders_does_not_borrow_an_earlier_runs_figures(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    panel = ProgressPanel()
    qtbot.addWidget(panel)
    settings = Settings(data_dir=tmp_path / "data")

    def finish(paths: tuple[str, ...], summary: IndexSummary) -> str:
        panel.finished(JobResult(IndexJob(settings, paths), JobState.DONE, RunOutcome("done", summary)))
        return panel.label.text()

    assert finish(("/a", "/b"), READ).startswith("Up to date. Last run: 2 files read")
    assert finish(("/a",), NOTHING).endswith("Checked again since: nothing changed.")  # one of the same
    assert finish(("/c",), NOTHING).startswith("Up to date. Last run: 0 files read, 2 unchanged")


@pytest.mark.model
def test_the_status_after_a_first_run_counts_the_files_it_read(
    qtbot, make_window, qsettings, tmp_path: Path, minilm, minilm_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """As `jinasearch --data-dir NEW FOLDER` with FOLDER listed in the settings already: the start runs the
    settings' folders, then the command line's folder runs again and finds both files unchanged."""
    need_tesseract()
    folder = tmp_path / "papers"
    folder.mkdir()
    write_pdf(folder / "lease.pdf", ["The tenant pays the rent on the first day of every month."])
    write_scanned_pdf(folder / "letter.pdf", [["Dear tenant, the rent rises in May."]])  # read by OCR
    monkeypatch.setenv("JINASEARCH_MODEL", minilm_path)
    save_folders(qsettings, [str(folder)])
    w = make_window(embedder=minilm, start=False)
    results = []
    w.controller.runFinished.connect(results.append)
    w.start()  # as gui/app.py's begin()
    w.add_folders([str(folder)])
    qtbot.waitUntil(lambda: len(results) == 2 and w.controller.running is None, timeout=120_000)
    first, second = (r.summary for r in results)
    assert (first.indexed, first.ocr_read, second.indexed, second.unchanged) == (2, 1, 0, 2)
    text = w.progress_panel.label.text()
    assert text.startswith("Up to date. Last run: 2 files read, 0 unchanged, 0 failed, 2 passages embedded in ")
    assert text.endswith(" s. Checked again since: nothing changed.")

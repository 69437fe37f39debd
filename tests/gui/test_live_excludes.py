"""An Exclude change made while a folder is being indexed reaches that run at its next file; what the new
pattern matches that was indexed before goes with the rescan the change queues."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt

from tests.gui.helpers import index_folder


def indexed_names(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return sorted(Path(r[0]).name for r in con.execute("SELECT path FROM documents WHERE status = 'indexed'"))
    finally:
        con.close()


def test_an_exclusion_saved_mid_run_applies_at_the_next_file(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "skip-old.txt").write_text("An old note about the harbour crane.", encoding="utf-8")
    w = make_window()
    c = w.controller
    index_folder(qtbot, w, docs)
    assert indexed_names(c.settings.db_path) == ["skip-old.txt"]
    for i in range(60):
        (docs / f"a{i:03}.txt").write_text(f"Note {i}: the harbour crane was inspected on Monday.", encoding="utf-8")
    for i in range(5):
        (docs / f"skip-{i}.txt").write_text(f"Skipped note {i} about the crane.", encoding="utf-8")

    # Hold the run right after its first commit (on its own thread, so it cannot race past), then save.
    def hold(p) -> None:  # type: ignore[no-untyped-def]
        if p.phase == "extract" and not c.indexer.control.paused and not held:
            held.append(p)
            c.indexer.control.pause()

    held: list[object] = []
    c.indexer.progress.connect(hold, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(c.indexer.paused, timeout=20_000):
        c.reindex_all()
    results = []
    c.runFinished.connect(results.append)
    c.apply_prefs(replace(c.prefs, excludes=("skip-*",)))
    c.indexer.control.resume()
    qtbot.waitUntil(lambda: len(results) == 2, timeout=30_000)  # the run, then the rescan the change queued
    first, rescan = results
    assert first.status == "done" and first.summary.indexed == 60  # no new skip-* file was read
    assert indexed_names(c.settings.db_path) == [f"a{i:03}.txt" for i in range(60)]  # skip-old.txt went too
    assert rescan.summary.removed == 1

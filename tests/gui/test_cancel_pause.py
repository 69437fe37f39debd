"""Pause, resume and cancel reach the indexing thread promptly and leave a consistent index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.core.store.check import read_count
from tests.gui.helpers import drop_paths, folder_state, search


@pytest.fixture
def many(tmp_path: Path) -> Path:
    root = tmp_path / "many"
    root.mkdir()
    for i in range(300):
        (root / f"note{i:03}.txt").write_text(
            f"Note {i}: the harbour crane number {i} was inspected on Monday. "
            "Rust was found near the base and repairs are scheduled.",
            encoding="utf-8",
        )
    return root


def assert_consistent(db: Path) -> tuple[int, int]:
    """Every indexed document has its passages and text; FTS matches passages; nothing is orphaned."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        docs = con.execute("SELECT COUNT(*) FROM documents WHERE status = 'indexed'").fetchone()[0]
        bad = con.execute(
            "SELECT COUNT(*) FROM documents d WHERE status = 'indexed' AND n_passages != "
            "(SELECT COUNT(*) FROM passages p WHERE p.doc_id = d.id)"
        ).fetchone()[0]
        orphans = con.execute(
            "SELECT COUNT(*) FROM passages WHERE doc_id NOT IN (SELECT id FROM documents)"
        ).fetchone()[0]
        no_text = con.execute(
            "SELECT COUNT(*) FROM documents WHERE status = 'indexed' AND id NOT IN (SELECT doc_id FROM texts)"
        ).fetchone()[0]
        fts = con.execute("SELECT COUNT(*) FROM passages_fts").fetchone()[0]
        passages = con.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    finally:
        con.close()
    assert (bad, orphans, no_text) == (0, 0, 0)
    assert fts == passages
    return docs, passages


def test_cancel_stops_mid_run_and_keeps_a_consistent_searchable_index(qtbot, make_window, many: Path) -> None:
    w = make_window()
    with qtbot.waitSignal(w.controller.progress, timeout=10_000, check_params_cb=lambda p: p.phase == "extract"):
        drop_paths(w, [many])
    assert w.progress_panel.cancel_btn.isVisible()
    with qtbot.waitSignal(w.controller.runFinished, timeout=5_000) as done:
        w.progress_panel.cancel_btn.click()
    assert done.args[0].status == "cancelled"
    docs, passages = assert_consistent(w.controller.settings.db_path)
    assert 0 < docs < 300  # stopped part-way: what was read is kept
    assert "cancelled" in w.progress_panel.label.text()
    hits = search(qtbot, w, "harbour crane rust")  # committed passages answer at once
    assert hits
    # The next run simply continues.
    with qtbot.waitSignal(w.controller.runFinished, timeout=60_000) as again:
        w.controller.reindex_all()
    assert again.args[0].status == "done"
    assert again.args[0].summary.unchanged == docs
    assert assert_consistent(w.controller.settings.db_path)[0] == 300


def test_pause_holds_the_worker_and_resume_finishes(qtbot, make_window, many: Path) -> None:
    w = make_window()
    with qtbot.waitSignal(w.controller.progress, timeout=10_000):
        drop_paths(w, [many])
    # Pause once something is committed (on a busy machine the first progress can come before that).
    qtbot.waitUntil(
        lambda: read_count(w.controller.settings.db_path, "SELECT count(*) FROM passages") > 0, timeout=20_000
    )
    with qtbot.waitSignal(w.controller.indexer.paused, timeout=5_000):
        w.progress_panel.pause_btn.click()
    assert w.progress_panel.pause_btn.text() == "Resume"
    assert folder_state(w, str(many)) == "paused"
    assert w.progress_panel.label.text().startswith("Paused")
    # While paused, committed data is searchable.
    assert search(qtbot, w, "crane inspected")
    with qtbot.waitSignal(w.controller.runFinished, timeout=60_000) as done:
        w.progress_panel.pause_btn.click()
    assert done.args[0].status == "done"
    assert assert_consistent(w.controller.settings.db_path)[0] == 300


def test_cancel_while_paused_ends_the_run(qtbot, make_window, many: Path) -> None:
    w = make_window()
    w.controller.pause()  # paused before the run starts: it stops at its first step
    with qtbot.waitSignal(w.controller.indexer.paused, timeout=10_000):
        drop_paths(w, [many])
    with qtbot.waitSignal(w.controller.runFinished, timeout=5_000) as done:
        w.controller.cancel()
    assert done.args[0].status == "cancelled"
    assert not w.controller.is_paused
    assert_consistent(w.controller.settings.db_path)


def test_folder_counts_follow_a_run_instead_of_reading_0(qtbot, make_window, many: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jinasearch.gui.controller import Controller

    monkeypatch.setattr(Controller, "STATUS_EVERY_S", 0.0)  # every progress step: the mechanism, not the pace
    w = make_window()
    during: list[int] = []
    w.controller.statusChanged.connect(lambda st: w.controller.running is not None and during.append(st.indexed))
    with qtbot.waitSignal(w.controller.runFinished, timeout=60_000):
        drop_paths(w, [many])
    assert any(0 < n < 300 for n in during)  # counts grew while the run was still going
    qtbot.waitUntil(lambda: w.folders.rows and w.folders.rows[0].files == 300, timeout=10_000)

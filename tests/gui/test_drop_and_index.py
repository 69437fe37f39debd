"""Dropping folders on the window indexes them in the background and the folder panel follows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl

from tests.gui.helpers import drop_paths, drop_urls, folder_state


def test_dropping_a_folder_indexes_it_and_shows_it_up_to_date(qtbot, make_window, docs: Path) -> None:
    w = make_window()
    assert "Drag a folder here" in w.results.empty.text()
    seen = []
    w.controller.progress.connect(seen.append)
    with qtbot.waitSignal(w.controller.runFinished, timeout=30_000) as done:
        with qtbot.waitSignal(w.controller.progress, timeout=10_000):
            drop_paths(w, [docs])
        assert folder_state(w, str(docs)) in ("indexing", "up to date")
    assert done.args[0].status == "done"
    assert {p.phase for p in seen} >= {"extract", "embed", "done"}
    qtbot.waitUntil(lambda: folder_state(w, str(docs)) == "errors", timeout=10_000)  # broken.pdf failed
    row = next(r for r in w.folders.rows if r.path == str(docs))
    assert (row.files, row.failed) == (4, 1) and row.passages >= 3
    failed = w.controller.failed_files(str(docs))
    assert [f.path for f in failed] == [str(docs / "broken.pdf")] and failed[0].reason
    assert "passages" in w.counts.text()


def test_a_dropped_file_adds_its_folder_and_bad_drops_say_why(qtbot, make_window, docs: Path, tmp_path: Path) -> None:
    w = make_window()
    with qtbot.waitSignal(w.controller.runFinished, timeout=30_000):
        drop_urls(
            w,
            [
                QUrl.fromLocalFile(str(docs / "garden.txt")),
                QUrl("https://example.com/x"),
                QUrl.fromLocalFile(str(tmp_path / "nope")),
            ],
        )
    assert w.controller.folders == [str(docs)]
    assert w.banner.isVisible()
    assert "not a file or folder on this computer" in w.banner.text.text()
    assert "does not exist" in w.banner.text.text()


def test_folders_are_remembered_and_reindexed_incrementally_on_start(qtbot, make_window, docs: Path) -> None:
    w = make_window()
    with qtbot.waitSignal(w.controller.runFinished, timeout=30_000):
        drop_paths(w, [docs])
    w.shutdown()
    w2 = make_window(start=False)
    assert w2.controller.folders == [str(docs)]
    with qtbot.waitSignal(w2.controller.runFinished, timeout=30_000) as done:
        w2.start()
    s = done.args[0].summary
    assert (s.indexed, s.unchanged) == (0, 4)  # nothing re-read: unchanged files are skipped


def test_remove_asks_then_forgets_the_folder(qtbot, make_window, docs: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    w = make_window()
    with qtbot.waitSignal(w.controller.runFinished, timeout=30_000):
        drop_paths(w, [docs])
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: w.folders.tree.topLevelItemCount() == 1)
    w.folders.tree.topLevelItem(0).setSelected(True)
    with qtbot.waitSignal(w.controller.runFinished, timeout=30_000) as done:
        w.folders.remove_btn.click()
    assert asked and str(docs) in asked[0] and "not touched" in asked[0]
    assert done.args[0].status == "done"
    qtbot.waitUntil(lambda: w.folders.tree.topLevelItemCount() == 0, timeout=10_000)
    assert w.controller.status.passages == 0


def test_failed_files_dialog_lists_each_file_with_its_reason(qtbot, make_window, docs: Path, monkeypatch) -> None:
    from jinasearch.gui.dialogs import FailedFilesDialog

    shown = []
    monkeypatch.setattr(FailedFilesDialog, "exec", lambda self: shown.append(self) or 0)
    w = make_window()
    with qtbot.waitSignal(w.controller.runFinished, timeout=30_000):
        drop_paths(w, [docs])
    qtbot.waitUntil(lambda: w.folders.failed_btn.isEnabled(), timeout=10_000)
    w.folders.failed_btn.click()
    table = shown[0].table
    assert table.rowCount() == 1
    assert table.item(0, 0).text() == str(docs / "broken.pdf")
    assert table.item(0, 1).text()  # a reason a person can read


def test_changing_the_model_re_embeds_in_the_background(qtbot, make_window, docs: Path) -> None:
    from jinasearch.core.library import read_status

    w = make_window()
    with qtbot.waitSignal(w.controller.runFinished, timeout=30_000):
        drop_paths(w, [docs])
    c = w.controller
    old = read_status(c.settings).model
    with qtbot.waitSignal(c.runFinished, timeout=30_000, check_params_cb=lambda r: r.job.reembed) as done:
        c.apply_prefs(type(c.prefs)(model="another-model", chunk_tokens=c.prefs.chunk_tokens))
    assert done.args[0].status == "done" and done.args[0].summary.passages_embedded >= 3
    st = read_status(c.settings)
    assert st.model == "another-model" != old and st.embedded == st.passages


def test_a_repaired_index_says_what_was_kept(qtbot, make_window, docs: Path, tmp_path: Path) -> None:
    w = make_window()
    with qtbot.waitSignal(w.controller.runFinished, timeout=30_000):
        drop_paths(w, [docs])
    w.shutdown()
    (tmp_path / "data" / "index.sqlite3").write_bytes(b"not an index at all" * 300)
    w2 = make_window(start=False)
    with qtbot.waitSignal(w2.controller.runFinished, timeout=30_000) as done:
        w2.start()
    assert done.args[0].status == "done"
    assert w2.banner.isVisible() and w2.banner.text.text().startswith("The index database was damaged")
    assert list((tmp_path / "data").glob("index.sqlite3.corrupt-*"))


def test_the_folder_column_shows_each_folders_own_name() -> None:
    import os

    from jinasearch.gui.folders import folder_names

    home = os.path.expanduser("~")
    paths = ["/srv/manuals/curl", f"{home}/a/docs", "/mnt/b/docs"]
    assert folder_names(paths) == ["curl", "~/a/docs", "/mnt/b/docs"]  # a shared name keeps its path

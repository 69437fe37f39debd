"""The folder watcher turns a burst of file events into one debounced report per root."""

from __future__ import annotations

import threading
from pathlib import Path

from jinasearch.core.watch import FolderWatcher


def test_changes_are_reported_once_per_burst_and_hidden_files_ignored(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    root.mkdir()
    reports: list[set[str]] = []
    got = threading.Event()

    def on_change(roots: set[str]) -> None:
        reports.append(roots)
        got.set()

    w = FolderWatcher(on_change, debounce_s=0.3)
    try:
        assert w.watch(str(root))
        (root / ".hidden").write_text("x")
        for i in range(5):
            (root / f"n{i}.txt").write_text(f"note {i}")
        assert got.wait(10)
        assert reports == [{str(root)}]
        w.unwatch(str(root))
        assert w.roots == []
    finally:
        w.stop()
    assert not any(t.name.startswith("jinasearch-") for t in threading.enumerate() if t.is_alive())


def test_paths_under_ignored_folders_do_not_count(tmp_path: Path) -> None:
    w = FolderWatcher(lambda roots: None, ignore=[str(tmp_path / "data")])
    assert w._ignored(str(tmp_path / "data" / "index.sqlite3"))
    assert w._ignored(str(tmp_path / "docs" / ".git" / "HEAD"))
    assert not w._ignored(str(tmp_path / "docs" / "a.txt"))
    w.stop()

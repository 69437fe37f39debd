"""The app during a first run that has committed nothing: the search worker's typed note and what the list says."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock

from jinasearch.core.config import Settings
from jinasearch.gui.session import SearchSession
from jinasearch.gui.workers import SearchWorker


def answer(worker: SearchWorker, query: str) -> tuple[str, object]:
    got: list[tuple[str, object]] = []
    worker.results.connect(lambda _seq, _hits, note, error: got.append((note, error)))
    worker.search(1, query, None)  # called on this thread: the signal is delivered at once
    worker.close()
    return got[0]


def test_a_run_holding_the_lock_with_nothing_committed_is_noted_as_indexing(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "data", model="fake-embedder")
    settings.data_dir.mkdir()
    with FileLock(str(settings.lock_path)):
        assert answer(SearchWorker(settings, lambda: []), "lava") == ("indexing", None)
    assert answer(SearchWorker(settings, lambda: []), "lava") == ("no-index", None)


def test_the_list_says_to_search_again_in_a_moment() -> None:
    session = SearchSession()
    seq = session.new_query("lava")
    assert session.answered(seq, "indexing", None)
    text = session.empty_text(has_folders=True, busy=True)
    assert "nothing is committed yet" in text and "again in a moment" in text
    session.answered(seq, "no-index", None)
    assert "nothing is committed yet" not in session.empty_text(has_folders=True, busy=True)

"""Unchanged files an older extraction read are read again, and search by meaning never loses them."""

from __future__ import annotations

from pathlib import Path

from jinasearch.core.extract import READER_VERSION
from jinasearch.core.indexer import Indexer
from jinasearch.core.store import Store
from tests.core.helpers import run_index, settings_for, write
from tests.fakes import FakeEmbedder


def test_files_read_by_an_older_extraction_are_refreshed_with_their_vectors_throughout(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    for i in range(40):
        write(root / f"n{i:02}.md", f"# Note {i}\n\nThe heron number {i} stood in the reeds for hours.")
    settings = settings_for(tmp_path)
    run_index(settings, [root], FakeEmbedder())
    store = Store(settings.db_path)
    store.conn.execute("UPDATE documents SET reader = 0")  # as if an older extraction had read them
    store.conn.execute("UPDATE passages SET section = '', text_hash = 'old-' || text_hash")  # its passages
    store.close()

    watcher = Store(settings.db_path, readonly=True)
    pending_seen, refresh_steps = [], 0
    outcome = None
    for p in Indexer(settings, embedder=FakeEmbedder()).index([root]):
        if p.task == "refresh":
            refresh_steps += 1
            pending_seen.append(watcher.count_pending())  # what a searcher would see right now
        outcome = p.outcome or outcome
    assert refresh_steps >= 2  # in groups, not one swap at the end
    assert pending_seen and set(pending_seen) == {0}  # never a passage without its vector
    assert outcome is not None and outcome.summary.indexed == 40
    assert outcome.summary.passages_embedded == 40  # their new texts, embedded by the refresh
    rows = watcher.conn.execute("SELECT COUNT(*), MIN(reader) FROM documents").fetchone()
    assert rows == (40, READER_VERSION)
    sections = {r[0] for r in watcher.conn.execute("SELECT section FROM passages")}
    assert "Note 7" in sections and "" not in sections  # the new passages, with their headings
    assert watcher.count_pending() == 0
    watcher.close()
    again, _ = run_index(settings, [root], FakeEmbedder())
    assert (again.unchanged, again.indexed) == (40, 0)  # once refreshed, left alone

"""Concurrent use: search while another process indexes; a second indexer is refused with a clear message."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from jinasearch.core.errors import IndexBusyError, IndexEmptyError
from jinasearch.core.search import Searcher
from tests.core.store.check import check_finished
from tests.fakes import FakeEmbedder

from . import proc
from .files import QUERIES, make_corpus


def test_search_while_indexing_and_second_indexer(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", n_text=40)
    data = tmp_path / "data"
    settings = proc.settings(data)
    child = proc.start(data, corpus, "--embed-delay", "0.05")
    seen: dict[int, set[str]] = {}  # each passage id's texts shown (a hit may show its neighbour too)
    searches = 0
    busy_refused = False
    searcher: Searcher | None = None
    try:
        deadline = time.monotonic() + 120
        while child.poll() is None and time.monotonic() < deadline:
            if searcher is None:
                try:
                    searcher = Searcher(settings, embedder=FakeEmbedder())
                except (IndexEmptyError, sqlite3.OperationalError):
                    time.sleep(0.05)  # the child has not created the database yet
                    continue
            if not busy_refused and settings.lock_path.exists():
                with pytest.raises(IndexBusyError, match="another jinasearch process is indexing"):
                    next(proc.index_gen(data, corpus))
                busy_refused = True
            for q in QUERIES:
                for mode in ("hybrid", "keyword"):
                    try:
                        hits = searcher.search(q, k=5, mode=mode)  # type: ignore[arg-type]
                    except IndexEmptyError:
                        continue
                    searches += 1
                    for h in hits:
                        seen.setdefault(h.passage_id, set()).add(h.text)
    finally:
        if searcher is not None:
            searcher.close()
        out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err[-2000:]
    assert busy_refused and searches > 20 and seen
    # Every hit shown during indexing is a committed passage (files did not change, so none went away).
    conn = sqlite3.connect(settings.db_path)
    rows = dict(conn.execute(f"SELECT id, text FROM passages WHERE id IN ({','.join(map(str, seen))})").fetchall())
    conn.close()
    assert set(rows) == set(seen)
    # ... and shows that passage, alone or with the one next to it (retrieval/neighbours.py).
    assert all(rows[pid] in text for pid, texts in seen.items() for text in texts)
    assert check_finished(settings) == []

"""A hybrid search ranks passages still waiting for their vector by meaning: it embeds its best keyword
candidates itself (core/retrieval/fresh.py), keeps those vectors and never embeds a text twice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from jinasearch.core.config import Settings
from jinasearch.core.embed import Embedder
from jinasearch.core.retrieval import fresh
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from jinasearch.core.store.sidecar import SideVectors, side_path
from tests.core.retrieval.fresh_helpers import ANSWER, BAIT, NEW, QUERY, CountingEmbedder, library


@pytest.fixture
def roomy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A time box no test machine runs out of: these tests are about ranking and reuse, not speed
    (benchmarks/query_embed.py measures that)."""
    monkeypatch.setattr(fresh, "FRESH_BUDGET_S", 60.0)


def top_file(searcher: Searcher, query: str = QUERY) -> str:
    try:
        hits = searcher.search(query, k=3, sentences=False)
        return Path(hits[0].path).name
    finally:
        searcher.close()


def pending_inputs(settings: Settings) -> set[str]:
    """What the indexer will embed for the passages waiting for a vector."""
    store = Store(settings.db_path, readonly=True)
    try:
        return {p.text for p in store.pending(100)}
    finally:
        store.close()


def test_a_passage_without_a_vector_is_ranked_by_meaning(
    tmp_path: Path, minilm: Embedder, minilm_path: str, roomy: None
) -> None:
    settings = library(tmp_path, minilm, minilm_path)
    # The stand-in cosine cannot tell the new files apart: the one holding the query's words wins.
    assert top_file(Searcher(settings, embedder=minilm, embed_fresh=False)) == BAIT
    assert top_file(Searcher(settings, embedder=minilm)) == ANSWER


def test_with_no_vector_in_the_index_yet_the_query_and_its_candidates_are_embedded(
    tmp_path: Path, minilm: Embedder, minilm_path: str, roomy: None
) -> None:
    settings = library(tmp_path, minilm, minilm_path, none_embedded=True)
    store = Store(settings.db_path, readonly=True)
    assert store.dim() is None  # not even the dimension is recorded yet
    store.close()
    assert top_file(Searcher(settings, embedder=minilm, embed_fresh=False)) == BAIT  # words alone
    counting = CountingEmbedder(minilm)
    searcher = Searcher(settings, embedder=counting)
    try:
        hits = searcher.search(QUERY, k=3, sentences=False)
        assert Path(hits[0].path).name == ANSWER and hits[0].evidence and hits[0].evidence.cosine is not None
        # By meaning alone and by words alone nothing changes: no passage is embedded for them.
        seen = len(counting.passages())
        assert searcher.search(QUERY, k=3, mode="semantic") == []
        assert searcher.search(QUERY, k=3, mode="keyword")
        assert len(counting.passages()) == seen
    finally:
        searcher.close()


def test_query_time_vectors_are_stored_once_and_reused(
    tmp_path: Path, minilm: Embedder, minilm_path: str, roomy: None
) -> None:
    settings = library(tmp_path, minilm, minilm_path)
    counting = CountingEmbedder(minilm)
    searcher = Searcher(settings, embedder=counting)
    try:
        searcher.search(QUERY, k=3, sentences=False)
        # Exactly what the indexer embeds for those passages, each once.
        assert sorted(counting.passages()) == sorted(pending_inputs(settings))
        assert len(counting.passages()) == len(NEW)
        searcher.search(QUERY, k=3, sentences=False)
        assert len(counting.passages()) == len(NEW)  # the second time from memory
    finally:
        searcher.close()
    # Another searcher (another process, the next session) finds them in the side file.
    again = CountingEmbedder(minilm)
    assert top_file(Searcher(settings, embedder=again)) == ANSWER
    assert again.passages() == []
    # Kept by text hash, for the index's model: the very vectors the indexer would compute.
    store = Store(settings.db_path, readonly=True)
    model, dim, waiting = store.model(), store.dim(), store.pending(100)
    store.close()
    assert model is not None and dim is not None
    side = SideVectors(settings.data_dir)
    kept = side.get(model, dim, [p.text_hash for p in waiting])
    assert side.count() == len(kept) == len(NEW)
    side.close()
    for p, vec in zip(waiting, minilm.encode([p.text for p in waiting])):
        assert float(kept[p.text_hash] @ vec) > 0.9999


def test_side_vectors_of_another_model_or_size_are_not_used(
    tmp_path: Path, minilm: Embedder, minilm_path: str, roomy: None
) -> None:
    settings = library(tmp_path, minilm, minilm_path)
    store = Store(settings.db_path, readonly=True)
    model, hashes = store.model(), [p.text_hash for p in store.pending(100)]
    store.close()
    assert model is not None
    rng = np.random.default_rng(0)
    side = SideVectors(settings.data_dir)
    noise = {h: rng.standard_normal(minilm.dim).astype(np.float32) for h in hashes}
    assert side.put("another-model", minilm.dim, noise)
    assert side.put(model, minilm.dim + 1, {h: rng.standard_normal(minilm.dim + 1) for h in hashes})
    side.close()
    counting = CountingEmbedder(minilm)
    assert top_file(Searcher(settings, embedder=counting)) == ANSWER
    assert len(counting.passages()) == len(NEW)  # embedded anew, with the index's model


def test_a_broken_side_file_does_not_break_search(
    tmp_path: Path, minilm: Embedder, minilm_path: str, roomy: None
) -> None:
    settings = library(tmp_path, minilm, minilm_path)
    side_path(settings.data_dir).write_bytes(b"this is not a database" * 100)
    counting = CountingEmbedder(minilm)
    searcher = Searcher(settings, embedder=counting)
    try:
        assert Path(searcher.search(QUERY, k=3, sentences=False)[0].path).name == ANSWER
        searcher.search(QUERY, k=3, sentences=False)
        assert len(counting.passages()) == len(NEW)  # still kept in memory
    finally:
        searcher.close()


def test_a_locked_side_file_does_not_hold_search_up(
    tmp_path: Path, minilm: Embedder, minilm_path: str, roomy: None
) -> None:
    settings = library(tmp_path, minilm, minilm_path)
    SideVectors(settings.data_dir).put("another-model", 2, {"h": np.ones(2)})  # the file exists
    holder = sqlite3.connect(side_path(settings.data_dir), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing it, for longer than a search waits
    try:
        assert top_file(Searcher(settings, embedder=minilm)) == ANSWER
    finally:
        holder.execute("ROLLBACK")
        holder.close()

"""The indexer adopts the vectors searches computed for passages waiting for theirs (the side file,
core/store/sidecar.py) instead of embedding those texts again, and only those of the index's model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from jinasearch.core.config import Settings
from jinasearch.core.control import Control
from jinasearch.core.embed import Embedder
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.indexing.background import BackgroundEmbedder
from jinasearch.core.indexing.embedding import Encoder
from jinasearch.core.retrieval import fresh
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from jinasearch.core.store.sidecar import SideVectors, side_path
from tests.core.retrieval.fresh_helpers import NEW, QUERY, CountingEmbedder, library, pending


@pytest.fixture(autouse=True)
def roomy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fresh, "FRESH_BUDGET_S", 60.0)  # every candidate embedded, however busy the machine


def side_entries(settings: Settings) -> tuple[str, dict[str, np.ndarray]]:
    """The index's model and what the side file holds for it, by text hash of the pending passages."""
    store = Store(settings.db_path, readonly=True)
    try:
        model, dim, hashes = store.model(), store.dim(), [p.text_hash for p in store.pending(100)]
    finally:
        store.close()
    assert model is not None and dim is not None
    side = SideVectors(settings.data_dir)
    try:
        return model, side.get(model, dim, hashes)
    finally:
        side.close()


def stored_vectors(settings: Settings) -> dict[str, np.ndarray]:
    store = Store(settings.db_path, readonly=True)
    try:
        rows = store.conn.execute("SELECT text_hash, vector FROM passages WHERE vector IS NOT NULL")
        return {h: np.frombuffer(v, dtype=np.float32) for h, v in rows}
    finally:
        store.close()


def search_once(settings: Settings, emb: Embedder) -> None:
    searcher = Searcher(settings, embedder=emb)
    try:
        searcher.search(QUERY, k=3, sentences=False)
    finally:
        searcher.close()


def test_the_indexer_adopts_what_a_search_embedded(tmp_path: Path, minilm: Embedder, minilm_path: str) -> None:
    settings = library(tmp_path, minilm, minilm_path)
    search_once(settings, minilm)
    _model, computed = side_entries(settings)
    assert len(computed) == len(NEW)
    counting = CountingEmbedder(minilm)
    outcome = run_to_end(Indexer(settings, embedder=counting).index([tmp_path / "docs"]))
    assert outcome.state == "done" and pending(settings) == 0
    assert counting.encoded == []  # not one text embedded again
    stored = stored_vectors(settings)
    for h, vec in computed.items():
        assert np.array_equal(stored[h], vec)
    assert SideVectors(settings.data_dir).count() == 0  # adopted, so forgotten


def test_another_models_vectors_are_never_adopted(tmp_path: Path, minilm: Embedder, minilm_path: str) -> None:
    settings = library(tmp_path, minilm, minilm_path)
    search_once(settings, minilm)
    model, computed = side_entries(settings)
    side = SideVectors(settings.data_dir)
    noise = {h: -v for h, v in computed.items()}  # what another model said of the same texts
    side.put("another-model", minilm.dim, noise)
    side.delete(model, list(computed))
    side.close()
    counting = CountingEmbedder(minilm)
    run_to_end(Indexer(settings, embedder=counting).index([tmp_path / "docs"]))
    assert len(counting.encoded) == len(NEW)  # the index's model embedded them itself
    stored = stored_vectors(settings)
    for h, vec in computed.items():
        assert float(stored[h] @ vec) > 0.99
    assert SideVectors(settings.data_dir).count() == 0  # the other model's entries can never be adopted


def test_the_background_embedder_adopts_before_it_hands_out_a_window(
    tmp_path: Path, minilm: Embedder, minilm_path: str
) -> None:
    settings = library(tmp_path, minilm, minilm_path)
    search_once(settings, minilm)
    model, computed = side_entries(settings)
    kept = sorted(computed)[0]
    SideVectors(settings.data_dir).delete(model, [kept])  # one text the search did not get to
    counting = CountingEmbedder(minilm)
    counting.batch_size = 1
    store = Store(settings.db_path)
    bg = BackgroundEmbedder(Encoder(counting, Control()), store, batches=1)
    try:
        while store.count_pending():
            bg.step()
        bg.close()
    finally:
        store.close()
    assert len(counting.encoded) == 1 and bg.embedded == len(NEW)


def test_a_broken_side_file_does_not_break_indexing(tmp_path: Path, minilm: Embedder, minilm_path: str) -> None:
    settings = library(tmp_path, minilm, minilm_path)
    side_path(settings.data_dir).write_bytes(b"not a database at all" * 200)
    outcome = run_to_end(Indexer(settings, embedder=minilm).index([tmp_path / "docs"]))
    assert outcome.state == "done" and pending(settings) == 0
    assert not side_path(settings.data_dir).exists()  # a damaged cache is removed, not kept

"""--same-model: the person says a served model computes the index's vectors (the same weights), so the
index takes it without re-embedding; without it a local and a served model are different models."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.errors import ModelMismatchError
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from tests.core.helpers import settings_for
from tests.core.indexing.served import QUERIES, write_topics
from tests.fakes import FakeEmbedder
from tests.servers.ollama_standin import OllamaStandIn

pytestmark = [pytest.mark.server, pytest.mark.model]


def model_and_vectors(db: Path) -> tuple[str | None, int]:
    store = Store(db, readonly=True)
    try:
        return store.model(), store.counts().embedded
    finally:
        store.close()


def top_file(settings, query: str) -> str:  # type: ignore[no-untyped-def]
    searcher = Searcher(settings)
    try:
        return Path(searcher.search(query, k=1, mode="semantic", weak=True)[0].path).name
    finally:
        searcher.close()


def test_a_served_model_said_to_be_the_same_keeps_every_vector(
    tmp_path: Path, minilm_path: str, minilm, ollama_standin: OllamaStandIn
) -> None:
    docs = write_topics(tmp_path / "docs")
    local = settings_for(tmp_path, model=minilm_path)
    run_to_end(Indexer(local, embedder=minilm).index([docs]))
    _, embedded = model_and_vectors(local.db_path)
    served = settings_for(tmp_path, model="all-minilm", server=ollama_standin.url)
    with pytest.raises(ModelMismatchError, match="--reembed"):  # another model unless the person says so
        run_to_end(Indexer(served).index([docs]))
    ollama_standin.clear_requests()
    outcome = run_to_end(Indexer(served, reembed="same").index([docs]))
    assert outcome.state == "done"
    assert model_and_vectors(served.db_path) == ("server:all-minilm", embedded)
    # Only the dimension probe went to the server: nothing was embedded again.
    assert len(ollama_standin.embed_requests) == 1
    query, answer = next(iter(QUERIES.items()))
    assert top_file(served, query) == answer  # queries now go to the server, against the kept vectors


def test_another_dimension_cannot_be_the_same_model(tmp_path: Path, ollama_standin: OllamaStandIn) -> None:
    docs = write_topics(tmp_path / "docs")
    fake = settings_for(tmp_path, model="fake-embedder")
    run_to_end(Indexer(fake, embedder=FakeEmbedder()).index([docs]))
    served = settings_for(tmp_path, model="all-minilm", server=ollama_standin.url)
    with pytest.raises(ModelMismatchError, match="384 dimensions"):
        run_to_end(Indexer(served, reembed="same").index([docs]))
    assert model_and_vectors(served.db_path)[0] == "fake-embedder"  # nothing changed

"""No model yet (offline before its first download, a failed download): files are still indexed for
keyword search at once, and the next run with the model adds the vectors without cutting anything again."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.embed.tokenizer import EstimatedTokenizer
from jinasearch.core.errors import ModelUnavailableError
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from tests.core.helpers import settings_for, write
from tests.fakes import FakeEmbedder

PROSE = (
    "The harbour office issues mooring permits for the summer season. Boats longer than twelve metres "
    "need a survey certificate. Payment is due before the first of May. "
) * 12


def offline(name: str, device: str) -> FakeEmbedder:
    raise ModelUnavailableError(f"model '{name}' is not downloaded yet and the model hub cannot be reached.")


def passages(settings) -> list[str]:  # type: ignore[no-untyped-def]
    store = Store(settings.db_path, readonly=True)
    try:
        return [r[0] for r in store.conn.execute("SELECT text FROM passages ORDER BY id")]
    finally:
        store.close()


def test_without_the_model_files_are_keyword_searchable_and_get_vectors_later(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "permits.txt", PROSE)
    write(docs / "recipe.md", "# Soup\n\nSimmer the lentils with cumin for forty minutes.")
    settings = settings_for(tmp_path, model="some-hub/model-name")

    progress = list(Indexer(settings, embedder_factory=offline).index([docs]))
    first = progress[-1].outcome
    assert first is not None and first.keyword_only and "not downloaded yet" in str(first.keyword_only)
    assert progress[-1].phase == "done" and first.state == "keyword-only"
    assert first.summary.indexed == 2 and first.summary.passages_embedded == 0
    cut_then = passages(settings)
    assert len(cut_then) > 2  # the long file was cut into several passages, by the estimate
    estimate = EstimatedTokenizer()
    assert all(estimate.count([t])[0] <= settings.chunk_tokens for t in cut_then)

    searcher = Searcher(settings, load_model=False)
    hits = searcher.search("mooring permits", k=5, mode="keyword")
    assert hits and hits[0].path.endswith("permits.txt")
    searcher.close()

    # A run with nothing changed and still no model finishes too (the app re-indexes at every start).
    again = run_to_end(Indexer(settings, embedder_factory=offline).index([docs]))
    assert again.keyword_only and again.summary.unchanged == 2

    # The model is there now: the waiting passages get their vectors, cut as they were.
    emb = FakeEmbedder()
    later = run_to_end(Indexer(settings, embedder=emb).index([docs]))
    assert later.keyword_only is None and later.summary.passages_embedded == len(cut_then)
    assert passages(settings) == cut_then
    store = Store(settings.db_path, readonly=True)
    assert store.count_pending() == 0
    store.close()


def test_a_local_model_folder_that_fails_to_load_is_still_an_error(tmp_path: Path) -> None:
    """A folder the person chose is theirs to fix: say so rather than quietly index without it."""
    docs = tmp_path / "docs"
    write(docs / "a.txt", "alpha beta gamma")
    folder = tmp_path / "my-model"
    folder.mkdir()
    with pytest.raises(ModelUnavailableError):
        list(Indexer(settings_for(tmp_path, model=str(folder)), embedder_factory=offline).index([docs]))

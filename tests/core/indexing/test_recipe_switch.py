"""Another recipe re-embeds like a model switch (real MiniLM): late chunking's vectors are staged while
search keeps answering with the naive ones, then swapped in at once; a searcher opened before the swap
follows it and its FAISS cache serves no naive vector after."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from jinasearch.core.config import Recipe, Settings
from jinasearch.core.control import Control
from jinasearch.core.embed import Embedder
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from jinasearch.core.store.staging import Staging
from tests.core.indexing.late_helpers import QUESTIONS, Traced, meta, write_long_note, write_subject_notes
from tests.core.store.check import check_finished

pytestmark = pytest.mark.model

QUESTION = QUESTIONS[0]


def answers(searcher: Searcher) -> list[tuple[int, float]]:
    """(passage id, score) of every passage semantic search gives for QUESTION, best file first."""
    hits = searcher.search(QUESTION, mode="semantic", k=5, per_file=10, weak=True, sentences=False)
    return [(h.passage_id, h.score) for h in hits]


def same(a: list[tuple[int, float]], b: list[tuple[int, float]], tol: float = 1e-6) -> bool:
    """The same passages in the same order with the same scores."""
    return [p for p, _ in a] == [p for p, _ in b] and bool(np.allclose([s for _, s in a], [s for _, s in b], atol=tol))


def vectors_by_id(settings: Settings) -> dict[int, np.ndarray]:
    store = Store(settings.db_path, readonly=True)
    try:
        rows = store.conn.execute("SELECT id, vector FROM passages WHERE vector IS NOT NULL").fetchall()
    finally:
        store.close()
    return {pid: np.frombuffer(blob, dtype=np.float32) for pid, blob in rows}


def staging_state(settings: Settings) -> tuple[str, str, int, int, int]:
    """(recorded recipe, staged recipe, staged texts, texts still to stage, passages without a vector)."""
    store = Store(settings.db_path, readonly=True)
    try:
        staging = Staging(store)
        return store.recipe(), staging.recipe, staging.count_staged(), staging.count_unstaged(), store.count_pending()
    finally:
        store.close()


@pytest.fixture
def naive_index(minilm, minilm_path: str, tmp_path: Path) -> tuple[Settings, Path]:  # type: ignore[no-untyped-def]
    """The two machine notes and two logs (16 passages of 64 tokens), indexed naive."""
    root = tmp_path / "docs"
    write_subject_notes(root)
    for i in range(2):
        write_long_note(root / f"log-{i}.txt", paragraphs=6, first=10 * i)
    naive = Settings(data_dir=tmp_path / "data", model=minilm_path, chunk_tokens=64, overlap_tokens=8)
    run_to_end(Indexer(naive, embedder=minilm).index([root]))
    assert meta(naive.db_path, "recipe") == "naive"
    return naive, root


def assert_late_answers(
    after: list[tuple[int, float]], before: list[tuple[int, float]], settings: Settings, minilm: Embedder
) -> None:
    """Each score is the query's cosine with the passage's vector in SQLite now (FAISS keeps float16
    copies), and some passage's score tells a late vector from its naive one."""
    q, stored = minilm.encode_query(QUESTION), vectors_by_id(settings)
    assert not same(after, before, 1e-3)
    old = dict(before)
    for pid, score in after:
        assert score == pytest.approx(float(stored[pid] @ q), abs=1e-3)
    assert any(abs(score - old[pid]) > 0.05 for pid, score in after)


def test_late_chunking_is_staged_while_search_answers_with_the_naive_vectors(  # type: ignore[no-untyped-def]
    minilm, naive_index: tuple[Settings, Path]
) -> None:
    naive, root = naive_index
    old_vectors = vectors_by_id(naive)
    searcher = Searcher(naive, embedder=minilm)
    before = answers(searcher)  # the FAISS cache is loaded now, with the naive vectors

    # Asked for late chunking: the run stages (writes of 4 texts), stopped after its first write. The
    # searches in between run while the writer is mid-staging.
    control = Control()
    late = replace(naive, recipe=Recipe(late=True, window=512))
    progress = []
    for p in Indexer(late, embedder=Traced(minilm, batch_size=1), control=control).index([root]):
        progress.append(p)
        if p.phase == "embed" and p.passages_done > 0 and not control.cancelled:
            assert p.task == "reembed"
            recorded, staged, done, left, pending = staging_state(naive)
            assert (recorded, staged, pending) == ("naive", "late:512", 0) and done > 0 and left > 0
            for s in (searcher, Searcher(naive, embedder=minilm)):
                assert same(answers(s), before)
            control.cancel()
    outcome = progress[-1].outcome
    assert outcome is not None and outcome.swap_seconds is None
    assert staging_state(naive)[:2] == ("naive", "late:512") and vectors_by_id(naive).keys() == old_vectors.keys()
    assert all(np.array_equal(v, old_vectors[k]) for k, v in vectors_by_id(naive).items())
    assert same(answers(searcher), before)
    searcher.close()

    # Resumed without the flag: the staged recipe goes on (only what is left), then the swap.
    resumed = Traced(minilm)
    outcome = run_to_end(Indexer(naive, embedder=resumed).index([root]))
    assert outcome.swap_seconds is not None and resumed.windows
    recorded, staged, done, _, pending = staging_state(naive)
    assert (recorded, staged, done, pending) == ("late:512", "naive", 0, 0)  # recorded late, nothing staged
    assert meta(naive.db_path, "staged_model") is None and check_finished(late) == []
    new_vectors = vectors_by_id(naive)
    assert new_vectors.keys() == old_vectors.keys()
    cosines = [float(new_vectors[p] @ old_vectors[p]) for p in new_vectors]
    assert sum(c < 0.99 for c in cosines) >= len(cosines) // 2  # changed: read in their documents

    # A searcher opened now answers from the late vectors (the FAISS file was rebuilt from them), and
    # the switch did what it is for: the Quorvex note's blades passage, which never names the machine,
    # outranks the other machine's (tests/core/test_late_search.py).
    fresh = Searcher(naive, embedder=minilm)
    assert_late_answers(answers(fresh), before, naive, minilm)
    hits = fresh.search(QUESTION, mode="semantic", k=5, per_file=10, weak=True, sentences=False)
    fresh.close()
    score = {Path(h.path).name: h.score for h in hits if "bronze alloy" in h.text}
    assert score["notes-1.txt"] > score["notes-2.txt"] + 0.05


def test_asking_for_naive_again_before_the_swap_discards_what_was_staged(  # type: ignore[no-untyped-def]
    minilm, naive_index: tuple[Settings, Path]
) -> None:
    naive, root = naive_index
    old_vectors = vectors_by_id(naive)
    control = Control()
    late = replace(naive, recipe=Recipe(late=True, window=512))
    for p in Indexer(late, embedder=Traced(minilm, batch_size=1), control=control).index([root]):
        if p.phase == "embed" and p.passages_done > 0:
            control.cancel()
    recorded, staged, done, left, _ = staging_state(naive)
    # One write: 4 rows (batch_size 1 x 4 for late chunking), run on to the end of its document.
    assert (recorded, staged) == ("naive", "late:512") and 4 <= done <= 16 and left > 0
    traced = Traced(minilm)
    outcome = run_to_end(Indexer(replace(naive, recipe=Recipe()), embedder=traced).index([root]))
    assert outcome.summary.passages_embedded == 0 and traced.windows == []  # nothing lost, nothing redone
    recorded, staged, done, _, pending = staging_state(naive)
    assert (recorded, staged, done, pending) == ("naive", "naive", 0, 0) and meta(naive.db_path, "staged_model") is None
    assert all(np.array_equal(v, old_vectors[k]) for k, v in vectors_by_id(naive).items())


def test_a_searcher_opened_before_the_swap_serves_no_naive_vector_after_it(  # type: ignore[no-untyped-def]
    minilm, naive_index: tuple[Settings, Path]
) -> None:
    naive, root = naive_index
    searcher = Searcher(naive, embedder=minilm)  # as the app's search thread holds one
    try:
        before = answers(searcher)  # its FAISS cache loaded, with the naive vectors
        late = replace(naive, recipe=Recipe(late=True, window=512))
        assert run_to_end(Indexer(late, embedder=minilm).index([root])).swap_seconds is not None
        assert meta(naive.db_path, "recipe") == "late:512"
        assert_late_answers(answers(searcher), before, naive, minilm)
    finally:
        searcher.close()

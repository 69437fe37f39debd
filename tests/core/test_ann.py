"""The vector index switches from exact to IVF+SQ8 past a threshold, in the background, keyed by passage id."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from jinasearch.core.config import Settings
from jinasearch.core.indexer import Indexer
from jinasearch.core.models import Filters
from jinasearch.core.search import Searcher
from jinasearch.core.store import ann
from jinasearch.core.store import vectors as V
from tests.fakes import FakeEmbedder

DIM = 32


def _clustered(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((40, DIM))
    x = centres[rng.integers(0, 40, n)] + 0.4 * rng.standard_normal((n, DIM))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(V, "ANN_THRESHOLD", 2000)


def test_background_rebuild_keeps_serving_and_replays_changes(small_threshold: None) -> None:
    mat = _clustered(4000)
    ids = np.arange(1, 4001, dtype=np.int64) * 7
    vi = V.VectorIndex(DIM)
    vi._add(ids[:3000], mat[:3000])
    assert vi.kind == "exact" and vi.needs_rebuild()
    vi.rebuild(wait=False)
    # While it builds, the exact index answers and keeps changing.
    assert vi.search(mat[5], 1)[0][0] == ids[5]
    vi._add(ids[3000:], mat[3000:])
    vi._remove(ids[:10])
    assert vi._building is not None
    vi._building.join()
    assert vi.search(mat[3500], 1)[0][0] == ids[3500]  # adopts the build, then answers from it
    assert vi.kind == "ivf"
    assert np.array_equal(vi.ids(), np.sort(ids[10:]))
    assert ids[0] not in {i for i, _ in vi.search(mat[0], 50)}


def test_ivf_filters_and_recall(small_threshold: None) -> None:
    mat = _clustered(4000, seed=1)
    ids = np.arange(100, 4100, dtype=np.int64)
    vi = V.VectorIndex(DIM, V.build_ann(ids, mat, DIM))
    allowed = ids[::10]
    hits = vi.search(mat[20], 10, allowed)
    assert hits and {i for i, _ in hits} <= set(allowed.tolist()) and hits[0][0] == ids[20]
    queries = _clustered(50, seed=2)
    exact = np.argsort(-(queries @ mat.T), axis=1)[:, :10]
    got = [[i - 100 for i, _ in vi.search(q, 10)] for q in queries]
    recall = np.mean([len(set(g) & set(e.tolist())) / 10 for g, e in zip(got, exact)])
    assert recall >= 0.9


def test_save_load_roundtrip_keeps_ivf(tmp_path: Path, small_threshold: None) -> None:
    mat = _clustered(3000, seed=3)
    ids = np.arange(3000, dtype=np.int64) * 3 + 1
    vi = V.VectorIndex(DIM, V.build_ann(ids, mat, DIM), version=5)
    vi.save(tmp_path / "v.faiss")
    back = V.VectorIndex.load(tmp_path / "v.faiss", DIM)
    assert back is not None and back.kind == "ivf" and back.version == 5
    assert np.array_equal(back.ids(), np.sort(ids))
    ids2, dec = ann.vectors_of(back.index, ids[:3])
    assert np.array_equal(ids2, ids[:3]) and np.allclose(dec, mat[:3], atol=0.05)


def test_indexer_saves_ivf_past_threshold_and_sync_follows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(V, "ANN_THRESHOLD", 300)
    docs = tmp_path / "docs"
    docs.mkdir()
    words = "river mountain valley forest desert ocean island canyon glacier meadow".split()
    for i in range(400):
        (docs / f"n{i}.txt").write_text(f"note {i} about {words[i % 10]} and {words[(i * 3) % 10]} code{i}")
    emb = FakeEmbedder()
    settings = Settings(data_dir=tmp_path / "data", model="fake")
    for _ in Indexer(settings, embedder=emb).index([docs]):
        pass
    s = Searcher(settings, embedder=emb)
    vi = s.vectors()
    assert vi is not None and vi.kind == "ivf" and len(vi) == 400
    hits = s.search("code123", mode="hybrid", k=3)
    assert hits[0].path.endswith("n123.txt")
    only = s.search("river", mode="semantic", k=5, filters=Filters(folder=str(docs)))
    assert only
    for i in range(10):
        (docs / f"n{i}.txt").unlink()
    for _ in Indexer(settings, embedder=emb).index([docs]):
        pass
    assert len(s.vectors() or []) == 390
    s.close()


def test_exhaustive_tier_is_float16_with_the_float32_top10() -> None:
    mat = _clustered(3000, seed=3)
    ids = np.arange(1, 3001, dtype=np.int64)
    vi = V.VectorIndex(DIM)
    vi._add(ids, mat)
    assert vi.kind == "exact" and "ScalarQuantizer" in type(ann.faiss_module().downcast_index(vi.index.index)).__name__
    queries = _clustered(40, seed=4)
    truth = queries @ mat.T
    for q, row in zip(queries, truth):
        hits = vi.search(q, 10)
        want = set((np.argsort(-row)[:10] + 1).tolist())
        assert len({i for i, _ in hits} & want) >= 9  # float16 may swap a near-tie at the 10th place
        assert all(abs(s - row[i - 1]) < 2e-3 for i, s in hits)
    # Reading the vectors back (what an IVF rebuild starts from) gives them within float16 rounding.
    got_ids, got = ann.vectors_of(vi.index, None)
    assert np.array_equal(got_ids, ids) and np.abs(got - mat).max() < 2e-3


def test_a_search_leaves_the_threads_torch_runs_on_as_they_were() -> None:
    # FAISS and torch share one OpenMP runtime: a search scanned on one core must not leave every
    # later encode on the calling thread on one core too.
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    mat = _clustered(100)
    vi = V.VectorIndex(DIM)
    vi._add(np.arange(100, dtype=np.int64), mat)
    assert vi.search(mat[3], 1)[0][0] == 3
    assert torch.get_num_threads() == before

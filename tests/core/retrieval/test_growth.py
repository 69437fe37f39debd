"""The growing candidate pool: the last round adds other files' passages only, and growth stops when it can.

Mechanics with the fake embedder (no quality claim: docs/benchmarks.md measures that on docs-dev)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest

from jinasearch.core import search
from jinasearch.core.retrieval.growth import Round, best_files, other_files
from jinasearch.core.retrieval.hybrid import Rounds
from jinasearch.core.search import Searcher
from jinasearch.core.store import HitRow
from tests.core.helpers import run_index, settings_for, write
from tests.fakes import FakeEmbedder


def test_other_files_keeps_the_round_before_and_adds_only_new_documents() -> None:
    before = {1: 10, 2: 10, 3: 20}  # passage -> document
    docs = {4: 10, 5: 30, 6: 20, 7: 40}  # 8 was deleted meanwhile: no document
    asked: list[list[int]] = []

    def docs_of(ids: object) -> Mapping[int, int]:
        asked.append(list(ids))  # type: ignore[call-overload]
        return {pid: docs[pid] for pid in asked[-1] if pid in docs}

    dense = [(1, 0.9), (4, 0.8), (5, 0.7), (8, 0.6)]
    keyword = [(3, 5.0), (6, 4.0), (7, 3.0), (5, 2.0)]
    assert other_files((dense, keyword), before, docs_of) == [[(1, 0.9), (5, 0.7)], [(3, 5.0), (7, 3.0), (5, 2.0)]]
    assert asked == [[4, 5, 8, 6, 7]]  # one read, for the new candidates only


def row(pid: int, doc: int) -> HitRow:
    return HitRow(pid, doc, f"/d/{doc}.txt", None, f"text {pid}", 0, 1, 0.0)


def test_the_pool_grows_until_k_files_and_the_last_round_is_given_the_round_before() -> None:
    calls: list[tuple[int, dict[int, int] | None]] = []
    qvec = np.ones(4, dtype=np.float32)

    def rank(n: int, known: np.ndarray | None, before: Mapping[int, int] | None) -> Round:
        calls.append((n, None if before is None else dict(before)))
        assert (known is None) == (len(calls) == 1)  # the query is embedded once, in the first round
        # One long document (doc 1) fills the pool until the pool holds 4 x 50 passages and more.
        ids = list(range(n)) if n < 800 else list(range(200)) + [1000, 1001, 1002]
        rows = {pid: row(pid, 1 if pid < 1000 else pid) for pid in ids}
        return [(pid, 1.0 - pid / 2000) for pid in ids], rows, {}, qvec, {}

    picked, _, got, _, weak = best_files(rank, 50, 3, 1, None, False, Rounds(), 2)
    assert [n for n, _ in calls] == [50, 200, 800]
    assert calls[0][1] is None and calls[1][1] is None  # the first grown round ranks passages as before
    assert calls[2][1] == {pid: 1 for pid in range(200)}  # the last keeps those and adds other files
    assert [r.doc_id for r, _ in picked] == [1, 1000, 1001] and got is qvec and weak == set()


def test_growth_stops_when_the_retrievers_found_fewer_than_asked() -> None:
    sizes: list[int] = []
    rounds = Rounds()

    def rank(n: int, known: np.ndarray | None, before: Mapping[int, int] | None) -> Round:
        sizes.append(n)
        rounds.short = True  # the whole index holds these 5 passages
        return [(i, 1.0) for i in range(5)], {i: row(i, 1) for i in range(5)}, {}, None, {}

    picked, *_ = best_files(rank, 50, 10, 1, None, False, rounds, 2)
    assert sizes == [50] and len(picked) == 1


def test_a_long_document_does_not_keep_other_files_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "docs"
    write(root / "manual.txt", "\n\n".join(f"Lantern lantern lantern, chapter {i}." for i in range(120)))
    for i, where in enumerate(["shed", "attic", "barn", "porch"]):
        write(root / f"note{i}.txt", f"Lantern in the {where}.")
    settings = settings_for(tmp_path, chunk_tokens=12, overlap_tokens=0)
    run_index(settings, [root], FakeEmbedder())
    monkeypatch.setattr(search, "CANDIDATES", 5)  # the manual alone fills pools of 10 and 40 passages
    sizes: list[int] = []
    real_rank = Searcher._rank

    def spy(self: Searcher, *args: object, **kw: object) -> Round:
        out = real_rank(self, *args, **kw)  # type: ignore[arg-type]
        sizes.append(len(out[0]))
        return out

    monkeypatch.setattr(Searcher, "_rank", spy)
    s = Searcher(settings, embedder=FakeEmbedder())
    try:
        hits = s.search("lantern", k=5, mode="keyword")  # BM25 ranks the manual first
    finally:
        s.close()
    assert sorted(Path(h.path).name for h in hits) == ["manual.txt"] + [f"note{i}.txt" for i in range(4)]
    # Rounds of 10, 40 and then 160 passages asked for: the last scored the 40 before and the notes,
    # not the manual's other 80.
    assert len(sizes) == 3 and sizes[1] >= 40 and sizes[2] <= sizes[1] + 4

"""The time box of query-time embedding (core/retrieval/fresh.py), on a clock the test moves: candidates are
embedded in keyword order while the budget lasts, at most FRESH_MAX, and a slow moment does not stop it for good.

The embedder here is a fake with a known cost: these tests are about the bound, not about search quality."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jinasearch.core.retrieval import fresh
from jinasearch.core.retrieval.fresh import FreshVectors
from jinasearch.core.store import HitRow
from tests.fakes import FakeEmbedder


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class CostlyEmbedder(FakeEmbedder):
    """Each call moves the clock by `per_char` seconds per character of its padded input."""

    def __init__(self, clock: Clock, per_char: float) -> None:
        super().__init__()
        self.clock, self.per_char = clock, per_char
        self.sizes: list[int] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.clock.now += self.per_char * len(texts) * max((len(t) for t in texts), default=0)
        self.sizes.append(len(texts))
        return super().encode(texts)


def candidates(n: int, start: int = 0) -> list[HitRow]:
    """Passages of exactly 100 characters (no title or heading: the model embeds the text alone)."""
    return [
        HitRow(i, i, f"/d/{i}.txt", None, f"passage {i:04d} ".ljust(100, "x"), 0, 100, 0.0)
        for i in range(start, start + n)
    ]


def test_a_query_embeds_in_keyword_order_until_its_budget_is_spent() -> None:
    clock = Clock()
    emb = CostlyEmbedder(clock, per_char=0.001)  # 0.1 s a passage
    cache = FreshVectors(None, budget_s=0.5, clock=clock)
    cache.start()
    got = cache.vectors("m", emb, candidates(20))
    # The first while its time is unknown, then as many as fit what is left: the best five, one a call.
    assert sorted(got) == [0, 1, 2, 3, 4] and emb.sizes == [1] * 5
    assert clock.now <= 0.5 + 1e-9
    # The next query has a budget of its own; the same candidates again cost nothing.
    cache.start()
    assert len(cache.vectors("m", emb, candidates(20))) == 10 and clock.now <= 1.0 + 1e-9


def test_a_fast_model_still_embeds_at_most_fresh_max_a_query() -> None:
    clock = Clock()
    emb = CostlyEmbedder(clock, per_char=0.0)
    cache = FreshVectors(None, budget_s=0.5, clock=clock)
    cache.start()
    assert len(cache.vectors("m", emb, candidates(3 * fresh.FRESH_MAX))) == fresh.FRESH_MAX
    assert set(emb.sizes) == {1}


def test_a_slow_moment_does_not_stop_query_time_embedding_for_good() -> None:
    clock = Clock()
    emb = CostlyEmbedder(clock, per_char=0.01)  # the first call: 1 s, five budgets at once
    cache = FreshVectors(None, budget_s=0.2, clock=clock)
    cache.start()
    assert len(cache.vectors("m", emb, candidates(5))) == 1
    emb.per_char = 0.0005  # the machine is quiet again: 0.05 s a passage
    embedded = []
    for q in range(1, 30):
        cache.start()
        embedded.append(len(cache.vectors("m", emb, candidates(5, start=10 * q))))
    assert embedded[:3] == [0, 0, 0]  # what it measured says nothing fits ...
    assert sum(embedded[-5:]) >= 5  # ... until it measures again, and embeds again

"""The binding's sentence vectors: encoded in small groups of similar length, cached, in the caller's order."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jinasearch.core.retrieval.binding import SENTENCE_BATCH, Binding
from tests.fakes import FakeEmbedder


class GroupRecorder(FakeEmbedder):
    """The fake embedder, remembering the texts of each encode call."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.groups.append(list(texts))
        return super().encode(texts)


def test_sentences_are_encoded_in_length_groups_and_come_back_in_order() -> None:
    emb = GroupRecorder()
    binding = Binding("m", emb, "m")
    texts = [f"sentence {i} " + "word " * ((i * 7) % 23) for i in range(3 * SENTENCE_BATCH + 2)]
    vecs = binding.sentence_vectors(texts + texts[:3])  # repeats are encoded once

    assert vecs.shape == (len(texts) + 3, emb.dim)
    np.testing.assert_allclose(vecs[: len(texts)], FakeEmbedder().encode(texts), rtol=1e-6)
    np.testing.assert_allclose(vecs[len(texts) :], vecs[:3])
    assert sorted(t for g in emb.groups for t in g) == sorted(texts)
    assert all(len(g) <= SENTENCE_BATCH for g in emb.groups)
    # Shortest first: no group holds a sentence shorter than one of the group before it.
    assert all(max(map(len, a)) <= min(map(len, b)) for a, b in zip(emb.groups, emb.groups[1:]))

    calls = len(emb.groups)
    again = binding.sentence_vectors(texts[::-1])
    assert len(emb.groups) == calls  # all cached
    np.testing.assert_allclose(again, vecs[: len(texts)][::-1])

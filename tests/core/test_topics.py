"""Topic boundaries from sentence vectors (core/topics.py), and the cut that ends passages at them
(core/chunk.py: Cutter's topic_starts), with vectors made by hand: the arithmetic, not a model."""

from __future__ import annotations

import numpy as np
import pytest

from jinasearch.core.chunk import Chunking
from jinasearch.core.embed.tokenizer import EstimatedTokenizer
from jinasearch.core.models import Extracted
from jinasearch.core.topics import gap_distances, topic_starts


def two_subjects(n_a: int, n_b: int) -> np.ndarray:
    """Sentence vectors near one direction, then near another: one change of subject."""
    rng = np.random.default_rng(7)
    a, b = np.eye(8)[0], np.eye(8)[1]
    rows = [a + 0.1 * rng.standard_normal(8) for _ in range(n_a)] + [
        b + 0.1 * rng.standard_normal(8) for _ in range(n_b)
    ]
    return np.stack(rows).astype(np.float32)


def test_the_largest_distance_is_at_the_change_of_subject() -> None:
    vecs = two_subjects(5, 5)
    for window in (1, 2, 3):
        dist = gap_distances(vecs, window)
        assert dist.shape == (9,) and int(np.argmax(dist)) == 4  # the gap before sentence 5
    assert gap_distances(vecs[:1]).shape == (0,)


def test_topic_starts_are_the_top_share_of_gaps_by_their_sentence_offsets() -> None:
    spans = [(10 * i, 10 * i + 9) for i in range(10)]
    assert topic_starts(spans, two_subjects(5, 5), share=0.1) == frozenset({50})
    assert len(topic_starts(spans, two_subjects(5, 5), share=0.5)) >= 5
    assert topic_starts(spans, two_subjects(5, 5), share=0) == frozenset()
    assert topic_starts(spans[:1], two_subjects(1, 0)) == frozenset()
    same = np.ones((10, 8), dtype=np.float32)  # ten identical sentences: no change of subject anywhere
    assert topic_starts(spans, same, share=0.5) == frozenset()
    assert topic_starts(spans, two_subjects(5, 5), share=3.0) <= {s for s, _e in spans[1:]}  # a share over 1
    with pytest.raises(ValueError, match="10 sentences but 9 vectors"):
        topic_starts(spans, two_subjects(5, 4))


def test_a_passage_ends_at_a_topic_start_once_it_holds_a_quarter_of_its_size() -> None:
    sentence = "The keeper climbed the tower stairs again at dusk tonight. "
    text = sentence * 8
    cutting = Chunking(EstimatedTokenizer(), max_tokens=200, overlap_tokens=32)
    doc = Extracted(text, ())
    spans = cutting.sentences(doc)
    assert len(spans) == 8 and spans[0][0] == 0 and text[spans[5][0] :].startswith("The keeper")
    assert sum(EstimatedTokenizer().count([text[s:e] for s, e in spans])) <= 200
    plain = cutting.cut(doc)
    assert len(plain) == 1  # 8 short sentences fit one passage of 200 tokens

    cut = cutting.cut(doc, frozenset({spans[4][0]}))
    assert [c.char_start for c in cut] == [0, spans[4][0]]  # ends before the new topic, nothing carried over
    assert cut[0].char_end == spans[3][1] and cut[1].char_end == spans[-1][1]
    # Too early to end a passage (under a quarter of 200 tokens): the boundary is passed over.
    assert len(cutting.cut(doc, frozenset({spans[1][0]}))) == 1


def test_the_overlap_a_passage_opens_with_does_not_count_towards_its_fill() -> None:
    """After a full passage the next opens with its tail (overlap): a topic start one sentence later
    must not end it there, which would make a near copy of the tail plus one new sentence."""
    sentence = "The keeper climbed the tower stairs again at dusk tonight. "
    doc = Extracted(sentence * 16, ())
    cutting = Chunking(EstimatedTokenizer(), max_tokens=200, overlap_tokens=64)
    spans = cutting.sentences(doc)
    plain = cutting.cut(doc)
    k = next(i for i, (s, _e) in enumerate(spans) if s >= plain[0].char_end)  # first sentence after passage 1
    assert plain[1].char_start < spans[k][0]  # passage 2 opens with an overlap
    cut = cutting.cut(doc, frozenset({spans[k + 1][0]}))
    assert not any(c.char_end == spans[k][1] for c in cut[1:])  # no passage of the tail and sentence k alone

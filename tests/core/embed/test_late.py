"""Late chunking's arithmetic: windows that cover every passage with context, pooling that puts the
special tokens at the document's edges only, and the recipe an index records."""

from __future__ import annotations

import numpy as np
import pytest

from jinasearch.core.config import DEFAULT_LATE_WINDOW, Recipe
from jinasearch.core.embed.late import Specials, Window, plan_windows, pool, window_ids
from jinasearch.core.errors import IndexNewerError

BERT = Specials(prefix=(101,), suffix=(102,))


def _starts(lengths: list[int]) -> list[int]:
    return [0, *np.cumsum(lengths).tolist()]


def check_plan(lengths: list[int], targets: list[int], budget: int, margin: int) -> list[Window]:
    """plan_windows' promises, checked against first principles; returns the plan."""
    plan = plan_windows(lengths, targets, budget, margin)
    starts, total = _starts(lengths), sum(lengths)
    pooled = [i for w in plan for i in w.pooled]
    assert sorted(pooled) == sorted(set(targets)), "every target pooled exactly once"
    m = max(0, min(margin, (budget - 1) // 2))
    for w in plan:
        assert 0 <= w.start < w.end <= total and w.end - w.start <= budget
        for i in w.pooled:
            s, e = starts[i], starts[i + 1]
            assert w.start <= s < w.end or (s == e == w.end == total), "a passage starts inside its window"
            if e - s + 2 * m <= budget:  # room for the margin on both sides: it is there, but at an edge
                assert s - w.start >= m or w.start == 0, (lengths, targets, w, i)
                assert w.end - e >= m or w.end == total, (lengths, targets, w, i)
    return plan


def test_windows_cover_every_target_once_with_margin_on_both_sides() -> None:
    rng = np.random.default_rng(7)
    for _ in range(400):
        n = int(rng.integers(1, 40))
        lengths = rng.integers(1, 90, size=n).tolist()
        budget = int(rng.integers(20, 400))
        margin = int(rng.integers(0, budget // 3 + 1))
        every = rng.random() < 0.5
        targets = list(range(n)) if every else sorted(rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False))
        check_plan(lengths, [int(t) for t in targets], budget, margin)


def test_a_document_inside_the_budget_is_one_window() -> None:
    plan = check_plan([30, 40, 20], [1, 2], budget=200, margin=12)
    assert plan == [Window(0, 90, (1, 2))]  # the whole document, even for a target in the middle


def test_a_long_document_takes_several_windows_and_the_last_reaches_back() -> None:
    lengths = [50] * 10  # 500 tokens, windows of 120 with 10 each side
    plan = check_plan(lengths, list(range(10)), budget=120, margin=10)
    assert len(plan) > 4
    assert plan[0].start == 0 and plan[-1].end == 500 and plan[-1].end - plan[-1].start == 120
    assert [w.start for w in plan] == sorted(w.start for w in plan)


def test_a_passage_longer_than_the_budget_is_pooled_from_a_window_starting_before_it() -> None:
    lengths = [30, 500, 30]
    plan = check_plan(lengths, [0, 1, 2], budget=100, margin=8)
    (w,) = [w for w in plan if 1 in w.pooled]
    assert (w.start, w.end) == (22, 122)  # margin before its start, then as much of it as fits
    assert sorted(i for w in plan for i in w.pooled) == [0, 1, 2]


def test_no_targets_no_windows_and_a_budget_must_hold_a_token() -> None:
    assert plan_windows([10, 20], [], budget=50, margin=4) == []
    assert plan_windows([], [], budget=50, margin=4) == []
    with pytest.raises(ValueError):
        plan_windows([10], [0], budget=0, margin=0)
    # A margin past half the budget is clamped: each window still pools what it was planned for.
    check_plan([5] * 20, list(range(20)), budget=21, margin=50)


def rows_in(vec: np.ndarray) -> set[int]:
    """Which one-hot token rows a pooled vector averaged."""
    return {int(i) for i in np.flatnonzero(vec > 1e-6)}


def one_hot_tokens(n: int) -> np.ndarray:
    return np.eye(n, dtype=np.float32)


def test_window_ids_put_the_special_tokens_around_the_window() -> None:
    ids = list(range(1000, 1010))
    assert window_ids(ids, Window(2, 5, (0,)), BERT) == [101, 1002, 1003, 1004, 102]
    assert BERT.count == 2 and Specials((), ()).count == 0


def test_a_whole_document_window_gives_cls_to_the_first_passage_and_sep_to_the_last() -> None:
    lengths = [2, 3, 2]  # rows: 0 [CLS], 1-2, 3-5, 6-7, 8 [SEP]
    w = Window(0, 7, (0, 1, 2))
    vecs = pool(one_hot_tokens(9), w, lengths, BERT)
    assert [rows_in(v) for v in vecs] == [{0, 1, 2}, {3, 4, 5}, {6, 7, 8}]
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(vecs[1][[3, 4, 5]], 1 / np.sqrt(3), rtol=1e-6)  # the mean, then unit length


def test_windows_inside_the_document_give_the_special_tokens_to_no_passage() -> None:
    lengths = [2, 3, 2, 4]  # document tokens: 0-1, 2-4, 5-6, 7-10
    middle = Window(2, 7, (1, 2))  # rows: 0 [CLS], 1-3 passage 1, 4-5 passage 2, 6 [SEP]
    assert [rows_in(v) for v in pool(one_hot_tokens(7), middle, lengths, BERT)] == [{1, 2, 3}, {4, 5}]
    head = Window(0, 5, (0, 1))  # the document's start: [CLS] to passage 0; its end is not here
    assert [rows_in(v) for v in pool(one_hot_tokens(7), head, lengths, BERT)] == [{0, 1, 2}, {3, 4, 5}]
    tail = Window(5, 11, (3,))  # the document's end: [SEP] to its last passage only
    assert [rows_in(v) for v in pool(one_hot_tokens(8), tail, lengths, BERT)] == [{3, 4, 5, 6, 7}]


def test_a_passage_running_past_its_window_is_pooled_from_the_part_inside() -> None:
    lengths = [3, 10, 3]
    w = Window(1, 8, (1,))  # passage 1 is tokens 3-12; the window ends at 8: rows 3-7 of its input
    assert [rows_in(v) for v in pool(one_hot_tokens(9), w, lengths, BERT)] == [{3, 4, 5, 6, 7}]


def test_recipe_keys_round_trip() -> None:
    for recipe in (Recipe(), Recipe(late=True), Recipe(late=True, window=128), Recipe(late=True, window=8192)):
        assert Recipe.from_key(recipe.key) == recipe
    assert Recipe().key == "naive" and Recipe(late=True, window=512).key == "late:512"
    assert Recipe(late=True).window == DEFAULT_LATE_WINDOW
    assert Recipe.from_key(None) == Recipe.from_key("") == Recipe() and not Recipe.from_key(None).late


@pytest.mark.parametrize("key", ["late", "late:", "late:abc", "late:-5", "LATE:512", "late:512 ", "naive:1", "dense"])
def test_an_unknown_recipe_key_is_refused(key: str) -> None:
    with pytest.raises(IndexNewerError, match="recipe this version does not know"):
        Recipe.from_key(key)


@pytest.mark.model
def test_a_one_passage_document_pooled_is_its_naive_vector(minilm) -> None:  # type: ignore[no-untyped-def]
    texts = [
        "notes.txt\nThe ferry leaves the north pier at seven and returns before the tide turns.",
        "A single word",
    ]
    naive = minilm.encode(texts)
    for text, expected in zip(texts, naive):
        (ids,) = minilm.token_ids([text])
        w = Window(0, len(ids), (0,))
        (tokens,) = minilm.token_vectors([window_ids(ids, w, minilm.specials)])
        (got,) = pool(tokens, w, [len(ids)], minilm.specials)
        np.testing.assert_allclose(got, expected, atol=1e-5)
    assert minilm.specials == Specials((101,), (102,))  # MiniLM's [CLS] and [SEP], found from its tokenizer


def test_a_new_index_late_chunks_with_the_jina_v2_models_only() -> None:
    """The default per model (core/config.py: default_recipe): the models late chunking was made with."""
    from jinasearch.core.config import DEFAULT_MODEL, LARGE_MODEL, default_recipe

    assert default_recipe(DEFAULT_MODEL).late and default_recipe(LARGE_MODEL).late
    assert default_recipe(DEFAULT_MODEL).window == DEFAULT_LATE_WINDOW
    assert default_recipe(LARGE_MODEL).window == 512  # a pause waits for one window: ~1 s on a CPU, not ~2
    assert not default_recipe("/models/all-MiniLM-L6-v2").late
    assert not default_recipe("server:jina/jina-embeddings-v2-base-en").late  # one vector per text

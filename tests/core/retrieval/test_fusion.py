"""Hybrid scoring rules: bounded lexical lift, phrase evidence, handles, missing vectors, vector feedback."""

from __future__ import annotations

import numpy as np
import pytest

from jinasearch.core.retrieval import fusion
from jinasearch.core.retrieval.fusion import combine, lexical_evidence, lifts, query_words, word_evidence


def hybrid_scores(cosine, texts, q, ids):  # type: ignore[no-untyped-def]
    """One pass of the hybrid scoring, no feedback: cosine (or combine's stand-in) + lexical evidence."""
    ids = list(ids)
    return combine(cosine, lifts(word_evidence(texts, q, ids)), ids)


def _words(query: str, df: dict[str, int], n: int = 1000) -> fusion.QueryWords:
    return query_words(query, lambda w: df.get(w.lower(), 50), n)


def test_lexical_evidence_is_idf_weighted_coverage() -> None:
    q = _words("rare common", {"rare": 2, "common": 900})
    full, _ = lexical_evidence("a rare and common thing", q)
    rare_only, _ = lexical_evidence("only rare here", q)
    common_only, _ = lexical_evidence("only common here", q)
    assert full > rare_only > common_only > 0
    assert lexical_evidence("nothing relevant", q)[0] == 0.0


def test_kept_stems_give_the_same_evidence_and_an_edited_text_its_own() -> None:
    """fusion.stems_of keeps a passage's stemmed words by its text across queries."""
    fusion.stems_of.cache_clear()
    q = _words("grand prix winners", {"grand": 20, "prix": 20, "winners": 5})
    text = "The Grand Prix of Monaco had three winners in a row"
    first = lexical_evidence(text, q)
    again = lexical_evidence(text, q)
    assert first == again and fusion.stems_of.cache_info().hits >= 1
    assert fusion.stems_of(text.lower()) == (
        "the",
        "grand",
        "prix",
        "of",
        "monaco",
        "had",
        "three",
        "winner",
        "in",
        "a",
        "row",
    )
    edited = lexical_evidence("The Grand Prix of Monaco was cancelled", q)
    assert edited != first and edited == lexical_evidence("the grand prix of monaco was cancelled", q)


def test_adjacent_pairs_count_as_phrase_evidence() -> None:
    q = _words("grand prix", {"grand": 20, "prix": 20})
    together, _ = lexical_evidence("the grand prix of monaco", q)
    apart, _ = lexical_evidence("prix and a grand total", q)
    assert together > apart


def test_lexical_lift_is_bounded_by_weight() -> None:
    q = _words("alpha beta", {"alpha": 20, "beta": 20})
    ranked = hybrid_scores({1: 0.80, 2: 0.50}, {1: "unrelated text", 2: "alpha beta"}, q, [1, 2])
    assert ranked[0][0] == 1  # a clear semantic winner is not buried by word matches
    assert ranked[1][1] <= 0.50 + fusion.LEXICAL_WEIGHT + 1e-9
    close = hybrid_scores({1: 0.60, 2: 0.55}, {1: "unrelated text", 2: "alpha beta"}, q, [1, 2])
    assert close[0][0] == 2  # a near tie goes to the passage with the words


def test_handle_outweighs_any_cosine() -> None:
    q = _words("err_4471", {"err_4471": 1})
    assert q.handles
    ranked = hybrid_scores({1: 0.99, 2: -0.2}, {1: "similar words", 2: "raised err_4471 at start"}, q, [1, 2])
    assert ranked[0][0] == 2


def test_candidate_without_vector_scores_from_the_mean_cosine() -> None:
    q = _words("gamma", {"gamma": 5})
    ranked = hybrid_scores({1: 0.7, 2: 0.3}, {1: "x", 2: "y", 3: "gamma ray"}, q, [1, 2, 3])
    assert dict(ranked)[3] == pytest.approx(0.5 + fusion.LEXICAL_WEIGHT)  # none with words: mean of all


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_feedback_query_moves_towards_the_top_and_stays_unit() -> None:
    q = _unit(1, 0, 0)
    top = np.stack([_unit(0, 1, 0), _unit(0, 1, 0)])
    moved = fusion.feedback_query(q, top)
    assert abs(float(np.linalg.norm(moved)) - 1) < 1e-6
    assert float(moved @ _unit(0, 1, 0)) > 0 and float(moved @ q) < 1
    expected = _unit(1, fusion.FEEDBACK_BETA, 0)
    assert np.allclose(moved, expected, atol=1e-6)
    assert np.array_equal(fusion.feedback_query(q, np.zeros((0, 3), np.float32)), q)


def _consensus_case() -> tuple[np.ndarray, list[int], np.ndarray, dict[int, str]]:
    # Ten passages agree on a direction near the query; passage 11 is a touch closer to the query
    # but off to the side, passage 12 a touch further but in the agreed direction.
    q = _unit(1, 0, 0)
    vecs = {i: _unit(1, 0.5, 0.02 * i) for i in range(1, 11)}
    vecs[11] = _unit(1, -0.3, 0.30)
    vecs[12] = _unit(1, 0.45, 0.15)
    ids = sorted(vecs)
    return q, ids, np.stack([vecs[i] for i in ids]), {i: "nothing in common" for i in ids}


def test_feedback_lifts_the_passage_in_the_top_results_direction(monkeypatch: pytest.MonkeyPatch) -> None:
    q, ids, mat, texts = _consensus_case()
    words = _words("zzz", {"zzz": 0})
    assert float(mat[ids.index(11)] @ q) > float(mat[ids.index(12)] @ q)
    monkeypatch.setattr(fusion, "FEEDBACK_DOCS", 10)
    with_feedback = [pid for pid, _ in fusion.hybrid_rank(q, ids, mat, texts, words, ids)[0]]
    assert with_feedback.index(12) < with_feedback.index(11)
    monkeypatch.setattr(fusion, "FEEDBACK_BETA", 0.0)
    plain = [pid for pid, _ in fusion.hybrid_rank(q, ids, mat, texts, words, ids)[0]]
    assert plain.index(11) < plain.index(12)


def test_feedback_keeps_the_handle_first_and_the_lexical_lift_bounded() -> None:
    q, ids, mat, texts = _consensus_case()
    texts = {**texts, 11: "raised err_4471 at start", 12: "alpha beta"}
    ranked = fusion.hybrid_rank(q, ids, mat, texts, _words("err_4471", {"err_4471": 1}), ids)[0]
    assert ranked[0][0] == 11
    words = _words("alpha beta", {"alpha": 20, "beta": 20})
    lifted = dict(fusion.hybrid_rank(q, ids, mat, texts, words, ids)[0])
    plain = dict(fusion.hybrid_rank(q, ids, mat, {i: "x" for i in ids}, words, ids)[0])
    assert 0 < lifted[12] - plain[12] <= fusion.LEXICAL_WEIGHT + 1e-6


def test_feedback_ranks_a_candidate_without_vector_by_its_words() -> None:
    q, ids, mat, texts = _consensus_case()
    words = _words("gamma", {"gamma": 5})
    ranked = dict(fusion.hybrid_rank(q, ids, mat, {**texts, 99: "gamma ray"}, words, [*ids, 99])[0])
    others = [s for pid, s in ranked.items() if pid != 99]  # none holds "gamma": cosine alone
    # No vector yet: the mean cosine of the others plus its words' lift, not the floor.
    assert ranked[99] == pytest.approx(float(np.mean(others)) + fusion.LEXICAL_WEIGHT)


def test_an_everyday_word_found_once_is_not_a_handle() -> None:
    # In a small library most words occur once; only names and identifiers, which the model's
    # tokenizer cuts into pieces, get the handle bonus.
    pieces = {"looking": 1, "err_4471": 5}.get
    q = query_words("looking err_4471", lambda w: 1, 1000, lambda w: pieces(w, 2))
    assert q.handles == frozenset({fusion.stem("err_4471")})


def test_candidate_without_vector_ranks_among_passages_with_its_words() -> None:
    q = _words("gamma ray", {"gamma": 5, "ray": 5})
    texts = {1: "unrelated", 2: "gamma ray burst", 3: "a gamma ray source", 4: "gamma ray again"}
    ranked = dict(hybrid_scores({1: 0.9, 2: 0.5, 3: 0.3}, texts, q, [1, 2, 3, 4]))
    # No vector for 4 yet: it takes the mean cosine of 2 and 3 (which share its words), not the floor.
    assert ranked[4] == pytest.approx(0.4 + fusion.LEXICAL_WEIGHT * lexical_evidence(texts[4], q)[0])

"""Hybrid scoring rules: bounded lexical lift, phrase evidence, handles, missing vectors."""

from __future__ import annotations

from jinasearch.core import fusion
from jinasearch.core.fusion import hybrid_scores, lexical_evidence, query_words


def _words(query: str, df: dict[str, int], n: int = 1000) -> fusion.QueryWords:
    return query_words(query, lambda w: df.get(w.lower(), 50), n)


def test_lexical_evidence_is_idf_weighted_coverage() -> None:
    q = _words("rare common", {"rare": 2, "common": 900})
    full, _ = lexical_evidence("a rare and common thing", q)
    rare_only, _ = lexical_evidence("only rare here", q)
    common_only, _ = lexical_evidence("only common here", q)
    assert full > rare_only > common_only > 0
    assert lexical_evidence("nothing relevant", q)[0] == 0.0


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


def test_candidate_without_vector_scores_from_floor() -> None:
    q = _words("gamma", {"gamma": 5})
    ranked = hybrid_scores({1: 0.7, 2: 0.3}, {1: "x", 2: "y", 3: "gamma ray"}, q, [1, 2, 3])
    assert dict(ranked)[3] == 0.3 + fusion.LEXICAL_WEIGHT

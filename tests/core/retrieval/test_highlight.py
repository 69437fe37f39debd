"""Highlight spans: query words by stem or exactly, identifier parts, and the best sentence."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jinasearch.core.retrieval.highlight import (
    SENTENCE_BUDGET,
    SENTENCES_PER_PASSAGE,
    best_sentences,
    lexical_best_sentence,
    term_spans,
)
from tests.fakes import FakeEmbedder


def marked(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_term_spans_match_stems_case_insensitively() -> None:
    text = "The Runner was running; runs are good. Nothing about walking."
    got = marked(text, term_spans(text, "how to run"))
    assert "running" in got and "runs" in got and "walking" not in got
    assert all(text[s:e].lower().startswith("run") for s, e in term_spans(text, "RUN"))


def test_stop_words_are_not_highlighted() -> None:
    text = "The cat is on the mat."
    assert marked(text, term_spans(text, "the cat on a mat")) == ["cat", "mat"]


def test_identifiers_match_whole_and_by_parts() -> None:
    text = "Error E1234 raised by parse_header in config.yaml"
    assert marked(text, term_spans(text, "E1234")) == ["E1234"]
    assert marked(text, term_spans(text, "parse_header")) == ["parse_header"]
    # A query for one part of an identifier highlights that part only.
    assert marked(text, term_spans(text, "header")) == ["header"]
    assert marked(text, term_spans(text, "yaml config")) == ["config", "yaml"]


def test_spans_index_into_text_with_unicode() -> None:
    text = "Ça coûte 5 €. Le café est très bon."
    spans = term_spans(text, "café")
    assert marked(text, spans) == ["café"]


def test_lexical_best_sentence() -> None:
    text = "Bananas are yellow. Apples grow on apple trees in orchards. Cherries are red."
    s, e = lexical_best_sentence(text, "apple orchards") or (0, 0)
    assert text[s:e] == "Apples grow on apple trees in orchards."
    assert lexical_best_sentence(text, "zebra") is None


def test_best_sentences_use_vectors_one_encode() -> None:
    emb = FakeEmbedder()
    texts = [
        "Bananas are yellow. The volcano erupted lava. Cherries are red. The volcano lava cooled slowly in the rain.",
        "Only one sentence here",
        "",
        "Lava is hot. A volcano is tall.",
    ]
    q = emb.encode_query("volcano lava")
    calls = emb.calls
    out = best_sentences(texts, "volcano lava", q, emb.encode)
    assert emb.calls == calls + 1  # all passages' sentences in one batch
    assert len(emb.encoded) - 1 == 4  # the query, then the two sentences of each passage holding both words
    s, e = out[0]  # type: ignore[misc]
    assert texts[0][s:e] == "The volcano erupted lava."
    assert out[1] == (0, len(texts[1]))
    assert out[2] is None


def test_best_sentences_without_multi_sentence_passages_does_not_encode() -> None:
    emb = FakeEmbedder()
    out = best_sentences(["one", "two"], "one", np.ones(emb.dim, np.float32), emb.encode)
    assert out == [(0, 3), (0, 3)] and emb.calls == 0


def test_best_sentences_put_only_the_sentences_with_most_query_words_to_the_model() -> None:
    emb = FakeEmbedder()
    seen: list[str] = []

    def encode(texts: Sequence[str]) -> np.ndarray:
        seen.extend(texts)
        return emb.encode(texts)

    filler = [f"Sentence number {n} talks about nothing much." for n in range(10)]
    text = " ".join([*filler[:4], "Lava flows from the volcano.", *filler[4:], "The volcano sleeps."])
    out = best_sentences([text], "volcano lava", emb.encode_query("volcano lava"), encode)
    # Only the sentence holding the most query words: no call at all.
    assert seen == []
    s, e = out[0]  # type: ignore[misc]
    assert text[s:e] == "Lava flows from the volcano."
    # Two sentences hold both words: both go to the model, which picks the one closest in meaning.
    text = " ".join([*filler[:4], "Lava flows from the volcano.", *filler[4:], "The volcano spat lava."])
    out = best_sentences([text], "volcano lava", emb.encode_query("volcano lava"), encode)
    assert seen == ["Lava flows from the volcano.", "The volcano spat lava."]
    s, e = out[0]  # type: ignore[misc]
    assert text[s:e] == "The volcano spat lava."  # fewer other words: the closer vector
    # Five sentences hold the same words: the first SENTENCES_PER_PASSAGE of them.
    seen.clear()
    lava = [f"Lava number {n} is hot." for n in range(5)]
    best_sentences([" ".join(lava)], "lava", emb.encode_query("lava"), encode)
    assert seen == lava[:SENTENCES_PER_PASSAGE]
    # No sentence holds a query word (a paraphrase): the model reads its first ones, up to the budget.
    seen.clear()
    best_sentences([" ".join(filler)], "volcano lava", emb.encode_query("volcano lava"), encode)
    assert seen == filler[:SENTENCE_BUDGET]


def test_passages_without_query_words_share_the_calls_budget() -> None:
    emb = FakeEmbedder()
    seen: list[str] = []

    def encode(texts: Sequence[str]) -> np.ndarray:
        seen.extend(texts)
        return emb.encode(texts)

    filler = [" ".join(f"Sentence {p}{n} talks about nothing much." for n in range(12)) for p in "abcdefghij"]
    best_sentences(filler, "volcano lava", emb.encode_query("volcano lava"), encode)
    # Ten passages of twelve sentences: two each (SENTENCES_PER_PASSAGE, the floor), not all 120.
    assert SENTENCES_PER_PASSAGE == 2 and SENTENCE_BUDGET == 12 and len(seen) == 20
    seen.clear()
    best_sentences(filler[:4], "volcano lava", emb.encode_query("volcano lava"), encode)
    assert len(seen) == 12  # four: three each, the budget shared
    seen.clear()
    best_sentences(filler[:1], "volcano lava", emb.encode_query("volcano lava"), encode)
    assert len(seen) == 12  # one alone: its first twelve, the whole budget
    seen.clear()
    longer = " ".join(f"Sentence z{n} talks about nothing much." for n in range(20))
    best_sentences([longer], "volcano lava", emb.encode_query("volcano lava"), encode)
    assert seen == [f"Sentence z{n} talks about nothing much." for n in range(12)]  # not all 20
    seen.clear()
    # A keyword hit's two sentences come out of the budget: the paraphrase hit gets what is left.
    keyword = "The volcano is tall. " + " ".join(f"Sentence k{n} mentions the volcano." for n in range(3))
    best_sentences([keyword, longer], "volcano", emb.encode_query("volcano"), encode)
    assert len(seen) == 2 + 10

"""Highlight spans: query words by stem or exactly, identifier parts, and the best sentence."""

from __future__ import annotations

import numpy as np

from jinasearch.core.retrieval.highlight import best_sentences, lexical_best_sentence, term_spans
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
    texts = ["Bananas are yellow. The volcano erupted lava. Cherries are red.", "Only one sentence here", ""]
    q = emb.encode_query("volcano lava")
    calls = emb.calls
    out = best_sentences(texts, q, emb.encode)
    assert emb.calls == calls + 1  # all passages' sentences in one batch
    s, e = out[0]  # type: ignore[misc]
    assert texts[0][s:e] == "The volcano erupted lava."
    assert out[1] == (0, len(texts[1]))
    assert out[2] is None


def test_best_sentences_without_multi_sentence_passages_does_not_encode() -> None:
    emb = FakeEmbedder()
    out = best_sentences(["one", "two"], np.ones(emb.dim, np.float32), emb.encode)
    assert out == [(0, 3), (0, 3)] and emb.calls == 0

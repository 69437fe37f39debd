"""Why a passage matched, as (start, end) spans: the query's words, and its closest sentence."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..cjk import contains, has_cjk, substring_spans
from ..language import query_terms, sentences, stem, words

Span = tuple[int, int]
SentenceEncoder = Callable[[Sequence[str]], np.ndarray]
# Sentences a passage puts to the model when its best sentence is chosen (see best_sentences): 2 marked
# as many answers right on docs-dev as 3, for a third less model time (docs/benchmarks.md, "Best sentences").
SENTENCES_PER_PASSAGE = 2
# Sentences one call puts to the model for the passages none of whose sentences holds a query word (a
# paraphrase: what the model is there for): they share what the others leave of it, their first
# sentences, at least SENTENCES_PER_PASSAGE each (so ten such hits read 20), and a page of them costs
# what a page of keyword hits does, not five times that (a 200-token passage has 8-15 sentences).
# 12 marked as many docs-dev answers right as 20, in less time (docs/benchmarks.md, "Best sentences").
SENTENCE_BUDGET = 12
# The start of a sentence the model reads for it: the hits' sentences are encoded in batches padded
# to their longest (retrieval/binding.py), so one 150-token run (a code block, a table) would cost
# the price of its whole batch. The first 160 characters marked one docs-dev answer more than the
# first 300 did, for less model time.
SENTENCE_CHARS = 160


def term_spans(text: str, query: str) -> list[Span]:
    """Spans of words in `text` that match a query word by stem (runs ~ running) or exactly
    (identifiers like `parse_header` or `E1234` are matched as written, case-insensitively); a
    Chinese, Japanese or Korean query word marks the characters it matched inside a longer run."""
    terms = query_terms(query)
    cjk_terms = [t for t in terms if has_cjk(t)]
    if cjk_terms:
        return _with_substrings(_word_spans(text, terms), text, cjk_terms)
    return _word_spans(text, terms)


def _with_substrings(spans: list[Span], text: str, cjk_terms: Sequence[str]) -> list[Span]:
    """Word spans plus the CJK query words' occurrences, in order, without overlaps: the words FTS5
    matched in its bigram columns (core/cjk.py) are substrings of a run, not whole words."""
    found = sorted({*spans, *(span for t in cjk_terms for span in substring_spans(text, t))})
    out: list[Span] = []
    for s, e in found:
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def _word_spans(text: str, terms: Sequence[str]) -> list[Span]:
    exact = {t.lower() for t in terms}
    stems = {stem(t) for t in terms}
    spans: list[Span] = []
    for s, e, w in words(text):
        low = w.lower()
        if low in exact or stem(low) in stems:
            spans.append((s, e))
        elif not low.isalnum():  # holds a separator (. _ - '): one C-level test for the common case
            # FTS5 splits `parse_header` into `parse` and `header`: highlight the parts it matched on.
            for ps, pe, part in words(w.replace("_", " ").replace(".", " ").replace("-", " ")):
                if part.lower() in exact or stem(part) in stems:
                    spans.append((s + ps, s + pe))
    return spans


def lexical_best_sentence(text: str, query: str) -> Span | None:
    """The sentence holding the most distinct query words (used when no query vector exists)."""
    sents = sentences(text)
    if not sents:
        return None
    found = _words_found(text, sents, query)
    best = max(range(len(sents)), key=lambda i: (found[i], -i))
    return sents[best] if found[best] > 0 else None


def _words_found(text: str, sents: Sequence[Span], query: str) -> list[int]:
    """How many distinct query words each sentence holds (stems; CJK words found inside runs)."""
    terms = query_terms(query)
    stems = {stem(t) for t in terms}
    cjk_terms = [t for t in terms if has_cjk(t)]
    out = []
    for s, e in sents:
        found = {stem(w) for _, _, w in words(text[s:e])} & stems
        found |= {t for t in cjk_terms if contains(text[s:e].lower(), t)}
        out.append(len(found))
    return out


def best_sentences(
    texts: Sequence[str], query: str, query_vec: np.ndarray, encode: SentenceEncoder
) -> list[Span | None]:
    """For each passage, the sentence whose embedding is closest to the query's: one batched encode
    over the sentences holding the most query words, at most SENTENCES_PER_PASSAGE of them (the
    earliest first), or over its first sentences when none holds one, as many as SENTENCE_BUDGET
    leaves them (at least SENTENCES_PER_PASSAGE). Encoding every sentence cost four times as much
    for 10 docs-dev passages on two cores, and picked the sentence holding the verbatim answer no
    more often than this (docs/benchmarks.md, "Best sentences")."""
    chosen: list[list[Span]] = []
    by_meaning: list[int] = []  # passages none of whose sentences holds a query word
    for t in texts:
        sents = sentences(t)
        if len(sents) > 1:
            found = _words_found(t, sents, query)
            most = max(found)
            if most:
                sents = [span for span, n in zip(sents, found) if n == most][:SENTENCES_PER_PASSAGE]
            else:
                by_meaning.append(len(chosen))
        chosen.append(sents)
    if by_meaning:
        left = SENTENCE_BUDGET - sum(len(c) for i, c in enumerate(chosen) if len(c) > 1 and i not in by_meaning)
        share = max(SENTENCES_PER_PASSAGE, left // len(by_meaning))
        for i in by_meaning:
            chosen[i] = chosen[i][:share]
    flat = [t[s : min(e, s + SENTENCE_CHARS)] for t, spans in zip(texts, chosen) if len(spans) > 1 for s, e in spans]
    vecs = encode(flat) if flat else np.zeros((0, len(query_vec)), dtype=np.float32)
    scores = vecs @ query_vec if len(flat) else np.zeros(0)
    out: list[Span | None] = []
    i = 0
    for spans in chosen:
        if len(spans) <= 1:
            out.append(spans[0] if spans else None)
            continue
        j = int(np.argmax(scores[i : i + len(spans)]))
        out.append(spans[j])
        i += len(spans)
    return out

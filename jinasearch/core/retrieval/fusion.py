"""Hybrid scoring: cosine plus a bounded lexical bonus over both retrievers' candidates, then vector feedback.

Why not fuse ranks or min-max-normalised scores: with a good embedding model, BM25 ranks are noisy
next to cosine, and rank fusion or per-list normalisation let that noise reorder confident semantic
results (plain RRF loses to semantic alone on both evaluation sets: docs/benchmarks.md, "Search quality"). Here the
cosine (already comparable across passages and queries) stays the backbone and lexical evidence
can only lift a passage by at most LEXICAL_WEIGHT: about the cosine gap between a query's 1st and
10th semantic hit, so word matches re-order near-ties but cannot bury a clear semantic winner.

Lexical evidence L in [0, 1] is the idf-weighted share of the query's words a passage contains,
blended with the share of adjacent query word pairs it contains in the same order (phrases such
as names). A word found in a single passage of the whole index, and which the model's tokenizer
does not know as one everyday word, is a handle (a function name, an error code, a part number, a
rare name): a passage holding the query's handles gets a bonus that outweighs any cosine
difference, so looking up an exact identifier returns the passage that has it.

Then one round of Rocchio pseudo-relevance feedback on the dense side: the query vector is moved
towards the mean vector of the fused top FEEDBACK_DOCS (q' = q + FEEDBACK_BETA * mean, normalised)
and every candidate is scored again with its cosine to q' plus the same lexical evidence. The
first pass already holds the word matches, so the feedback carries them into the vector space:
passages like the ones that both signals agree on rise, ones that merely share the query's
surface drop. It re-scores the same candidates (no second vector search). The two parameters are
the textbook Rocchio/RM3 values (beta 0.75, 10 feedback documents), not fitted to our sets;
docs/benchmarks.md, "Search quality", shows where they sit in a grid on both evaluation sets.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from ..cjk import contains, has_cjk
from ..language import WORD_RE, query_terms, stem
from ..models import Evidence

# Most a full lexical match can add to a cosine similarity (the main parameter; see docs/benchmarks.md, "Search quality",
# for the sensitivity on both evaluation sets).
LEXICAL_WEIGHT = 0.2
# Most the query's words in a passage's title and heading path can add (see `hybrid_rank`).
PLACE_WEIGHT = 0.1
# Share of the lexical evidence that comes from adjacent word pairs rather than single words.
PAIR_SHARE = 0.25
# A query word found in at most this many passages is a handle.
HANDLE_DF = 1
# Added, times the handles' share of the query's idf, to passages holding them: > any cosine gap.
HANDLE_BONUS = 2.0
# Rocchio feedback: weight of the mean of the first pass's top passages against the query (alpha 1).
FEEDBACK_BETA = 0.75
# How many of the first pass's top passages make the feedback vector.
FEEDBACK_DOCS = 10


@dataclass(frozen=True)
class QueryWords:
    """The query's meaningful words as stems, with their inverse document frequencies."""

    stems: tuple[str, ...]
    idf: Mapping[str, float]
    handles: frozenset[str]
    total: float  # sum of idf (1.0 when empty), the denominator of every share

    @cached_property
    def cjk(self) -> tuple[str, ...]:
        """The stems written in CJK characters: found inside runs of text, not as words."""
        return tuple(s for s in self.stems if has_cjk(s))


def query_words(
    query: str, doc_freq: Callable[[str], int], n_passages: int, pieces: Callable[[str], int] | None = None
) -> QueryWords:
    """Stems of the query's words (stop words dropped) with BM25-style idf from `doc_freq(word)`.

    `pieces(word)` is how many tokens the model's tokenizer cuts the lower-cased word into. A word
    it knows whole ("looking", "cat") is an everyday word, not a handle, even when it occurs in one
    passage only, as most words do in a small library; names and identifiers ("E4471",
    "parse_header", "Lovelace") come out in pieces."""
    stems: dict[str, str] = {}
    for w in query_terms(query):
        stems.setdefault(stem(w), w)
    idf: dict[str, float] = {}
    handles: set[str] = set()
    for s, w in stems.items():
        df = doc_freq(w)
        idf[s] = math.log(1 + (n_passages - df + 0.5) / (df + 0.5))
        if 0 < df <= HANDLE_DF and (pieces is None or pieces(w.lower()) > 1):
            handles.add(s)
    return QueryWords(tuple(stems), idf, frozenset(handles), sum(idf.values()) or 1.0)


# Passages whose stemmed words are kept (by their lower-cased text): about 2.5 kB each, 10 MB in all.
STEMS_KEPT = 4096


@lru_cache(maxsize=STEMS_KEPT)
def stems_of(low: str) -> tuple[str, ...]:
    """A lower-cased text's words, stemmed, in order. Kept by text: tokenising and stemming a candidate
    is most of what its word evidence costs, a query can score over a thousand candidates when one
    long manual fills the pool (search.py: GROW_ROUNDS), and the next query (a refined question, the
    same subject) meets most of them again. Keyed by the text itself, so an edited passage is never
    answered from an old entry."""
    return tuple(map(stem, WORD_RE.findall(low)))


def lexical_evidence(text: str, q: QueryWords) -> tuple[float, float]:
    """(L in [0, 1], share of the query's idf carried by handles found in text)."""
    if not q.stems:
        return 0.0, 0.0
    low = text.lower()
    seq = stems_of(low)
    present = set(seq)
    # A CJK query word is found inside a run of characters, as FTS5's bigram columns found it (core/cjk.py).
    present.update(s for s in q.cjk if contains(low, s))
    cover = sum(q.idf[s] for s in q.stems if s in present) / q.total
    pairs = list(zip(q.stems, q.stems[1:]))
    if pairs:
        weight = sum(q.idf[a] + q.idf[b] for a, b in pairs) or 1.0
        phrase = 0.0
        if any(a in present and b in present for a, b in pairs):  # else no pair can be adjacent
            found = set(zip(seq, seq[1:]))
            found.update((a, b) for a, b in pairs if has_cjk(a + b) and _side_by_side(low, a, b))
            phrase = sum(q.idf[a] + q.idf[b] for a, b in pairs if (a, b) in found) / weight
        lexical = (1 - PAIR_SHARE) * cover + PAIR_SHARE * phrase
    else:
        lexical = cover
    handles = sum(q.idf[s] for s in q.handles if s in present) / q.total
    return lexical, handles


def _side_by_side(low: str, a: str, b: str) -> bool:
    """Two query words next to each other in a text that may write no space between CJK words."""
    return a + b in low or f"{a} {b}" in low


def word_evidence(
    texts: Mapping[int, str], q: QueryWords, ids: Iterable[int], memo: dict[int, tuple[float, float]] | None = None
) -> dict[int, tuple[float, float]]:
    """(L, handles) of each candidate (see lexical_evidence). `memo` keeps them for the same query's
    next round: a round that grows the pool scores 4x the candidates, most of them seen before."""
    memo = {} if memo is None else memo
    for pid in ids:
        if pid not in memo:
            memo[pid] = lexical_evidence(texts[pid], q) if pid in texts else (0.0, 0.0)
    return {pid: memo[pid] for pid in ids}


@dataclass
class WordMemo:
    """One query's word evidence so far: of passages by id (`text`), of places by their text (`place`:
    the passages of one section share it)."""

    text: dict[int, tuple[float, float]] = field(default_factory=dict)
    place: dict[str, float] = field(default_factory=dict)


def lifts(words: Mapping[int, tuple[float, float]]) -> dict[int, float]:
    """What words add to each candidate's cosine, from its (L, handles): LEXICAL_WEIGHT * L plus the
    handle bonus."""
    return {pid: LEXICAL_WEIGHT * lexical + HANDLE_BONUS * handles for pid, (lexical, handles) in words.items()}


def combine(cosine: Mapping[int, float], lexical: Mapping[int, float], ids: Iterable[int]) -> list[tuple[int, float]]:
    """cosine + lexical for each id, best first. A candidate without a vector yet (just read, still
    embedding) is given the mean cosine of the candidates that hold query words and have a vector,
    or of all candidates with one when none hold words: its words then place it among the
    semantic candidates (a full match lifts it by about the gap between the 1st and 10th) rather
    than below all of them, until its own vector arrives."""
    ids = list(ids)
    with_words = [cosine[pid] for pid in ids if pid in cosine and lexical.get(pid, 0.0) > 0]
    known = with_words or list(cosine.values())
    unknown = sum(known) / len(known) if known else 0.0
    out = [(pid, cosine.get(pid, unknown) + lexical.get(pid, 0.0)) for pid in ids]
    out.sort(key=lambda x: -x[1])
    return out


def feedback_query(qvec: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Rocchio: the unit vector along q + FEEDBACK_BETA * mean(top rows); q itself when top is empty."""
    if not len(top) or FEEDBACK_BETA == 0:
        return qvec
    moved = qvec + FEEDBACK_BETA * top.mean(axis=0)
    norm = float(np.linalg.norm(moved))
    return (moved / norm).astype(qvec.dtype) if norm > 0 else qvec


def hybrid_rank(
    qvec: np.ndarray,
    vec_ids: Sequence[int],
    vectors: np.ndarray,
    texts: Mapping[int, str],
    q: QueryWords,
    ids: Iterable[int],
    places: Mapping[int, str] | None = None,
    memo: WordMemo | None = None,
) -> tuple[list[tuple[int, float]], dict[int, Evidence]]:
    """The hybrid ranking of candidates `ids`: cosine + lexical evidence, then one round of Rocchio
    feedback from that ranking's top FEEDBACK_DOCS and the same scoring with the moved query; and
    each candidate's evidence (cosine to the query itself, before the feedback).
    `vectors[i]` is the stored (unit) vector of passage `vec_ids[i]`; candidates missing from it
    have no vector yet. Scores stay cosine-like (q' is a unit vector), so the bounds of the lexical
    lift and the handle bonus hold in both passes. `places`: each candidate's title and heading path;
    the share of the query's words they hold adds up to PLACE_WEIGHT (a passage under a heading that
    names the query's subject is about it, more than one that only mentions it). `memo`: the same
    query's evidence from an earlier round."""
    ids = list(ids)
    memo = memo or WordMemo()
    words = word_evidence(texts, q, ids, memo.text)
    lexical = lifts(words)
    for pid, where in (places or {}).items():
        if pid in lexical:
            share = memo.place.get(where)
            if share is None:
                share = memo.place[where] = lexical_evidence(where, q)[0]
            lexical[pid] += PLACE_WEIGHT * share
    row = {int(pid): i for i, pid in enumerate(vec_ids)}
    cosine = dict(zip(row, (vectors @ qvec).tolist()))
    evidence = {pid: Evidence(cosine.get(pid), *words[pid]) for pid in ids}
    first = combine(cosine, lexical, ids)
    top = [row[pid] for pid, _ in first[:FEEDBACK_DOCS] if pid in row]
    if not top or FEEDBACK_BETA == 0:
        return first, evidence
    moved = feedback_query(qvec, vectors[top])
    return combine(dict(zip(row, (vectors @ moved).tolist())), lexical, ids), evidence

"""Hybrid scoring: cosine similarity plus a bounded bonus for lexical evidence, over both retrievers' candidates.

Why not fuse ranks or min-max-normalised scores: with a good embedding model, BM25 ranks are noisy
next to cosine, and rank fusion or per-list normalisation let that noise reorder confident semantic
results (plain RRF loses to semantic alone on both evaluation sets, see BENCHMARKS.md). Here the
cosine (already comparable across passages and queries) stays the backbone and lexical evidence
can only lift a passage by at most LEXICAL_WEIGHT: about the cosine gap between a query's 1st and
10th semantic hit, so word matches re-order near-ties but cannot bury a clear semantic winner.

Lexical evidence L in [0, 1] is the idf-weighted share of the query's words a passage contains,
blended with the share of adjacent query word pairs it contains in the same order (phrases such
as names). A word found in a single passage of the whole index is a handle (a function name, an
error code, a part number): a passage holding the query's handles gets a bonus that outweighs any
cosine difference, so looking up an exact identifier returns the passage that has it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .text import WORD_RE, query_terms, stem

# Most a full lexical match can add to a cosine similarity (the main parameter; see BENCHMARKS.md
# for the sensitivity on both evaluation sets).
LEXICAL_WEIGHT = 0.2
# Share of the lexical evidence that comes from adjacent word pairs rather than single words.
PAIR_SHARE = 0.25
# A query word found in at most this many passages is a handle.
HANDLE_DF = 1
# Added, times the handles' share of the query's idf, to passages holding them: > any cosine gap.
HANDLE_BONUS = 2.0


@dataclass(frozen=True)
class QueryWords:
    """The query's meaningful words as stems, with their inverse document frequencies."""

    stems: tuple[str, ...]
    idf: Mapping[str, float]
    handles: frozenset[str]
    total: float  # sum of idf (1.0 when empty), the denominator of every share


def query_words(query: str, doc_freq: Callable[[str], int], n_passages: int) -> QueryWords:
    """Stems of the query's words (stop words dropped) with BM25-style idf from `doc_freq(word)`."""
    stems: dict[str, str] = {}
    for w in query_terms(query):
        stems.setdefault(stem(w), w)
    idf: dict[str, float] = {}
    handles: set[str] = set()
    for s, w in stems.items():
        df = doc_freq(w)
        idf[s] = math.log(1 + (n_passages - df + 0.5) / (df + 0.5))
        if 0 < df <= HANDLE_DF:
            handles.add(s)
    return QueryWords(tuple(stems), idf, frozenset(handles), sum(idf.values()) or 1.0)


def lexical_evidence(text: str, q: QueryWords) -> tuple[float, float]:
    """(L in [0, 1], share of the query's idf carried by handles found in text)."""
    if not q.stems:
        return 0.0, 0.0
    toks = WORD_RE.findall(text.lower())
    # Stem each distinct word once (map over the C-level lru_cache): this runs for ~200 candidates a query.
    present = set(map(stem, set(toks)))
    cover = sum(q.idf[s] for s in q.stems if s in present) / q.total
    pairs = list(zip(q.stems, q.stems[1:]))
    if pairs:
        weight = sum(q.idf[a] + q.idf[b] for a, b in pairs) or 1.0
        phrase = 0.0
        if any(a in present and b in present for a, b in pairs):  # else no pair can be adjacent
            seq = list(map(stem, toks))
            found = set(zip(seq, seq[1:]))
            phrase = sum(q.idf[a] + q.idf[b] for a, b in pairs if (a, b) in found) / weight
        lexical = (1 - PAIR_SHARE) * cover + PAIR_SHARE * phrase
    else:
        lexical = cover
    handles = sum(q.idf[s] for s in q.handles if s in present) / q.total
    return lexical, handles


def hybrid_scores(cosine: Mapping[int, float], texts: Mapping[int, str], q: QueryWords,
                  ids: Iterable[int]) -> list[tuple[int, float]]:  # fmt: skip
    """Score every candidate: cosine (the floor of known cosines when it has no vector yet) plus
    LEXICAL_WEIGHT * L plus the handle bonus; best first."""
    floor = min(cosine.values()) if cosine else 0.0
    out: list[tuple[int, float]] = []
    for pid in ids:
        text = texts.get(pid)
        lexical, handles = lexical_evidence(text, q) if text is not None else (0.0, 0.0)
        out.append((pid, cosine.get(pid, floor) + LEXICAL_WEIGHT * lexical + HANDLE_BONUS * handles))
    out.sort(key=lambda x: -x[1])
    return out

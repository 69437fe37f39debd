"""Keyword candidates: FTS5 BM25 on a thread of its own (SQLite releases the GIL while the query is embedded)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..cjk import has_cjk
from ..cjk import match as cjk_match
from ..language import FTS_PIECE_RE, query_terms
from ..models import Filters
from ..store import Store

# Document frequencies are counted up to this many passages (idf of commoner words barely differs).
DF_CAP = 5000
# BM25 weight of the context column (file name, title, heading path) against the text's 1.0: every
# passage of a document shares it, so a title word must not outweigh the words of the passage itself.
CONTEXT_WEIGHT = 0.5

KeywordAnswer = tuple[list[tuple[int, float]], dict[str, int]]


def candidate_terms(terms: Sequence[str], doc_freq: Mapping[str, int], cap: int = DF_CAP) -> list[str]:
    """The words hybrid search looks candidates up by: those in fewer than `cap` passages.

    A word in more passages has the lowest idf (BM25 ranks by rare words anyway) and the longest
    posting list: at 100k passages leaving such words out took hybrid search from 21 / 45 ms to 17 / 28 ms
    (p50 / p95; docs/benchmarks.md, "Search speed"). It still counts in
    the fusion's lexical evidence for every candidate, and dense retrieval does not need it. When
    every word is that common, all are kept, so a query of common words still finds passages."""
    rare = [t for t in terms if doc_freq.get(t, 0) < cap]
    return rare or list(terms)


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression from natural language: meaningful words, each quoted (so `AND`, `-`,
    `:` or a stray quote in the user's text are never parsed as syntax), OR-ed so BM25 ranks
    passages by how many and how rare the words they contain are. A word with Chinese, Japanese or
    Korean in it is looked up in the bigram columns (core/cjk.py), as a substring."""
    parts: list[str] = []
    for term in query_terms(query):
        pieces = FTS_PIECE_RE.findall(term)
        pieces = [p for p in pieces if p != "_"]
        if pieces and has_cjk(term):
            parts.append(cjk_match(pieces))
        elif pieces:
            # Pieces of one word (err_42 -> err 42) must appear together: a phrase.
            parts.append('"' + " ".join(pieces).replace('"', '""') + '"')
    return " OR ".join(parts) if parts else None


def prefix_query(word: str) -> str | None:
    """An FTS5 prefix query for `word*`: its last piece is a prefix of a word in the passage (SQLite's
    "FTS5", section "FTS5 Prefix Queries"; porter stems the prefix too, so `install*` finds
    `installation`, but a prefix cut inside a stem's ending, `configura*`, finds nothing)."""
    pieces = [p for p in FTS_PIECE_RE.findall(word) if p != "_"]
    if not pieces:
        return None
    if has_cjk(word):
        return cjk_match(pieces)  # a CJK run is found inside longer runs anyway
    return '"' + " ".join(pieces).replace('"', '""') + '" *'


def doc_freq(store: Store, word: str, cap: int = DF_CAP) -> int:
    """Passages holding `word` as FTS5 matches it, counted up to `cap`."""
    match = fts_query(word)
    return store.doc_freq(match, cap) if match else 0


class KeywordRetriever:
    """Runs keyword queries on one helper thread, with a connection used only there."""

    def __init__(self, db_path: Path) -> None:
        self._db_path = db_path
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jinasearch-keyword")
        self._store: Store | None = None

    def submit(
        self, query: str, n: int, filters: Filters | None, hybrid: bool, prefixes: Sequence[str] = ()
    ) -> Future[KeywordAnswer]:
        return self._pool.submit(self._search, query, n, filters, hybrid, prefixes)

    def _search(
        self, query: str, n: int, filters: Filters | None, hybrid: bool, prefixes: Sequence[str] = ()
    ) -> KeywordAnswer:
        """(BM25 hits, document frequency of each query word). For hybrid search the document
        frequencies come first (the fusion needs them anyway) and pick which words look candidates
        up; keyword mode searches every word, as asked. `prefixes`: the query's word* (OR-ed too)."""
        if self._store is None:
            self._store = Store(self._db_path, readonly=True)
        store = self._store
        store.follow()  # a repair may have swapped the database in since the last query
        terms = query_terms(query)
        freqs: dict[str, int] = {}
        if hybrid:
            freqs = {t: doc_freq(store, t, DF_CAP) for t in terms}
            terms = candidate_terms(terms, freqs, DF_CAP)
        match = " OR ".join(filter(None, [fts_query(" ".join(terms)), *map(prefix_query, prefixes)])) or None
        return (store.keyword(match, n, filters, CONTEXT_WEIGHT) if match else []), freqs

    def close(self) -> None:
        if self._store is not None:
            self._pool.submit(self._store.close).result()
        self._pool.shutdown(wait=True)

"""Query -> dense (FAISS) + keyword (FTS5 BM25) -> fusion -> per-file cap -> Hits with highlight spans."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Literal

import numpy as np

from .config import Settings
from .embed import Embedder, load_embedder
from .errors import IndexEmptyError, ModelMismatchError
from .fusion import hybrid_rank, query_words
from .highlight import best_sentences, lexical_best_sentence, term_spans
from .indexer import model_key
from .models import Hit
from .store import Filters, Store, VectorIndex, open_vectors
from .text import FTS_PIECE_RE, query_terms

Mode = Literal["hybrid", "semantic", "keyword"]
MODES: tuple[str, ...] = ("hybrid", "semantic", "keyword")

# How many candidates each retriever contributes before fusion (at least; 2 per hit asked for).
# 50, 100, 200 and 400 gave the same nDCG@10 on both evaluation sets, and the fusion's cost grows
# with the pool (BENCHMARKS.md, issues 2 and 5).
CANDIDATES = 50
# Document frequencies are counted up to this many passages (idf of commoner words barely differs).
DF_CAP = 5000


def candidate_terms(terms: Sequence[str], doc_freq: Mapping[str, int], cap: int = DF_CAP) -> list[str]:
    """The words hybrid search looks candidates up by: those in fewer than `cap` passages.

    A word in more passages has the lowest idf (BM25 ranks by rare words anyway) and the longest
    posting list: at 100k passages one such word made the FTS query 2-3x slower. It still counts in
    the fusion's lexical evidence for every candidate, and dense retrieval does not need it. When
    every word is that common, all are kept, so a query of common words still finds passages."""
    rare = [t for t in terms if doc_freq.get(t, 0) < cap]
    return rare or list(terms)


def doc_freq(store: Store, word: str) -> int:
    """Passages holding `word` as FTS5 matches it, counted up to DF_CAP."""
    match = fts_query(word)
    return store.doc_freq(match, DF_CAP) if match else 0


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression from natural language: meaningful words, each quoted (so `AND`, `-`,
    `:` or a stray quote in the user's text are never parsed as syntax), OR-ed so BM25 ranks
    passages by how many and how rare the words they contain are."""
    parts: list[str] = []
    for term in query_terms(query):
        pieces = FTS_PIECE_RE.findall(term)
        pieces = [p for p in pieces if p != "_"]
        if pieces:
            # Pieces of one word (err_42 -> err 42) must appear together: a phrase.
            parts.append('"' + " ".join(pieces).replace('"', '""') + '"')
    return " OR ".join(parts) if parts else None


class Searcher:
    """Reads the index (its own connection) and answers queries; safe to use while indexing runs.

    The model is the one the index records, read again at every query: after a model switch's swap
    the searcher drops the old model's embedder, FAISS cache and sentence vectors and continues with
    the new model (loaded lazily, or asked of `embedders`, a front end's shared models by name).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        model: str | None = None,
        embedder: Embedder | None = None,
        load_model: bool = True,
        embedders: Callable[[str], Embedder | None] | None = None,
    ) -> None:
        if not settings.db_path.exists():
            raise IndexEmptyError(
                f"no index in {settings.data_dir} yet; run 'jinasearch index FOLDER' first (or pass --data-dir)"
            )
        self.settings = settings
        self.store = Store(settings.db_path)
        recorded = self.store.get_meta("model")
        if model is not None and recorded is not None and model_key(model) != recorded:
            raise ModelMismatchError(
                f"this index was built with model '{recorded}'; searching it with '{model}' would give nonsense. "
                "Leave out --model, or re-index with --reembed."
            )
        self.model = recorded or (model_key(model) if model else None)
        self._embedder = embedder
        self._embedder_model = self.model if embedder is not None else None  # the model it embeds for
        self._embedders = embedders
        self._load_model = load_model
        self._vectors: VectorIndex | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jinasearch-keyword")
        self._keyword_store: Store | None = None  # its own connection, used only on the pool's thread
        # Keyed by (model, sentence): sentences may be asked for with the model of an earlier query.
        self._sentence_cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._last_query: tuple[str, np.ndarray, Embedder] | None = None

    def close(self) -> None:
        if self._keyword_store is not None:
            self._pool.submit(self._keyword_store.close).result()
        self._pool.shutdown(wait=True)
        self.store.close()

    def _keyword(
        self, query: str, n: int, filters: Filters | None, hybrid: bool
    ) -> tuple[list[tuple[int, float]], dict[str, int]]:
        """Runs on the keyword thread: (BM25 hits, document frequency of each query word).

        For hybrid search the document frequencies come first (the fusion needs them anyway) and
        pick which words look candidates up; keyword mode searches every word, as asked."""
        if self._keyword_store is None:
            self._keyword_store = Store(self.settings.db_path)
        store = self._keyword_store
        terms = query_terms(query)
        freqs: dict[str, int] = {}
        if hybrid:
            freqs = {t: doc_freq(store, t) for t in terms}
            terms = candidate_terms(terms, freqs, DF_CAP)
        match = fts_query(" ".join(terms))
        return (store.keyword(match, n, filters) if match else []), freqs

    @property
    def embedder(self) -> Embedder | None:
        """The query embedder for the index's current model; None while it is not available."""
        if self._embedder is None and self.model:
            if self._embedders is not None:
                self._embedder = self._embedders(self.model)
            elif self._load_model:
                self._embedder = load_embedder(self.model, device=self.settings.device)
            self._embedder_model = self.model if self._embedder is not None else None
        return self._embedder

    def _follow_model(self) -> None:
        """Notice a model switch committed since the last query (one meta read) and follow it."""
        recorded = self.store.get_meta("model")
        if recorded is None or recorded == self.model:
            return
        if self.model is None and self._embedder is not None and self._embedder_model is None:
            # The caller's embedder, given before the index had recorded any model: it is for this one.
            self._embedder_model = recorded
        self.model = recorded
        self._vectors = None
        self._sentence_cache.clear()
        if self._embedder_model != recorded:
            self._embedder, self._embedder_model = None, None

    def vectors(self) -> VectorIndex | None:
        """The FAISS index, loaded on first use and synced with whatever the indexer has committed since."""
        dim = self.store.get_meta("dim")
        if dim is None:
            return None
        if self._vectors is None or self._vectors.dim != int(dim) or self._vectors.model not in (None, self.model):
            self._vectors = open_vectors(self.store, self.settings.faiss_path, int(dim))
        else:
            self._vectors.sync(self.store)
        return self._vectors

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        mode: Mode = "hybrid",
        filters: Filters | None = None,
        max_per_file: int = 3,
        highlight: bool = True,
        sentences: bool = True,
    ) -> list[Hit]:
        """Ranked passages for `query`. `highlight` adds the query's word spans; with `sentences`
        too, each hit's best-matching sentence, which costs a model call over every sentence of
        the hits (~4x the search itself on a CPU): the app passes False, shows the results, then
        asks `sentence_spans` for them."""
        if mode not in MODES:
            raise ValueError(f"unknown mode '{mode}'; use one of {', '.join(MODES)}")
        query = query.strip()
        if not query:
            return []
        # One read snapshot for the whole query: the model, the vectors and the rows all come from the
        # same commit, so a query vector is never compared with vectors of another model.
        with self.store.snapshot():
            self._follow_model()
            return self._search(query, k, mode, filters, max_per_file, highlight, sentences)

    def _search(
        self,
        query: str,
        k: int,
        mode: Mode,
        filters: Filters | None,
        max_per_file: int,
        highlight: bool,
        sentences: bool,
    ) -> list[Hit]:
        n_passages = self.store.passage_count()
        if n_passages == 0:
            raise IndexEmptyError("the index is empty; add a folder first ('jinasearch index FOLDER')")
        filters = filters or Filters()
        n = max(CANDIDATES, k * 2)

        # The keyword query runs on a second thread while the query is embedded and FAISS searched:
        # SQLite, torch and FAISS all release the GIL, so on two cores the retrievers overlap.
        keyword_job: Future[tuple[list[tuple[int, float]], dict[str, int]]] | None = None
        if mode in ("hybrid", "keyword") and fts_query(query):
            keyword_job = self._pool.submit(self._keyword, query, n, filters if filters else None, mode == "hybrid")

        qvec: np.ndarray | None = None
        emb: Embedder | None = None
        vi: VectorIndex | None = None
        dense: list[tuple[int, float]] = []
        try:
            if mode in ("hybrid", "semantic"):
                # The model first: without one (still loading, or another model's index) FAISS is not even loaded.
                emb = self.embedder if self.store.get_meta("dim") is not None else None
                vi = self.vectors() if emb is not None else None
                if vi is not None and len(vi) and emb is not None:
                    qvec = emb.encode_query(query)
                    allowed = self.store.filtered_ids(filters) if filters else None
                    dense = vi.search(qvec, n, allowed)
        finally:
            keyword, freqs = keyword_job.result() if keyword_job is not None else ([], {})

        rows: dict[int, tuple] = {}
        if mode == "semantic":
            ranked = dense
        elif mode == "keyword" or qvec is None:
            ranked = keyword
        else:
            ranked, rows = self._hybrid(query, qvec, dense, keyword, n_passages, freqs)

        rows = rows or self.store.hit_rows([i for i, _ in ranked])
        dense_ids, kw_ids = {i for i, _ in dense}, {i for i, _ in keyword}
        per_file: dict[int, int] = {}
        picked: list[tuple[tuple, float]] = []
        for pid, score in ranked:
            row = rows.get(pid)
            if row is None:  # deleted between the two reads: skip rather than show a ghost
                continue
            doc_id = row[1]
            if per_file.get(doc_id, 0) >= max_per_file:
                continue
            per_file[doc_id] = per_file.get(doc_id, 0) + 1
            picked.append((row, score))
            if len(picked) >= k:
                break

        if qvec is not None and emb is not None:
            self._last_query = (query, qvec, emb)
        spans: list[tuple[int, int] | None] = [None] * len(picked)
        if highlight and sentences and picked:
            spans = self.sentence_spans(query, [row[4] for row, _ in picked], semantic=qvec is not None)

        hits: list[Hit] = []
        for (row, score), sent in zip(picked, spans):
            pid, doc_id, path, page, text, cs, ce, mtime = row
            sources = tuple(s for s, ids in (("semantic", dense_ids), ("keyword", kw_ids)) if pid in ids)
            hits.append(
                Hit(
                    passage_id=pid,
                    doc_id=doc_id,
                    path=path,
                    page=page,
                    score=float(score),
                    text=text,
                    char_start=cs,
                    char_end=ce,
                    sources=sources,
                    term_spans=tuple(term_spans(text, query)) if highlight else (),
                    sentence_span=sent,
                    mtime=mtime,
                )
            )
        return hits

    def _hybrid(
        self,
        query: str,
        qvec: np.ndarray,
        dense: list[tuple[int, float]],
        keyword: list[tuple[int, float]],
        n_passages: int,
        freqs: Mapping[str, int],
    ) -> tuple[list[tuple[int, float]], dict[int, tuple]]:
        """Score the union of both candidate lists with cosine + lexical evidence, with one round of
        vector feedback (see fusion.py).

        Every candidate's vector comes from SQLite in one batched read, so keyword-only candidates
        are judged on both signals rather than "missing = worst", and the feedback can re-score all."""
        ids = list(dict.fromkeys([i for i, _ in dense] + [i for i, _ in keyword]))
        rows = self.store.hit_rows(ids)
        found, mat = self.store.vectors_for(ids, len(qvec))
        # The keyword thread counted every query word (a word FTS5 cannot match counts 0).
        words = query_words(query, lambda w: freqs.get(w, 0), n_passages, self.word_pieces)
        texts = {pid: row[4] for pid, row in rows.items()}
        return hybrid_rank(qvec, found.tolist(), mat, texts, words, ids), rows

    def word_pieces(self, word: str) -> int:
        """Tokens the model cuts `word` into (2 when there is no model: treat it as rare)."""
        emb = self.embedder
        return emb.tokenizer.count([word])[0] if emb is not None else 2

    def sentence_spans(
        self, query: str, texts: Sequence[str], *, semantic: bool = True
    ) -> list[tuple[int, int] | None]:
        """Each text's sentence closest in meaning to the query (one batched model call), or, without
        a model or with `semantic=False`, the sentence holding the most query words."""
        found = self._query_vector(query) if semantic else None
        if found is not None:
            qvec, emb = found
            return best_sentences(texts, qvec, lambda ts: self._encode_sentences(emb, ts))
        return [lexical_best_sentence(t, query) for t in texts]

    def _query_vector(self, query: str) -> tuple[np.ndarray, Embedder] | None:
        """The last search's query vector and the model that made it when it is the same query (the
        app asks right after the results, maybe after a model switch: sentences and query must
        come from one model); else this query embedded now."""
        if self._last_query is not None and self._last_query[0] == query:
            return self._last_query[1], self._last_query[2]
        emb = self.embedder
        return (emb.encode_query(query), emb) if emb is not None else None

    def _encode_sentences(self, emb: Embedder, texts: Sequence[str]) -> np.ndarray:
        """Sentence vectors with a small LRU cache: re-running or refining a query reuses them."""
        keys = [(emb.name, t) for t in texts]
        missing = [key for key in dict.fromkeys(keys) if key not in self._sentence_cache]
        if missing:
            for key, v in zip(missing, emb.encode([t for _, t in missing])):
                self._sentence_cache[key] = v
        out = np.stack([self._sentence_cache[key] for key in keys]) if keys else np.zeros((0, emb.dim), np.float32)
        for key in keys:
            self._sentence_cache.move_to_end(key)
        while len(self._sentence_cache) > 20_000:
            self._sentence_cache.popitem(last=False)
        return out

    def document_text(self, doc_id: int) -> str | None:
        found = self.store.doc_text(doc_id)
        return found[0] if found else None

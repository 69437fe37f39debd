"""The search facade: query -> dense (FAISS) + keyword (FTS5 BM25) -> fusion -> per-file cap -> Hits.

The stages are in `core/retrieval/`; this module wires them and keeps the read snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from typing import TypeVar

import numpy as np

from .config import Settings
from .embed import Embedder
from .errors import ModelMismatchError, ServerError
from .lock import empty_or_filling
from .models import MODES, Evidence, Filters, Hit, Mode
from .policy import model_key
from .retrieval.binding import Binding, load_model
from .retrieval.floor import floor_for
from .retrieval.fresh import FreshVectors
from .retrieval.grouping import fold_copies, hit_from
from .retrieval.growth import Round, best_files, other_files
from .retrieval.highlight import Span, best_sentences, lexical_best_sentence
from .retrieval.hybrid import Fresh, Rounds, hybrid
from .retrieval.keyword import DF_CAP, KeywordAnswer, KeywordRetriever, candidate_terms, doc_freq, fts_query
from .retrieval.neighbours import widened
from .retrieval.query_syntax import ParsedQuery, marked, narrowed, parse_query
from .store import HitRow, Store, VectorIndex
from .store.sidecar import SideVectors

# How many candidates each retriever contributes before fusion (at least; 2 per hit asked for).
# 50, 100, 200 and 400 gave the same nDCG@10 on both evaluation sets, and the fusion's cost grows
# with the pool (docs/benchmarks.md, "Search quality").
CANDIDATES = 50
# How often the candidate pool may grow (x4 each time) when it holds fewer than k files.
GROW_ROUNDS = 2

T = TypeVar("T")

__all__ = ["CANDIDATES", "DF_CAP", "MODES", "Searcher", "candidate_terms", "doc_freq", "fts_query"]


class Searcher:
    """Reads the index (its own connection) and answers queries; safe to use while indexing runs.

    The model is the one the index records, read again at every query: after a model switch's swap
    the searcher drops the old model's binding (embedder, FAISS cache, sentence vectors) and goes on
    with the new model (loaded lazily, or asked of `embedders`, a front end's shared models by name).
    A hybrid search embeds its best keyword candidates still without a vector (retrieval/fresh.py;
    `embed_fresh=False`: they keep the stand-in cosine, as benchmarks compare).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        model: str | None = None,
        embedder: Embedder | None = None,
        load_model: bool = True,
        embedders: Callable[[str], Embedder | None] | None = None,
        embed_fresh: bool = True,
    ) -> None:
        if not settings.db_path.exists():
            raise empty_or_filling(
                settings.lock_path,
                f"no index in {settings.data_dir} yet; run 'jinasearch index FOLDER' first (or pass --data-dir)",
            )
        self.settings = settings
        self.store = Store(settings.db_path, readonly=True)
        recorded = self.store.model()
        chosen = model_key(model, served=settings.server is not None) if model is not None else None
        if chosen is not None and recorded is not None and chosen != recorded:
            raise ModelMismatchError(
                f"this index was built with model '{recorded}'; searching it with '{model}' would give nonsense. "
                "Leave out --model, or re-index with --reembed.",
                recorded,
            )
        current = recorded or chosen
        self._binding = Binding(current, embedder, current)
        self._recipe = self.store.recipe()  # a recipe switch keeps the model and ids, not the vectors
        self._embedders = embedders
        self._load_model = load_model
        self.unavailable: ServerError | None = None  # why the last search went by words alone, if it did
        self._keyword = KeywordRetriever(settings.db_path)
        self._fresh = FreshVectors(SideVectors(settings.data_dir)) if embed_fresh else None
        # The last query's text, vector and the binding that made it (see `sentence_spans`).
        self._last: tuple[str, np.ndarray, Binding] | None = None

    def close(self) -> None:
        self._keyword.close()
        if self._fresh is not None:
            self._fresh.close()
        self.store.close()

    @property
    def model(self) -> str | None:
        """The model_key searches use now (the index's)."""
        return self._binding.model

    @property
    def embedder(self) -> Embedder | None:
        """The query embedder for the index's current model; None while it is not available."""
        b = self._binding
        if b.embedder is None and b.model:
            if self._embedders is not None:
                b.set_embedder(self._embedders(b.model))
            elif self._load_model:
                b.set_embedder(self._guard(lambda: load_model(b.model, self.settings, self.store)))
        return b.embedder

    def _guard(self, call: Callable[[], T]) -> T | None:
        """A served model whose server fails: None, so the search goes on by words; `unavailable` says why."""
        try:
            self.unavailable = None
            return call()
        except ServerError as exc:
            self.unavailable = exc
            return None

    def _follow_model(self) -> None:
        """Notice a switch of model or recipe committed since the last query (two meta reads) and follow
        it. A recipe switch keeps the model and every passage id, so only its recorded name shows the
        vectors are new: the FAISS cache's id diff would see nothing."""
        recorded, recipe = self.store.model(), self.store.recipe()
        if recorded is not None and (recorded != self._binding.model or recipe != self._recipe):
            self._binding = self._binding.follow(recorded)
            self._recipe = recipe

    def vectors(self) -> VectorIndex | None:
        """The FAISS index, loaded on first use and synced with whatever the indexer has committed since."""
        return self._binding.vectors_in(self.store, self.settings.faiss_path)

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        mode: Mode = "hybrid",
        filters: Filters | None = None,
        per_file: int = 1,
        highlight: bool = True,
        sentences: bool = True,
        weak: bool = False,
    ) -> list[Hit]:
        """The best `k` files for `query`, each with its best `per_file` passages (file by file, best first).
        `highlight` adds the query's word spans; with `sentences` too, each hit's best-matching sentence,
        which costs a model call over every sentence of the hits (5-8x the search itself on a CPU): the
        app passes False, shows the results, then asks `sentence_spans` for them. Hits neither close in
        meaning nor holding the query's words (retrieval/floor.py) are left out; with `weak`, they come too."""
        if mode not in MODES:
            raise ValueError(f"unknown mode '{mode}'; use one of {', '.join(MODES)}")
        parsed = parse_query(query)  # "exact phrase", -word, word*, type:, in: (retrieval/query_syntax.py)
        if (
            filters := narrowed(parsed, filters, self.store.folders, self.store.file_types)
        ) is None:  # nothing can match
            return []
        # One read snapshot for the whole query: the model, the vectors and the rows all come from the
        # same commit, so a query vector is never compared with vectors of another model.
        with self.store.snapshot():
            self._follow_model()
            if self.store.passage_count() == 0:
                raise empty_or_filling(
                    self.settings.lock_path, "the index is empty; add a folder first ('jinasearch index FOLDER')"
                )
            if self._fresh is not None:
                self._fresh.start()
            rounds = Rounds()
            floor = floor_for(self.model) if mode != "keyword" else None
            n = max(CANDIDATES, 2 * k * per_file)

            def rank(n: int, known: np.ndarray | None, before: Mapping[int, int] | None) -> Round:
                return self._rank(parsed, n, mode, filters or None, known, rounds, before)

            found = best_files(rank, n, k, per_file, floor, weak, rounds, GROW_ROUNDS)
            picked, sources, qvec, evidence, weak_ids = found
            if qvec is not None:
                self._last = (parsed.typed, qvec, self._binding)
                # an answer that runs on into the next passage
                picked = widened(picked, qvec, self.store, self.model, filters.excluded if filters else ())
            spans: list[tuple[int, int] | None] = [None] * len(picked)
            if highlight and sentences and picked:
                spans = self.sentence_spans(parsed.typed, [row.text for row, _ in picked], semantic=qvec is not None)
            words, ev = (parsed.text if highlight else None), evidence.get
            hits = [
                hit_from(row, score, sources, words, span, ev(row.passage_id), close=row.passage_id not in weak_ids)
                for (row, score), span in zip(picked, spans)
            ]
            return fold_copies(marked(hits, parsed, highlight), self.store.copies, rounds.copies)

    def _rank(
        self,
        q: ParsedQuery,
        n: int,
        mode: Mode,
        filters: Filters | None,
        known: np.ndarray | None,
        rounds: Rounds,
        before: Mapping[int, int] | None = None,
    ) -> Round:
        """(ranked (id, score), rows of the candidates read so far, each id's sources, query vector, and
        the evidence of each candidate when there is a query vector). `known`: the query's vector
        from an earlier round, not embedded again; `rounds`: the rows and word evidence it read;
        `before`: that round's candidates (id -> document), kept, with passages of other documents only."""
        # The keyword query runs on a second thread while the query is embedded and FAISS searched:
        # SQLite, torch and FAISS all release the GIL, so on two cores the retrievers overlap.
        keyword_job: Future[KeywordAnswer] | None = None
        if mode in ("hybrid", "keyword") and fts_query(q.text):
            keyword_job = self._keyword.submit(q.text, n, filters, mode == "hybrid", q.prefixes)
        qvec: np.ndarray | None = None
        dense: list[tuple[int, float]] = []
        try:
            if mode in ("hybrid", "semantic"):
                qvec, dense = self._dense(q.text, n, filters, known, hybrid=mode == "hybrid")
        finally:
            keyword, freqs = keyword_job.result() if keyword_job is not None else ([], {})
        rounds.short = len({i for i, _ in dense} | {i for i, _ in keyword}) < n
        if before is not None:
            dense, keyword = other_files((dense, keyword), before, self.store.docs_of)
        rows: Mapping[int, HitRow] = {}
        evidence: dict[int, Evidence] = {}
        if mode == "semantic":
            if qvec is None and self.unavailable is not None:
                raise self.unavailable  # by meaning only, and the server that computes meaning is not there
            ranked = dense
            evidence = {pid: Evidence(cos, 0.0, 0.0) for pid, cos in dense}
        elif mode == "keyword" or qvec is None:  # no vectors yet (still embedding) or no model: words alone
            ranked = keyword
        else:
            fresh = self._fresh_for()
            ranked, rows, evidence = hybrid(
                self.store, q.text, qvec, dense, keyword, freqs, self.word_pieces, fresh, rounds
            )
        rows = rows or self.store.hit_rows([i for i, _ in ranked])
        dense_ids, kw_ids = {i for i, _ in dense}, {i for i, _ in keyword}
        sources = {
            pid: tuple(s for s, ids in (("semantic", dense_ids), ("keyword", kw_ids)) if pid in ids)
            for pid, _ in ranked
        }
        return ranked, rows, sources, qvec, evidence

    def _dense(
        self, query: str, n: int, filters: Filters | None, known: np.ndarray | None, *, hybrid: bool = False
    ) -> tuple[np.ndarray | None, list[tuple[int, float]]]:
        """The query vector and FAISS's nearest passages; (None, []) without a model or vectors. A
        hybrid search that embeds candidates itself (retrieval/fresh.py) gets the query vector even
        while the index has no vector (nor dimension) yet."""
        fresh = hybrid and self._fresh is not None and self.model is not None
        # The model first: without one (still loading, or another model's index) FAISS is not even loaded.
        emb = self.embedder if fresh or self.store.dim() is not None else None
        vi = self.vectors() if emb is not None else None
        if emb is None or not (fresh or (vi is not None and len(vi))):
            return None, []
        qvec = known if known is not None else self._guard(lambda: emb.encode_query(query))
        if qvec is None or vi is None or not len(vi):
            return qvec, []
        allowed = self.store.filtered_ids(filters) if filters else None
        return qvec, vi.search(qvec, n, allowed)

    def _fresh_for(self) -> Fresh | None:
        """How this query embeds candidates still without a vector (retrieval/fresh.py): with the
        index's model, never another's; None when it cannot (no model key or embedder, or another
        dimension than the index records). Asked once the query is embedded: the embedder is in."""
        model, dim, cache, emb = self.model, self.store.dim(), self._fresh, self._binding.embedder
        if emb is None or model is None or cache is None or dim not in (None, emb.dim):
            return None
        return lambda rows: cache.vectors(model, emb, rows)

    def word_pieces(self, word: str) -> int:
        """Tokens the model cuts `word` into (2 when there is no model: treat it as rare)."""
        emb = self.embedder
        return emb.tokenizer.count([word])[0] if emb is not None else 2

    def sentence_spans(self, query: str, texts: Sequence[str], *, semantic: bool = True) -> list[Span | None]:
        """Each text's sentence closest in meaning to the query (one batched model call), or, without
        a model or with `semantic=False`, the sentence holding the most query words.

        The app asks right after the results, maybe after a model switch: the last search's query
        vector and binding are used for the same query, so sentences and query come from one model."""
        found, words = self._query_vector(query) if semantic else None, parse_query(query).text  # no operators
        spans = (
            self._guard(lambda: best_sentences(texts, words, found[0], found[1].sentence_vectors)) if found else None
        )
        return spans or [lexical_best_sentence(t, words) for t in texts]

    def _query_vector(self, query: str) -> tuple[np.ndarray, Binding] | None:
        if self._last is not None and self._last[0] == query:
            return self._last[1], self._last[2]
        emb = self.embedder
        qvec = self._guard(lambda: emb.encode_query(parse_query(query).text)) if emb is not None else None
        return (qvec, self._binding) if qvec is not None else None

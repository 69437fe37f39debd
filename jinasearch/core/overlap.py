"""Embedding on a helper thread while the indexer thread keeps extracting and committing."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

import numpy as np

from .embed import Embedder
from .store import Store


class Overlap:
    """Embeds on a helper thread while the indexer thread keeps extracting and committing.

    Extraction comes first (a file is keyword-searchable the moment it is committed): between files
    the indexer thread hands at most one window of pending passages to the helper and collects the
    vectors of a finished one, which it writes itself (one writer connection). The model releases
    the GIL, so extraction, chunking and SQLite writes proceed while it computes. Texts already in
    flight are not handed out again; `_embed` finishes whatever is left once extraction is done.
    """

    def __init__(self, embedder: Callable[[], Embedder], store: Store, should_stop: Callable[[], bool],
                 batches: int) -> None:  # fmt: skip
        from concurrent.futures import ThreadPoolExecutor

        self._get_embedder, self.store, self._should_stop, self.batches = embedder, store, should_stop, batches
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jinasearch-embed")
        self.future: Future[tuple[list[str], np.ndarray]] | None = None
        self.in_flight: set[str] = set()
        self.embedded = 0
        self._emb: Embedder | None = None

    def step(self) -> int:
        """Collect a finished window and hand out the next once a full window is pending."""
        if self.future is not None and self.future.done():
            self._collect()
        if self.future is None and not self._should_stop():
            emb = self._embedder()
            want = emb.batch_size * self.batches
            # Each in-flight text holds at least one pending row, so fewer rows than this cannot fill
            # a window: a count over the partial index instead of reading texts after every file
            # (which, with a fast GPU model, made the indexer thread the bottleneck).
            if self.store.count_pending() - len(self.in_flight) < want:
                return self.embedded
            unique: dict[str, str] = {}
            limit = want + len(self.in_flight)
            while True:  # duplicates (boilerplate) thin a window out: read further until it is full
                rows = self.store.pending(limit)
                for _pid, text, h in rows:
                    if h not in self.in_flight:
                        unique.setdefault(h, text)
                if len(unique) >= want or len(rows) < limit or limit >= 16 * want:
                    break
                limit *= 4
            if len(unique) >= want:  # a partial window waits: full batches waste nothing on the model
                items = sorted(unique.items(), key=lambda kv: len(kv[1]))[:want]
                hashes = [h for h, _ in items]
                self.in_flight.update(hashes)
                self.future = self.pool.submit(lambda: (hashes, emb.encode([t for _, t in items])))
        return self.embedded

    def _embedder(self) -> Embedder:
        if self._emb is None:
            self._emb = self._get_embedder()
            if self.store.get_meta("dim") is None:
                self.store.set_meta("dim", str(self._emb.dim))
        return self._emb

    def _collect(self) -> None:
        assert self.future is not None
        future, self.future = self.future, None
        hashes, vecs = future.result()
        self.embedded += self.store.set_vectors(hashes, vecs)
        self.in_flight.difference_update(hashes)

    def close(self, keep: bool = True) -> None:
        """Stop the thread; with `keep`, first wait for the window in flight and store its vectors
        (without, they are dropped: those passages stay pending and the next run embeds them)."""
        if not keep:
            self.pool.shutdown(wait=False, cancel_futures=True)
            return
        try:
            if self.future is not None:
                self._collect()
        finally:
            self.pool.shutdown(wait=True)

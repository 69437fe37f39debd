"""Embedding on a helper thread while the indexer thread keeps extracting and committing."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future

import numpy as np

from .embed import Embedder
from .store import Store


class Overlap:
    """Embeds on a helper thread while the indexer thread keeps extracting and committing.

    Extraction comes first (a file is keyword-searchable the moment it is committed): between files
    the indexer thread hands windows of pending passages to the helper and collects the vectors of
    finished ones, which it writes itself (one writer connection). The model's kernels run without
    the GIL, so SQLite writes proceed while it computes; its Python-side work (tokenising, launching
    kernels) does compete with this thread for the GIL. Texts already in flight are not handed out
    again; `_embed` finishes whatever is left once extraction is done.

    Up to `DEPTH` windows are queued, so the model starts the next one the moment it finishes a
    window instead of idling until this thread collects it and reads the next (with a fast GPU, that
    gap is a real share of the model's time).
    """

    DEPTH = 2

    def __init__(self, embedder: Embedder, store: Store, should_stop: Callable[[], bool], batches: int) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.emb, self.store, self._should_stop = embedder, store, should_stop
        self.want = embedder.batch_size * batches  # texts per window
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jinasearch-embed")
        self.futures: deque[Future[tuple[list[str], np.ndarray]]] = deque()
        self.in_flight: set[str] = set()
        self.embedded = 0
        self._dim_recorded = False

    def step(self) -> int:
        """Collect finished windows and queue the next while a full window is pending."""
        while self.futures and self.futures[0].done():
            self._collect()
        while len(self.futures) < self.DEPTH and not self._should_stop():
            window = self._window()
            if window is None:
                break
            hashes, texts = window
            self.in_flight.update(hashes)
            self.futures.append(self.pool.submit(_encode, self.emb, hashes, texts))
        return self.embedded

    def _window(self) -> tuple[list[str], list[str]] | None:
        """The next full window of pending texts not yet in flight, sorted by length; None until one
        is full (a partial window waits: full batches waste nothing on the model)."""
        self._record_dim()
        want = self.want
        # Each in-flight text holds at least one pending row, so fewer rows than this cannot fill
        # a window: a count over the partial index instead of reading texts after every file
        # (which, with a fast GPU model, made the indexer thread the bottleneck).
        if self.store.count_pending() - len(self.in_flight) < want:
            return None
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
        if len(unique) < want:
            return None
        items = sorted(unique.items(), key=lambda kv: len(kv[1]))[:want]
        return [h for h, _ in items], [t for _, t in items]

    def _record_dim(self) -> None:
        """The index records its dimension at the first window this run looks for, before any vector
        is written; a run stopped before that may still switch models freely (Indexer._check_model)."""
        if not self._dim_recorded:
            self._dim_recorded = True
            if self.store.get_meta("dim") is None:
                self.store.set_meta("dim", str(self.emb.dim))

    def _collect(self) -> None:
        hashes, vecs = self.futures.popleft().result()
        self.embedded += self.store.set_vectors(hashes, vecs)
        self.in_flight.difference_update(hashes)

    def close(self, keep: bool = True) -> None:
        """Stop the thread; with `keep`, first wait for the windows in flight and store their vectors
        (without, they are dropped: those passages stay pending and the next run embeds them)."""
        if not keep:
            self.pool.shutdown(wait=False, cancel_futures=True)
            return
        try:
            while self.futures:
                self._collect()
        finally:
            self.pool.shutdown(wait=True)


def _encode(emb: Embedder, hashes: list[str], texts: list[str]) -> tuple[list[str], np.ndarray]:
    return hashes, emb.encode(texts)

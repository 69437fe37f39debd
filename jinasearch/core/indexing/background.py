"""Embedding on a helper thread while the indexer thread keeps extracting and committing."""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from ..store import PendingPassage, Store
from .embedding import Adoption, Encoder
from .late import LateWork

# While extracting, hand the helper thread this many model batches at a time.
WINDOW_BATCHES = 4


class BackgroundEmbedder:
    """Embeds on a helper thread while the indexer thread keeps extracting and committing.

    Extraction comes first (a file is keyword-searchable the moment it is committed): between files
    the indexer thread hands windows of pending passages to the helper and collects the vectors of
    finished ones, which it writes itself (one writer connection). The model's kernels run without
    the GIL, so SQLite writes proceed while it computes; its Python-side work (tokenising, launching
    kernels) does compete with this thread for the GIL. Texts already in flight are not handed out
    again; the end of the run embeds whatever is left once extraction is done. Texts a search has
    embedded already (retrieval/fresh.py) are adopted from the side file instead of handed out.

    Up to `DEPTH` windows are queued, so the model starts the next one the moment it finishes a
    window instead of idling until this thread collects it and reads the next (with a fast GPU, that
    gap is a real share of the model's time).
    """

    DEPTH = 2

    def __init__(self, encoder: Encoder, store: Store, batches: int = WINDOW_BATCHES) -> None:
        self.encoder, self.store = encoder, store
        self.want = encoder.batch_rows * batches  # texts per window
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jinasearch-embed")
        self.futures: deque[Future[tuple[list[str], np.ndarray | None]]] = deque()
        self.in_flight: set[str] = set()
        self.embedded = 0
        self._dim_recorded = False
        self.adoption = Adoption(store, encoder.emb.dim)

    def step(self) -> int:
        """Collect finished windows and queue the next while a full window is pending."""
        while self.futures and self.futures[0].done():
            self._collect()
        while len(self.futures) < self.DEPTH and not self.encoder.control.cancelled and self.encoder.lost is None:
            window = self._window()
            if window is None:
                break
            hashes, work = window
            self.in_flight.update(hashes)
            self.futures.append(self.pool.submit(self._encode, hashes, work))
        return self.embedded

    def _window(self) -> tuple[list[str], list[str] | LateWork] | None:
        """The next full window of pending texts not yet in flight (sorted by length, or in the
        store's order for late chunking), ready for the model; None until one is full (a partial
        window waits: full batches waste nothing on the model)."""
        self._record_dim()
        want = self.want
        # Each in-flight text holds at least one pending row, so fewer rows than this cannot fill
        # a window: a count over the partial index instead of reading texts after every file
        # (which, with a fast GPU model, made the indexer thread the bottleneck).
        if self.store.count_pending() - len(self.in_flight) < want:
            return None
        limit = want + len(self.in_flight)
        while True:  # duplicates (boilerplate) thin a window out: read further until it is full
            rows = self.store.pending(limit)
            items = self._adopt(self.encoder.distinct(rows, skip=self.in_flight))
            if len(items) >= want or len(rows) < limit or limit >= 16 * want:
                break
            limit *= 4
        if len(items) < want:
            return None
        items = items[:want]
        return [r.text_hash for r in items], self.encoder.prepare(items)

    def _adopt(self, items: list[PendingPassage]) -> list[PendingPassage]:
        """The items left once the side file's vectors for them are stored (they are pending no more)."""
        items, adopted = self.adoption.take(items)
        self.embedded += adopted
        return items

    def _record_dim(self) -> None:
        """The index records its dimension at the first window this run looks for, before any vector
        is written; a run stopped before that may still switch models freely (see core/policy.py)."""
        if not self._dim_recorded:
            self._dim_recorded = True
            if self.store.dim() is None:
                self.store.set_dim(self.encoder.emb.dim)

    def _encode(self, hashes: list[str], work: list[str] | LateWork) -> tuple[list[str], np.ndarray | None]:
        return hashes, self.encoder.run(work)

    def _collect(self) -> None:
        hashes, vecs = self.futures.popleft().result()
        if vecs is not None:  # None: cancelled mid-window; those passages stay pending
            self.embedded += self.store.set_vectors(hashes, vecs)
        self.in_flight.difference_update(hashes)

    def close(self, keep: bool = True) -> None:
        """Stop the thread; with `keep`, first wait for the windows in flight and store their vectors
        (without, they are dropped: those passages stay pending and the next run embeds them)."""
        self.adoption.close()
        if not keep:
            self.pool.shutdown(wait=False, cancel_futures=True)
            return
        try:
            while self.futures:
                self._collect()
        finally:
            self.pool.shutdown(wait=True)

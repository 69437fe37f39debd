"""The one embedding loop: distinct texts, sorted by length, in model batches, sliced so pause and cancel act.

Every writer of vectors goes through here: the pending passages at the end of a run, the background
embedder during extraction, a model switch's staging and a re-cut. Identical texts (boilerplate,
duplicated files) are embedded once: vectors are stored by text hash. Sorting a window by length
puts similar lengths in one batch, so the model wastes little on padding. Vectors a search already
computed for pending passages (retrieval/fresh.py) are adopted from the side file rather than
computed again (`Adoption`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ..context import model_input
from ..control import Control
from ..embed import Embedder
from ..errors import ServerError
from ..models import Chunk
from ..store import PendingPassage, Store
from ..store.documents import text_hash
from ..store.sidecar import SideVectors

# Embed in windows of this many passages read from the store (each then in model batches), so a
# cancel or pause waits for at most one batch and memory stays flat.
EMBED_WINDOW = 1024

log = logging.getLogger(__name__)

Write = Callable[[Sequence[str], np.ndarray], int]


@dataclass(frozen=True)
class Step:
    """After each model batch: distinct texts embedded so far, how many in all, and the rate."""

    done: int
    total: int
    per_s: float

    @property
    def eta_s(self) -> float | None:
        return (self.total - self.done) / self.per_s if self.per_s > 0 else None


def distinct_by_length(
    rows: Iterable[PendingPassage], skip: set[str] | frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(text_hash, text) once per distinct text not in `skip`, shortest first."""
    unique: dict[str, str] = {}
    for row in rows:
        if row.text_hash not in skip:
            unique.setdefault(row.text_hash, row.text)
    return sorted(unique.items(), key=lambda kv: len(kv[1]))


class Encoder:
    """The model as a run uses it: when the control asks for slices (the app), a batch is encoded in
    slices sized to about `control.slice_s` of model time, with a checkpoint between slices (down to
    one text when the machine is slow); otherwise in one call. `encode` returns None when cancelled."""

    def __init__(self, emb: Embedder, control: Control) -> None:
        self.emb, self.control = emb, control
        self._per_text: float | None = None  # seconds per text, a running estimate
        # The embedding server's failure, once its retries are spent: from then on `encode` returns
        # None as for a cancel, so every stage stops where it is with what it has written kept.
        self.lost: ServerError | None = None

    def _model(self, texts: Sequence[str]) -> np.ndarray | None:
        if self.lost is not None:
            return None
        try:
            return self.emb.encode(texts)
        except ServerError as exc:
            log.warning("embedding paused: %s", exc)
            self.lost = exc
            return None

    def _step(self) -> int:
        if self._per_text is None or self.control.slice_s is None:
            return 1  # unknown speed: start with one text, then grow to fill the time box
        return max(1, min(self.emb.batch_size, int(self.control.slice_s / max(self._per_text, 1e-6))))

    def encode(self, texts: Sequence[str]) -> np.ndarray | None:
        if self.control.slice_s is None:
            return self._model(texts) if self.control.checkpoint() else None
        parts: list[np.ndarray] = []
        i = 0
        while i < len(texts):
            if not self.control.checkpoint():
                return None
            chunk = list(texts[i : i + self._step()])
            t0 = time.monotonic()
            vecs = self._model(chunk)
            if vecs is None:
                return None
            parts.append(vecs)
            per = (time.monotonic() - t0) / len(chunk)
            self._per_text = per if self._per_text is None else 0.5 * self._per_text + 0.5 * per
            i += len(chunk)
        return np.concatenate(parts) if parts else np.zeros((0, self.emb.dim), dtype=np.float32)


class Adoption:
    """The vectors searches computed for this index's model (store/sidecar.py), taken before the model
    embeds a window: written as the model's would be, then forgotten by the side file. Only for the
    model and dimension the index records: a model switch stages its own vectors and adopts none."""

    def __init__(self, store: Store, dim: int) -> None:
        self.store, self.dim = store, dim
        self.model = store.model()
        self.side = SideVectors(store.path.parent, writer=True)
        self._swept = False  # another model's entries are dropped once a run

    def take(self, items: Sequence[tuple[str, str]]) -> tuple[list[tuple[str, str]], int]:
        """`items` (text hash, text) left to embed, and how many passages got an adopted vector."""
        if self.model is None or self.store.dim() not in (None, self.dim) or not items:
            return list(items), 0
        found = self.side.get(self.model, self.dim, [h for h, _ in items])
        adopted = 0
        if found:
            hashes = list(found)
            adopted = self.store.set_vectors(hashes, np.stack([found[h] for h in hashes]))
        if found or not self._swept:
            self.side.delete(self.model, list(found), other_models=not self._swept)
            self._swept = True
        return [(h, t) for h, t in items if h not in found], adopted

    def close(self) -> None:
        self.side.close()


def embed_windows(
    encoder: Encoder,
    windows: Iterable[Sequence[PendingPassage]],
    write: Write,
    total: int,
    adoption: Adoption | None = None,
) -> Iterator[Step]:
    """Embed every window's distinct texts in model batches and `write` (hashes, vectors) after each;
    yields a Step per batch. Stops early, with what was written kept, when the control is cancelled.
    With `adoption`, a window's texts a search already embedded are stored from the side file first."""
    try:
        yield from _embed_windows(encoder, windows, write, total, adoption)
    finally:
        if adoption is not None:
            adoption.close()


def _embed_windows(
    encoder: Encoder, windows: Iterable[Sequence[PendingPassage]], write: Write, total: int, adoption: Adoption | None
) -> Iterator[Step]:
    batch_size = encoder.emb.batch_size
    done = 0
    start = time.monotonic()
    for window in windows:
        items = distinct_by_length(window)
        if adoption is not None:
            items, adopted = adoption.take(items)
            done += adopted
        for i in range(0, len(items), batch_size):
            batch = items[i : i + batch_size]
            vecs = encoder.encode([t for _, t in batch])
            if vecs is None:
                return
            done += write([h for h, _ in batch], vecs)
            elapsed = time.monotonic() - start
            yield Step(min(done, total), total, done / elapsed if elapsed > 0 else 0.0)
        if encoder.control.cancelled:
            return


def texts_without_vectors(store: Store, docs: Iterable[tuple[str, Sequence[Chunk]]]) -> dict[str, str]:
    """What the model must embed for these (title, passages) before they are committed: each input
    by its text hash, for the texts no stored passage has a vector for (an unchanged passage keeps its own)."""
    new: dict[str, str] = {}
    for title, chunks in docs:
        for c in chunks:
            text = model_input(title, c.section, c.text)
            h = text_hash(text)
            if h not in new and not store.has_vector(h):
                new[h] = text
    return new


def batched(texts: Sequence[str], encoder: Encoder) -> np.ndarray | None:
    """All of `texts` in model batches (a cancel waits for one batch at most); None when cancelled."""
    parts = []
    for i in range(0, len(texts), encoder.emb.batch_size):
        vecs = encoder.encode(texts[i : i + encoder.emb.batch_size])
        if vecs is None:
            return None
        parts.append(vecs)
    return np.concatenate(parts) if parts else np.zeros((0, encoder.emb.dim), dtype=np.float32)

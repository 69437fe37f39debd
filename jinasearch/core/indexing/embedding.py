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

from ..config import NAIVE, Recipe
from ..context import model_input
from ..control import Control
from ..embed import Embedder
from ..embed.base import token_embedder
from ..errors import RecipeUnsupportedError, ServerError
from ..models import Chunk
from ..store import PendingPassage, Store
from ..store.documents import text_hash
from ..store.sidecar import SideVectors
from .late import Context, LateRunner, LateWork, docs_work, store_context

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


def distinct_rows(
    rows: Iterable[PendingPassage], skip: set[str] | frozenset[str] = frozenset(), *, by_length: bool = True
) -> list[PendingPassage]:
    """The first row of each distinct text not in `skip`: shortest first, or in the store's order
    (late chunking reads a document's passages together)."""
    unique: dict[str, PendingPassage] = {}
    for row in rows:
        if row.text_hash not in skip:
            unique.setdefault(row.text_hash, row)
    out = list(unique.values())
    return sorted(out, key=lambda r: len(r.text)) if by_length else out


def distinct_by_length(
    rows: Iterable[PendingPassage], skip: set[str] | frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(text_hash, text) once per distinct text not in `skip`, shortest first."""
    return [(r.text_hash, r.text) for r in distinct_rows(rows, skip)]


class Encoder:
    """The model as a run uses it: when the control asks for slices (the app), a batch is encoded in
    slices sized to about `control.slice_s` of model time, with a checkpoint between slices (down to
    one text when the machine is slow); otherwise in one call. `encode` returns None when cancelled."""

    def __init__(
        self, emb: Embedder, control: Control, late: LateRunner | None = None, context: Context | None = None
    ) -> None:
        self.emb, self.control = emb, control
        # Late chunking (indexing/late.py): the runner, and where it finds a passage's document.
        self.late, self.context = late, context
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

    # -- rows of the store, naive or late ------------------------------------------------------------

    @property
    def batch_rows(self) -> int:
        """Distinct texts per write: a model batch, or for late chunking enough for a few windows."""
        return self.emb.batch_size * (4 if self.late is not None else 1)

    def distinct(
        self, rows: Iterable[PendingPassage], skip: set[str] | frozenset[str] = frozenset()
    ) -> list[PendingPassage]:
        return distinct_rows(rows, skip, by_length=self.late is None)

    def batches(self, items: Sequence[PendingPassage]) -> Iterator[Sequence[PendingPassage]]:
        """`items` in writes of `batch_rows`. For late chunking a write runs on to the end of its
        document (up to 4x as many rows): a document cut between two writes would have the window at
        the cut read twice, and its vectors would depend on where the cut fell."""
        size = self.batch_rows
        i = 0
        while i < len(items):
            end = min(len(items), i + size)
            if self.late is not None:
                cap = min(len(items), i + 4 * size)
                while end < cap and items[end].doc_id == items[end - 1].doc_id:
                    end += 1
            yield items[i:end]
            i = end

    def prepare(self, rows: Sequence[PendingPassage]) -> list[str] | LateWork:
        """What `run` embeds for these rows; reads their documents' context from the store for late
        chunking, so it runs on the thread that owns the store."""
        if self.late is None or self.context is None:
            return [r.text for r in rows]
        return self.context(rows)

    def run(self, work: list[str] | LateWork) -> np.ndarray | None:
        """One vector per row `prepare` was given; None when cancelled (or the server is lost)."""
        if isinstance(work, LateWork):
            assert self.late is not None
            return self.late.run(work)
        return self.encode(work)


def make_encoder(emb: Embedder, control: Control, store: Store, recipe: Recipe) -> Encoder:
    """The run's encoder: naive, or late chunking over windows of the recipe's size (capped by the
    model's positions) with passages placed in their documents from `store`."""
    if not recipe.late:
        return Encoder(emb, control)
    tokens = token_embedder(emb)
    if tokens is None:
        raise RecipeUnsupportedError(f"'{emb.name}' gives no token vectors, which late chunking pools")
    runner = LateRunner(tokens, control, recipe.window, place_lines=recipe.place_lines)
    return Encoder(emb, control, runner, store_context(store, runner.window, place_lines=recipe.place_lines))


class Adoption:
    """The vectors searches computed for this index's model (store/sidecar.py), taken before the model
    embeds a window: written as the model's would be, then forgotten by the side file. Only for the
    model and dimension the index records: a model switch stages its own vectors and adopts none."""

    def __init__(self, store: Store, dim: int) -> None:
        self.store, self.dim = store, dim
        # Query-time vectors are each passage alone: a late-chunked index adopts none of them.
        self.model = store.model() if store.recipe() == NAIVE else None
        self.side = SideVectors(store.path.parent, writer=True)
        self._swept = False  # another model's entries are dropped once a run

    def take(self, items: Sequence[PendingPassage]) -> tuple[list[PendingPassage], int]:
        """`items` left to embed, and how many passages got an adopted vector."""
        if self.model is None or self.store.dim() not in (None, self.dim) or not items:
            return list(items), 0
        found = self.side.get(self.model, self.dim, [r.text_hash for r in items])
        adopted = 0
        if found:
            hashes = list(found)
            adopted = self.store.set_vectors(hashes, np.stack([found[h] for h in hashes]))
        if found or not self._swept:
            self.side.delete(self.model, list(found), other_models=not self._swept)
            self._swept = True
        return [r for r in items if r.text_hash not in found], adopted

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
    done = 0
    start = time.monotonic()
    for window in windows:
        items = encoder.distinct(window)
        if adoption is not None:
            items, adopted = adoption.take(items)
            done += adopted
        for batch in encoder.batches(items):
            vecs = encoder.run(encoder.prepare(batch))
            if vecs is None:
                return
            done += write([r.text_hash for r in batch], vecs)
            elapsed = time.monotonic() - start
            yield Step(min(done, total), total, done / elapsed if elapsed > 0 else 0.0)
        if encoder.control.cancelled:
            return


def new_vectors(
    store: Store, docs: Iterable[tuple[str, Sequence[Chunk]]], encoder: Encoder
) -> tuple[list[str], np.ndarray] | None:
    """Vectors for what these (title, passages) need before they are committed: the inputs no stored
    passage has a vector for (an unchanged passage keeps its own), as (text hashes, vectors); with late
    chunking each pooled in its document. None when cancelled."""
    docs = list(docs)  # read twice below (a re-cut passes a generator)
    inputs = [[model_input(title, c.section, c.text) for c in chunks] for title, chunks in docs]
    hashed = [([text_hash(t) for t in texts], texts) for texts in inputs]
    if encoder.late is not None and not encoder.late.place_lines:
        # The same texts' hashes (a passage's identity), the window reading their bare text.
        hashed = [(hashes, [c.text for c in chunks]) for (hashes, _), (_, chunks) in zip(hashed, docs)]
    new: dict[str, str] = {}
    for hashes, texts in hashed:
        for h, t in zip(hashes, texts):
            if h not in new and not store.has_vector(h):
                new[h] = t
    if encoder.late is None or not new:
        vecs = batched(list(new.values()), encoder)
        return None if vecs is None else (list(new), vecs)
    work = docs_work(hashed, set(new))
    late = encoder.late.run(work)
    return None if late is None else (list(work.hashes), late)


def batched(texts: Sequence[str], encoder: Encoder) -> np.ndarray | None:
    """All of `texts` in model batches (a cancel waits for one batch at most); None when cancelled."""
    parts = []
    for i in range(0, len(texts), encoder.emb.batch_size):
        vecs = encoder.encode(texts[i : i + encoder.emb.batch_size])
        if vecs is None:
            return None
        parts.append(vecs)
    return np.concatenate(parts) if parts else np.zeros((0, encoder.emb.dim), dtype=np.float32)

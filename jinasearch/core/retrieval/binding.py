"""The index's model as search uses it: one object, swapped whole when a model switch commits."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..config import Settings
from ..embed import Embedder, load_embedder
from ..policy import served_name
from ..store import Store, VectorIndex, open_vectors

# Sentence vectors kept for re-running or refining a query (a few MB with a 512-d model).
SENTENCE_CACHE = 20_000
# Sentences put to the model per call, shortest first: a batch is padded to its longest sentence, so
# one batch of 30 costs every sentence the price of the longest; groups of 8 by length cut the
# encode by a fifth (p50) to a quarter (p95) on two cores (docs/benchmarks.md, "Best sentences").
SENTENCE_BATCH = 8


class Binding:
    """Everything that belongs to one model: its embedder, its FAISS cache and its sentence vectors.

    `model` is the model_key the index recorded (None: a new index that has recorded none yet).
    `embedder_for` is the model the embedder embeds for; None for an embedder the caller gave
    before the index had recorded a model (it is taken to be for the first model recorded)."""

    def __init__(self, model: str | None, embedder: Embedder | None = None, embedder_for: str | None = None) -> None:
        self.model = model
        self.embedder = embedder
        self.embedder_for = embedder_for if embedder is not None else None
        self.vectors: VectorIndex | None = None
        self._sentences: OrderedDict[str, np.ndarray] = OrderedDict()

    def follow(self, recorded: str) -> Binding:
        """The binding for `recorded`, the model a switch has just committed: this embedder is kept
        only when it is for that model; vectors and sentence vectors start afresh."""
        keep = self.embedder is not None and self.embedder_for in (None, recorded)
        return Binding(recorded, self.embedder if keep else None, recorded)

    def vectors_in(self, store: Store, faiss_path: Path) -> VectorIndex | None:
        """This model's FAISS index of `store`, loaded on first use and synced with what was committed since."""
        dim = store.dim()
        if dim is None:
            return None
        if self.vectors is None or self.vectors.dim != dim or self.vectors.model not in (None, self.model):
            self.vectors = open_vectors(store, faiss_path, dim)
        else:
            self.vectors.sync(store)
        return self.vectors

    def set_embedder(self, embedder: Embedder | None) -> None:
        self.embedder = embedder
        self.embedder_for = self.model if embedder is not None else None

    def sentence_vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Sentence vectors through a small LRU cache: re-running or refining a query reuses them."""
        emb = self.embedder
        assert emb is not None
        missing = sorted((t for t in dict.fromkeys(texts) if t not in self._sentences), key=len)
        for at in range(0, len(missing), SENTENCE_BATCH):
            group = missing[at : at + SENTENCE_BATCH]
            for t, v in zip(group, emb.encode(group)):
                self._sentences[t] = v
        out = np.stack([self._sentences[t] for t in texts]) if texts else np.zeros((0, emb.dim), np.float32)
        for t in texts:
            self._sentences.move_to_end(t)
        while len(self._sentences) > SENTENCE_CACHE:
            self._sentences.popitem(last=False)
        return out


def load_model(model: str, settings: Settings, store: Store) -> Embedder:
    """The query embedder for a model key: a served model (core/policy.py: SERVED) at the server the
    settings name (it moved), else at the one the index recorded; a local model on the settings' device."""
    if served_name(model) is None:
        return load_embedder(model, device=settings.device)
    recorded_server, recorded_api = store.server()
    return load_embedder(model, server=settings.server or recorded_server, api=settings.api or recorded_api)

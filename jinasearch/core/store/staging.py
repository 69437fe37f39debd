"""Staged vectors for a model switch: the new model's vectors wait beside the old ones, then swap in at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from . import schema as sql
from .db import Store
from .passages import pending_passage
from .records import PendingPassage


class Staging:
    """The staging area of one Store. While it is in use `passages.vector` and the `model`/`dim` meta
    still describe the old model, so every searcher keeps answering with it; nothing here bumps
    `vectors_version` until the swap, so searchers' FAISS caches stay valid too."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def model(self) -> str | None:
        """The model being staged, or None when no switch is under way."""
        return self.store.get_meta(sql.META_STAGED_MODEL)

    @property
    def recipe(self) -> str:
        """The recipe being staged with `model` (core/embed/late.py: Recipe.key)."""
        return self.store.get_meta(sql.META_STAGED_RECIPE) or "naive"

    @property
    def dim(self) -> int | None:
        dim = self.store.get_meta(sql.META_STAGED_DIM)
        return int(dim) if dim else None

    def begin(self, model: str, recipe: str = "naive") -> None:
        """Start staging for `model` made by `recipe`; whatever was staged for another is dropped."""
        with self.store.db.atomic():
            if self.model != model or self.recipe != recipe:
                self._clear()
            self.store.set_meta(sql.META_STAGED_MODEL, model)
            self.store.set_meta(sql.META_STAGED_RECIPE, recipe)

    def set_dim(self, dim: int) -> None:
        self.store.set_meta(sql.META_STAGED_DIM, str(dim))

    def discard(self) -> None:
        """Forget the switch (the person went back to the index's model before it finished)."""
        with self.store.db.atomic():
            self._clear()

    def _clear(self) -> None:
        self.store.conn.execute(sql.CLEAR_STAGED)
        self.store.delete_meta(sql.META_STAGED_MODEL)
        self.store.delete_meta(sql.META_STAGED_RECIPE)
        self.store.delete_meta(sql.META_STAGED_DIM)

    def unstaged(self, after_id: int, limit: int) -> list[PendingPassage]:
        """Passages (id > after_id, in id order) whose text has no staged vector."""
        return [pending_passage(r) for r in self.store.conn.execute(sql.UNSTAGED, (after_id, limit))]

    def count_unstaged(self) -> int:
        """Distinct passage texts still without a staged vector."""
        return int(self.store.conn.execute(sql.COUNT_UNSTAGED).fetchone()[0])

    def count_staged(self) -> int:
        return int(self.store.conn.execute(sql.COUNT_STAGED).fetchone()[0])

    def stage(self, hashes: Sequence[str], vectors: np.ndarray) -> int:
        """Keep one new-model vector per distinct text (one transaction); returns how many."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        with self.store.db.atomic():
            self.store.conn.executemany(sql.STAGE_VECTOR, ((h, vectors[i].tobytes()) for i, h in enumerate(hashes)))
        return len(hashes)

    def swap(self, before_commit: Callable[[], None] | None = None) -> bool:
        """When every passage text has a staged vector: in ONE transaction replace all vectors, record
        the new model and dimension, bump `vectors_version` and empty the staging. Readers see the old
        model with its vectors or the new one with its vectors, never a mix. `before_commit` runs inside
        the transaction (the indexer deletes the FAISS file there). False when staging is incomplete."""
        with self.store.db.atomic():
            model, dim, recipe = self.model, self.dim, self.recipe
            if model is None or dim is None or self.count_unstaged() > 0:
                return False
            self.store.conn.execute(sql.SWAP_STAGED)
            self._clear()
            self.store.set_model(model)
            self.store.set_recipe(recipe)
            self.store.set_dim(dim)
            self.store.bump_vectors_version()
            if before_commit is not None:
                before_commit()
        return True

"""Bringing the FAISS cache up to date with SQLite: the one place that decides load, sync, rebuild or save."""

from __future__ import annotations

from pathlib import Path

from .db import Store
from .vectors import VectorIndex, read_header


def open_vectors(store: Store, path: Path, dim: int) -> VectorIndex:
    """The saved index if it is sound and of the store's model, else a rebuild; either way synced to the store."""
    model = store.model()
    vi = VectorIndex.load(path, dim, model=model) or VectorIndex(dim, model=model)
    vi.sync(store)
    return vi


def save_vectors(store: Store, path: Path) -> None:
    """Write the FAISS cache for what SQLite holds now (writers only, under the indexer lock).

    A no-op, without importing FAISS, when the file on disk is already at the store's vectors version
    for its model and dimension. Past the size threshold the approximate index is built first, so
    searchers load it ready-made."""
    dim = store.dim()
    if dim is None:
        return
    header = read_header(path)
    model = store.model()
    if (
        header is not None
        and header.get("version") == store.vectors_version()
        and header.get("dim") == dim
        and header.get("model", model) == model
    ):
        return
    vi = open_vectors(store, path, dim)
    if vi.needs_rebuild() or vi.rebuilding:
        vi.rebuild(wait=True)
    vi.save(path)

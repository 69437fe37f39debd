"""Storage: SQLite is the truth (documents, passages, FTS5, vectors); FAISS is a cache rebuilt from it."""

from __future__ import annotations

from .db import DocRow, Filters, FolderStats, Store, text_hash
from .vectors import VectorIndex, open_vectors

__all__ = ["DocRow", "Filters", "FolderStats", "Store", "VectorIndex", "open_vectors", "text_hash"]

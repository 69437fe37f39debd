"""Storage: SQLite is the truth (documents, passages, FTS5, vectors); FAISS is a cache rebuilt from it."""

from __future__ import annotations

from .cache import open_vectors, save_vectors
from .db import Store
from .documents import text_hash
from .records import Counts, DocRow, DocText, FolderRecord, HitRow, IndexedDoc, Neighbour, PendingPassage
from .vectors import VectorIndex

__all__ = [
    "Counts",
    "DocRow",
    "DocText",
    "FolderRecord",
    "HitRow",
    "Neighbour",
    "IndexedDoc",
    "PendingPassage",
    "Store",
    "VectorIndex",
    "open_vectors",
    "save_vectors",
    "text_hash",
]

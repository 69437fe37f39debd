"""Passage vectors in SQLite: what waits for one, writing them, and reading them out for the FAISS cache."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from ..config import EMBED_TIER
from ..context import model_input
from . import schema as sql
from .connection import Connected
from .records import PendingPassage


class Passages(Connected):
    def pending(self, limit: int) -> list[PendingPassage]:
        """Passages still waiting for a vector, most useful first (schema.PENDING)."""
        query = sql.PENDING.format(tier=EMBED_TIER)
        return [pending_passage(r) for r in self.conn.execute(query, (limit,))]

    def around(self, doc_id: int, first: int, last: int, *, bare: bool = False) -> list[PendingPassage]:
        """Passages `first`..`last` (ordinals) of one document, in order, as the model reads them
        (`bare`: their own text, without the place line)."""
        rows = self.conn.execute(sql.PASSAGES_AROUND, (doc_id, first, last))
        return [pending_passage(r, bare=bare) for r in rows]

    def count_pending(self) -> int:
        return int(self.conn.execute(sql.COUNT_PENDING).fetchone()[0])

    def has_vector(self, text_hash: str) -> bool:
        """Whether some passage with this text already has a vector (identical texts share one)."""
        return self.conn.execute(sql.HAS_VECTOR, (text_hash,)).fetchone() is not None

    def set_vectors(self, hashes: Sequence[str], vectors: np.ndarray) -> int:
        """Store one vector per distinct text; every pending passage with that text gets it."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        with self.db.atomic():
            cur = self.conn.executemany(
                sql.SET_VECTOR_BY_HASH, ((vectors[i].tobytes(), h) for i, h in enumerate(hashes))
            )
            self.bump_vectors_version()
        return int(cur.rowcount)

    def vector_ids(self) -> np.ndarray:
        """Sorted ids of passages that have a vector: every id minus the pending ones.

        Asked on the first search after each commit while indexing runs. Testing `vector IS NOT
        NULL` reads every row's blob (157 ms at 100k); all ids come from a small covering index and
        the pending ones from the partial index, fetched as one string (43 ms)."""
        every = _id_array(self.conn.execute(sql.ALL_IDS).fetchone()[0])
        pending = _id_array(self.conn.execute(sql.PENDING_IDS).fetchone()[0])
        every.sort()
        return np.setdiff1d(every, pending, assume_unique=True) if len(pending) else every

    def iter_vectors(self, dim: int, page: int = 20_000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(ids, matrix) pages of every stored vector, in id order, for building the FAISS cache."""
        last = -1
        while True:
            rows = self.conn.execute(sql.VECTORS_PAGE, (last, page)).fetchall()
            if not rows:
                return
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            mat = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dim)
            yield ids, mat
            last = int(ids[-1])

    def vectors_for(self, ids: Sequence[int], dim: int) -> tuple[np.ndarray, np.ndarray]:
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32)
        q = sql.VECTORS_FOR.format(ids=",".join("?" * len(ids)))
        rows = self.conn.execute(q, list(ids)).fetchall()
        out_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        mat = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dim)
        return out_ids, mat


def pending_passage(row: tuple, *, bare: bool = False) -> PendingPassage:  # type: ignore[type-arg]
    """(id, text, text_hash, title, section, doc_id, ord) -> the passage as the model embeds it
    (`bare`: its text alone; its hash is still that of its model input, its identity)."""
    pid, text, h, title, section, doc_id, ord_ = row
    return PendingPassage(pid, text if bare else model_input(title, section, text), h, doc_id, ord_)


def _id_array(joined: str | None) -> np.ndarray:
    """int64 ids from SQLite's group_concat (one string instead of a Python object per row)."""
    return np.array(joined.split(","), dtype=np.int64) if joined else np.zeros(0, dtype=np.int64)

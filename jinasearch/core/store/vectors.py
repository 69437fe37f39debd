"""The FAISS cache: vectors keyed by passage id, always rebuildable from SQLite, written atomically."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from .db import Store

log = logging.getLogger(__name__)

MAGIC = b"JSFAISS1\n"


def _faiss() -> Any:
    import faiss  # heavy: loaded on first use, never at app start

    return faiss


class VectorIndex:
    """Exact inner-product search over normalised vectors (cosine), keyed by passage id.

    SQLite is the truth; this object converges to it with `sync`, which diffs passage ids instead of
    trusting any bookkeeping, so a crash at any point can only make the cache stale, never wrong.
    """

    def __init__(self, dim: int, index: Any | None = None, version: int = -1) -> None:
        faiss = _faiss()
        self.dim = dim
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self.version = version

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def ids(self) -> np.ndarray:
        return _faiss().vector_to_array(self.index.id_map).astype(np.int64)

    # -- keeping up with SQLite -------------------------------------------------------------------

    def sync(self, store: Store) -> bool:
        """Bring the index up to date with the store; returns whether anything changed.

        Reads happen in one transaction so the version, the id list and the vectors are one snapshot.
        """
        conn = store.conn
        own_txn = not conn.in_transaction
        if own_txn:
            conn.execute("BEGIN")
        try:
            version = store.vectors_version()
            if version == self.version:
                return False
            want = store.vector_ids()
            have = self.ids()
            stale = np.setdiff1d(have, want, assume_unique=True)
            missing = np.setdiff1d(want, have, assume_unique=True)
            if len(stale):
                self.index.remove_ids(_faiss().IDSelectorBatch(stale))
            for start in range(0, len(missing), 20_000):
                ids, mat = store.vectors_for(missing[start : start + 20_000].tolist(), self.dim)
                if len(ids):
                    self.index.add_with_ids(mat, ids)
            self.version = version
            return bool(len(stale) or len(missing))
        finally:
            if own_txn:
                conn.execute("COMMIT")

    @classmethod
    def build(cls, store: Store, dim: int) -> VectorIndex:
        vi = cls(dim)
        vi.sync(store)
        return vi

    # -- search -----------------------------------------------------------------------------------

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (passage_id, cosine); `allowed` restricts the search to those ids (filters)."""
        if len(self) == 0 or k <= 0:
            return []
        faiss = _faiss()
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params = None
        if allowed is not None:
            if len(allowed) == 0:
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(np.ascontiguousarray(allowed, dtype=np.int64)))
        scores, ids = self.index.search(q, min(k, len(self)), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    # -- persistence ------------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write header + index to a temp file in the same folder, fsync, then atomically replace."""
        faiss = _faiss()
        header = json.dumps({"version": self.version, "dim": self.dim, "n": len(self), "saved": time.time()})
        blob = faiss.serialize_index(self.index)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + header.encode() + b"\n")
                fh.write(blob.tobytes())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    @classmethod
    def load(cls, path: Path, dim: int) -> VectorIndex | None:
        """Load a saved index; a damaged file is moved aside (and logged) and None is returned."""
        if not path.exists():
            log.info("no vector index file at %s; building it from the database", path)
            return None
        try:
            raw = path.read_bytes()
            if not raw.startswith(MAGIC):
                raise ValueError("not a jinasearch vector file")
            nl = raw.index(b"\n", len(MAGIC))
            header = json.loads(raw[len(MAGIC) : nl])
            if int(header["dim"]) != dim:
                raise ValueError(f"dimension {header['dim']} != {dim}")
            index = _faiss().deserialize_index(np.frombuffer(raw[nl + 1 :], dtype=np.uint8))
            if index.ntotal != int(header["n"]) or index.d != dim:
                raise ValueError("size does not match its header")
            return cls(dim, index, int(header["version"]))
        except Exception as exc:  # noqa: BLE001 - any damage means: rebuild from SQLite
            aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
            try:
                os.replace(path, aside)
            except OSError:
                aside = path
            log.warning("vector index %s is damaged (%s); moved to %s and rebuilding from the database",
                        path, exc, aside.name)  # fmt: skip
            return None


def read_header(path: Path) -> dict[str, Any] | None:
    """The saved index's header (version, dim, n) without loading FAISS; None if absent or unreadable."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
        if not head.startswith(MAGIC):
            return None
        header: dict[str, Any] = json.loads(head[len(MAGIC) : head.index(b"\n", len(MAGIC))])
        return header
    except (OSError, ValueError):
        return None


def open_vectors(store: Store, path: Path, dim: int) -> VectorIndex:
    """The saved index if it is sound, else a rebuild; either way synced to the store."""
    vi = VectorIndex.load(path, dim) or VectorIndex(dim)
    vi.sync(store)
    return vi


def cleanup_temp_files(folder: Path, name: str) -> None:
    """Remove temp files a killed writer left behind (they were never renamed into place)."""
    for stray in folder.glob(f"{name}.*.tmp"):
        try:
            stray.unlink()
        except OSError:
            pass

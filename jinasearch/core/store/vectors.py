"""The FAISS cache: vectors keyed by passage id, always rebuildable from SQLite, written atomically."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from .ann import ANN_REGROW, ANN_THRESHOLD, NPROBE, build_ann, exact_index, faiss_module, ivf_ids, nlist_for, vectors_of
from .db import Store

log = logging.getLogger(__name__)

MAGIC = b"JSFAISS1\n"


class VectorIndex:
    """Inner-product search over normalised vectors (cosine), keyed by passage id.

    Small indexes are scanned exhaustively (float16 copies, see `exact_index`). Past ANN_THRESHOLD vectors an IVF+SQ8 index is built on a
    background thread from a copy of the vectors; the exact index keeps answering (and keeps
    syncing) until the new one is ready, then the new one is swapped in and caught up.

    SQLite is the truth; this object converges to it with `sync`, which diffs passage ids instead of
    trusting any bookkeeping, so a crash at any point can only make the cache stale, never wrong.
    """

    def __init__(
        self, dim: int, index: Any | None = None, version: int = -1, *, auto_ann: bool = True, model: str | None = None
    ) -> None:
        self.dim = dim
        # The model whose vectors these are: after a model switch the same passage ids hold other
        # vectors, which an id diff cannot see, so a cache of another model is never reused.
        self.model = model
        self.index = index if index is not None else exact_index(dim)
        self.version = version
        self.auto_ann = auto_ann
        self._ids: np.ndarray | None = None  # sorted ids, kept for IVF (it has no id list of its own)
        self._building: threading.Thread | None = None
        self._built: tuple[Any, np.ndarray] | None = None
        self._build_failed = False
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return int(self.index.ntotal)

    @property
    def kind(self) -> str:
        return "exact" if hasattr(self.index, "id_map") else "ivf"

    def ids(self) -> np.ndarray:
        if self.kind == "exact":
            return faiss_module().vector_to_array(self.index.id_map).astype(np.int64)
        if self._ids is None:
            self._ids = ivf_ids(self.index)
        return self._ids

    # -- keeping up with SQLite -------------------------------------------------------------------

    def sync(self, store: Store) -> bool:
        """Bring the index up to date with the store; returns whether anything changed.

        Reads happen in one transaction so the version, the id list and the vectors are one snapshot.
        """
        self._adopt_built()
        with store.snapshot():
            version = store.vectors_version()
            if version == self.version:
                self._maybe_rebuild()  # e.g. a large exact index saved by an older version
                return False
            want = store.vector_ids()
            have = self.ids()
            stale = np.setdiff1d(have, want, assume_unique=True)
            missing = np.setdiff1d(want, have, assume_unique=True)
            self._remove(stale)
            for start in range(0, len(missing), 20_000):
                ids, mat = store.vectors_for(missing[start : start + 20_000].tolist(), self.dim)
                self._add(ids, mat)
            self.version = version
            changed = bool(len(stale) or len(missing))
        self._maybe_rebuild()
        return changed

    def _maybe_rebuild(self) -> None:
        if self.auto_ann and not self._build_failed and not self.rebuilding and self.needs_rebuild():
            self.rebuild(wait=False)

    def _add(self, ids: np.ndarray, mat: np.ndarray) -> None:
        if not len(ids):
            return
        self.index.add_with_ids(np.ascontiguousarray(mat, dtype=np.float32), np.ascontiguousarray(ids, np.int64))
        if self.kind == "ivf":
            self._ids = np.union1d(self.ids(), ids)

    def _remove(self, ids: np.ndarray) -> None:
        if not len(ids):
            return
        self.index.remove_ids(faiss_module().IDSelectorBatch(np.ascontiguousarray(ids, dtype=np.int64)))
        if self.kind == "ivf":
            self._ids = np.setdiff1d(self.ids(), ids, assume_unique=True)

    # -- switching to an approximate index ----------------------------------------------------------

    def needs_rebuild(self) -> bool:
        """Exact and past the threshold, or IVF grown well past what its clusters were trained for."""
        n = len(self)
        if self.kind == "exact":
            return n > ANN_THRESHOLD
        return nlist_for(n) >= ANN_REGROW * int(self.index.nlist)

    @property
    def rebuilding(self) -> bool:
        return self._building is not None and self._building.is_alive()

    def rebuild(self, *, wait: bool = True) -> None:
        """Build an IVF index from the current vectors; with wait=False on a thread (search goes on)."""
        if self.rebuilding:
            if wait:
                assert self._building is not None
                self._building.join()
                self._adopt_built()
            return
        ids, mat = self._snapshot()

        def work() -> None:
            try:
                built = build_ann(ids, mat, self.dim)
            except Exception:  # noqa: BLE001 - the exact index simply keeps serving
                log.exception("building the approximate vector index failed; staying exact")
                self._build_failed = True  # not retried on every search; a new VectorIndex retries
                return
            with self._lock:
                self._built = (built, ids)

        if wait:
            work()
            self._adopt_built()
        else:
            self._building = threading.Thread(target=work, name="jinasearch-ann-build", daemon=True)
            self._building.start()

    def _snapshot(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, float32 vectors) copied out of the index, so a build never reads memory sync changes."""
        return vectors_of(self.index, None)

    def _adopt_built(self) -> None:
        """Swap in a finished background build, then replay what changed since its snapshot."""
        with self._lock:
            built, self._built = self._built, None
        if built is None:
            return
        index, snap_ids = built
        now = self.ids()
        stale = np.setdiff1d(snap_ids, now, assume_unique=True)
        fresh_ids, fresh = vectors_of(self.index, np.setdiff1d(now, snap_ids, assume_unique=True))
        self.index, self._ids = index, np.sort(snap_ids)
        self._remove(stale)
        self._add(fresh_ids, fresh)
        self._building = None
        log.info("vector index switched to IVF (%d vectors, %d lists)", len(self), self.index.nlist)

    # -- search -----------------------------------------------------------------------------------

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (passage_id, cosine); `allowed` restricts the search to those ids (filters)."""
        self._adopt_built()
        if len(self) == 0 or k <= 0:
            return []
        faiss = faiss_module()
        # One query is scanned on one core: an OpenMP team of two only adds barriers, and on a busy
        # two-core machine it measured 4x slower (52 vs 14 ms at 100k). Per calling thread, so a
        # background ANN build keeps its threads. torch shares this OpenMP runtime, so the calling
        # thread's count is put back after: left at 1, every later encode on this thread (best
        # sentences, query-time vectors) would run on one core.
        before = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            return self._search_one(faiss, query, k, allowed)
        finally:
            faiss.omp_set_num_threads(before)

    def _search_one(self, faiss: Any, query: np.ndarray, k: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        sel = None
        if allowed is not None:
            if len(allowed) == 0:
                return []
            sel = faiss.IDSelectorBatch(np.ascontiguousarray(allowed, dtype=np.int64))
        if self.kind == "exact":
            params = faiss.SearchParameters(sel=sel) if sel is not None else None
        else:
            # A filter keeps only a share of each probed list: probe more lists so about as many
            # candidates pass it as an unfiltered search would see.
            share = min(1.0, len(allowed) / len(self)) if allowed is not None else 1.0
            nprobe = int(min(self.index.nlist, NPROBE / max(share, 1e-9)))
            params = faiss.SearchParametersIVF(nprobe=nprobe, sel=sel)
        scores, ids = self.index.search(q, min(k, len(self)), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    # -- persistence ------------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write header + index to a temp file in the same folder, fsync, then atomically replace."""
        faiss = faiss_module()
        header = json.dumps(
            {"version": self.version, "dim": self.dim, "n": len(self), "saved": time.time(), "model": self.model}
        )
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
    def load(cls, path: Path, dim: int, *, model: str | None = None) -> VectorIndex | None:
        """Load a saved index; a damaged file is moved aside (and logged) and None is returned. A file
        saved for another model than `model` is left alone (it is the other side of a model switch)."""
        if not path.exists():
            log.info("no vector index file at %s; building it from the database", path)
            return None
        try:
            raw = path.read_bytes()
            if not raw.startswith(MAGIC):
                raise ValueError("not a jinasearch vector file")
            nl = raw.index(b"\n", len(MAGIC))
            header = json.loads(raw[len(MAGIC) : nl])
            saved_for = header.get("model")
            if model is not None and saved_for is not None and saved_for != model:
                log.info("vector index %s is for model %s, not %s; building from the database", path, saved_for, model)
                return None
            if int(header["dim"]) != dim:
                raise ValueError(f"dimension {header['dim']} != {dim}")
            index = faiss_module().deserialize_index(np.frombuffer(raw[nl + 1 :], dtype=np.uint8))
            if index.ntotal != int(header["n"]) or index.d != dim:
                raise ValueError("size does not match its header")
            return cls(dim, index, int(header["version"]), model=saved_for or model)
        except Exception as exc:  # noqa: BLE001 - any damage means: rebuild from SQLite
            aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
            try:
                os.replace(path, aside)
                # Set aside now: recovery.remove_leftovers goes by this time.
                os.utime(aside, (time.time(), time.time()))
            except OSError:
                aside = path
            log.warning(
                "vector index %s is damaged (%s); moved to %s and rebuilding from the database", path, exc, aside.name
            )
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


def cleanup_temp_files(folder: Path, name: str) -> None:
    """Remove temp files a killed writer left behind (they were never renamed into place)."""
    for stray in folder.glob(f"{name}.*.tmp"):
        try:
            stray.unlink()
        except OSError:
            pass

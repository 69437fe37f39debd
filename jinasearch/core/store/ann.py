"""FAISS building blocks: the exact (float16) and approximate (IVF + SQ8) index tiers, and reading vectors out."""

from __future__ import annotations

from typing import Any

import numpy as np


def faiss_module() -> Any:
    import faiss  # heavy: loaded on first use, never at app start

    return faiss


# Above this many vectors exact search gets slow and big (~100 ms a query at 100k on two cores, over
# half a second and 1.9 GiB at 1M x 512), so the index switches to IVF with 8-bit scalar quantisation:
# 4x smaller, a few ms (docs/benchmarks.md, "Search speed").
ANN_THRESHOLD = 100_000
# Rebuild (retrain the coarse clusters) when the index has grown this much since it was trained.
ANN_REGROW = 4
# Coarse lists probed per query. A fixed count rather than a share of nlist: nlist grows like
# sqrt(n), so the vectors scanned still grow like sqrt(n), and on clustered 512-d data 128 lists
# gave recall@10 0.97 at 100k (nlist 1024) and 0.99 at 1M (nlist 4096) (benchmarks/ann.py).
NPROBE = 128


def nlist_for(n: int) -> int:
    """Coarse clusters for n vectors: a power of two near 4*sqrt(n) (the usual FAISS advice)."""
    target = 4 * max(n, 1) ** 0.5
    return int(min(65536, max(256, 2 ** round(np.log2(target)))))


def exact_index(dim: int) -> Any:
    """The small-index tier: every vector scanned, stored as float16 behind an id map.

    Half the memory of float32 and ~35% faster to scan (a single query is memory-bound: 9 vs 14 ms
    at 100k x 384 on this machine), while the top-10 is the float32 top-10 (recall@10 0.9995 on
    real MiniLM vectors, scores within 5e-5; docs/benchmarks.md, "Search speed"). SQLite keeps the float32s."""
    faiss = faiss_module()
    return faiss.IndexIDMap2(faiss.IndexScalarQuantizer(dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT))


def build_ann(ids: np.ndarray, mat: np.ndarray, dim: int) -> Any:
    """An IVF + SQ8 inner-product index over (ids, mat): codes are 1 byte a dimension."""
    faiss = faiss_module()
    nlist = nlist_for(len(ids))
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    index.own_fields = True
    quantizer.this.disown()
    # k-means on a sample: ~40 points a cluster is what FAISS needs; more only costs time.
    rng = np.random.default_rng(0)
    sample = mat if len(mat) <= 40 * nlist else mat[np.sort(rng.choice(len(mat), 40 * nlist, replace=False))]
    index.cp.niter = 12
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    for start in range(0, len(ids), 100_000):
        index.add_with_ids(
            np.ascontiguousarray(mat[start : start + 100_000], dtype=np.float32),
            np.ascontiguousarray(ids[start : start + 100_000], dtype=np.int64),
        )
    return index


def ivf_ids(index: Any) -> np.ndarray:
    faiss = faiss_module()
    inv = index.invlists
    parts = [
        faiss.rev_swig_ptr(inv.get_ids(lst), inv.list_size(lst)).copy()
        for lst in range(index.nlist)
        if inv.list_size(lst)
    ]
    return np.sort(np.concatenate(parts)).astype(np.int64) if parts else np.zeros(0, np.int64)


def vectors_of(index: Any, wanted: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(sorted ids, vectors) of `wanted` ids (None: all) read out of an exact or IVF index.

    IVF vectors come back decoded from their 8-bit codes: close, not exact (SQLite has the originals).
    """
    faiss = faiss_module()
    dim = index.d
    if hasattr(index, "id_map"):
        ids = faiss.vector_to_array(index.id_map).astype(np.int64)
        inner = faiss.downcast_index(index.index)  # float32 flat (older saves) or float16
        mat = inner.reconstruct_n(0, inner.ntotal) if inner.ntotal else np.zeros((0, dim), np.float32)
        keep = np.arange(len(ids)) if wanted is None else np.flatnonzero(np.isin(ids, wanted))
    else:
        inv, csize = index.invlists, index.code_size
        coarse = index.coarse_code_size()
        id_parts, code_parts = [], []
        for lst in range(index.nlist):
            n = inv.list_size(lst)
            if not n:
                continue
            lids = faiss.rev_swig_ptr(inv.get_ids(lst), n).copy()
            sel = np.arange(n) if wanted is None else np.flatnonzero(np.isin(lids, wanted))
            if not len(sel):
                continue
            codes = faiss.rev_swig_ptr(inv.get_codes(lst), n * csize).reshape(n, csize)[sel]
            # sa_decode wants the list number in front of each code (little-endian, `coarse` bytes).
            prefix = np.frombuffer(np.int64(lst).tobytes()[:coarse], dtype=np.uint8)
            code_parts.append(np.hstack([np.tile(prefix, (len(sel), 1)), codes]))
            id_parts.append(lids[sel])
        if not id_parts:
            return np.zeros(0, np.int64), np.zeros((0, dim), np.float32)
        ids = np.concatenate(id_parts).astype(np.int64)
        mat = index.sa_decode(np.ascontiguousarray(np.vstack(code_parts)))
        keep = np.arange(len(ids))
    order = keep[np.argsort(ids[keep], kind="stable")]
    return ids[order], np.ascontiguousarray(mat[order], dtype=np.float32)

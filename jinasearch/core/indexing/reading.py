"""Read the changed files and commit them as they come; the background embedder steps between commits."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from ..chunk import Chunking
from ..control import Control
from ..exclusions import excluded_below
from ..extract.runner import Runner, close_results, cut, ready_batches
from ..models import FileInfo, OcrOrder
from ..run_records import Progress, Task
from ..scan import fs_path
from ..store import Store
from .background import BackgroundEmbedder
from .budget import EmbedPolicy
from .changes import Changes
from .commit import commit_batch
from .tally import Tally

# Files committed in one transaction, when the runner already has that many ready: one commit (and
# one FTS5 segment) per file made SQLite this thread's largest cost with a fast GPU. A lone file is
# still committed at once, so keyword search never waits for a batch to fill.
COMMIT_FILES = 16


def commit_limit(batch_no: int) -> int:
    """How many ready files the `batch_no`-th commit of a run (from 0) may hold: the first alone, then
    doubling up to COMMIT_FILES. Whatever the runner has waiting when it starts, the first file is
    searchable after one file's transaction, and a kill then loses no more than what was in flight
    (docs/benchmarks.md, "Robustness"); the few small commits cost nothing measurable."""
    return min(COMMIT_FILES, 1 << min(batch_no, 16))


def read_and_commit(
    runner: Runner,
    changes: Changes,
    cutting: Chunking,
    store: Store,
    tally: Tally,
    background: Callable[[], BackgroundEmbedder | None],
    control: Control,
    policy: EmbedPolicy,
    task: Task = "index",
) -> Iterator[Progress]:
    """Extract (and, where the runner can, cut) every changed file; yields a Progress per commit.

    Passages are cut where files are extracted (worker processes with the sandboxed runner), which
    keeps the tokenizer off this thread: with a fast GPU, this thread's work set the pace."""
    completed = False
    embedder: BackgroundEmbedder | None = None
    excluded = NowExcluded(changes, control)
    results = runner.run(excluded.drop(with_known(store, changes.work)), changes.known, cutting)
    try:
        for batch in ready_batches(results, runner, commit_limit):
            if control.cancelled:
                break
            # Read before the person excluded it (it was in a worker): not committed either.
            batch = [r for r in batch if not excluded(r.file)]
            tally.excluded_now = len(excluded.left_out)
            if not batch:
                continue
            # A runner that could not take the chunking along (a slow Python tokenizer) returns files
            # uncut: cut them here, before the write transaction, with the runner's own per-file guard.
            batch = [cut(r, cutting) for r in batch]  # what the workers did not cut (extract/runner.py)
            commit_batch(store, batch, changes.folder_of, tally, policy)
            embedder = background()  # None until the model is in (it loads meanwhile)
            embedded = embedder.step() if embedder is not None else 0
            yield tally.progress(
                "extract", task=task, current=batch[-1].file.path, passages_total=tally.added, passages_done=embedded
            )
        completed = True
    finally:
        close_results(results)
        if embedder is not None:
            # Cancelled or failed: do not make the caller wait for the model's window in flight.
            embedder.close(keep=completed and not control.cancelled)
            tally.embedded += embedder.embedded


def with_known(store: Store, files: Iterable[FileInfo]) -> Iterator[FileInfo]:
    """`files`, each with what OCR read before for the bytes its document records, if it read any
    (extract/scanned.py: OCR is never run twice on the same bytes): a file without an order gets one
    that only takes it, an order without it (the OCR pass's) has it added. The store is read here, at
    once and in one query: the runner takes the files on its own thread, where this thread's SQLite
    connection must not go."""
    known = store.ocr_known_all()
    return (_with_known(info, known.get(info.path)) for info in files)


def _with_known(info: FileInfo, found: tuple[str, tuple[tuple[int, str], ...]] | None) -> FileInfo:
    if found is None or (info.ocr is not None and info.ocr.known):
        return info
    digest, pages = found
    return replace(info, ocr=replace(info.ocr or OcrOrder(run=False), digest=digest, known=pages))


class NowExcluded:
    """The exclusions a front end set while the run goes on (control.excludes), applied at every file:
    a file they match is not read, or not committed when it was already being read. What they match
    that is indexed already goes as exclusions always do, at the next scan (the app queues one)."""

    def __init__(self, changes: Changes, control: Control) -> None:
        self.changes, self.control = changes, control
        self.left_out: set[str] = set()

    def __call__(self, info: FileInfo) -> bool:
        patterns = self.control.excludes.current()
        if not patterns:
            return False
        root = self.changes.root_path.get(self.changes.folder_of.get(info.path, -1))
        if root is None or not excluded_below(fs_path(info.path), root, patterns):
            return False
        self.left_out.add(info.path)
        return True

    def drop(self, files: Iterable[FileInfo]) -> Iterator[FileInfo]:
        """`files` less those excluded meanwhile, decided as each is taken (the runner takes them as
        its workers free up, on its own thread)."""
        return (info for info in files if not self(info))

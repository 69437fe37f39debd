"""Run extraction over many files, yielding results as they are ready.

The runner is where isolation lives: `InlineRunner` extracts in this process (tests, tiny jobs);
other runners can extract in worker processes with time and memory limits. Both hash each file,
so the indexer can tell "touched but unchanged" from "changed".
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from hashlib import blake2b
from pathlib import Path
from typing import Protocol

from ..chunk import Chunking
from ..errors import ExtractionError
from ..models import Chunk, Extracted, FileInfo
from ..scan import fs_path
from . import extract, extract_into, size_limit
from .base import too_large
from .parts import Collector
from .scanned import ordered


@dataclass(frozen=True)
class Result:
    """One file's outcome: text, or a reason it failed; `content_hash` is None when unreadable."""

    file: FileInfo
    content_hash: str | None
    extracted: Extracted | None = None
    error: str | None = None
    # The passages, when the runner was given a Chunking (cut where the file was extracted).
    chunks: tuple[Chunk, ...] | None = None
    # Wall-clock seconds spent on the file (reading, hashing, parsing): the "slow files" list.
    seconds: float = field(default=0.0, compare=False)
    # A worker process sent the text ahead as Parts: `extracted` then holds only the title and the
    # partial-read reason, and the runner joins the parts in (see pool.py).
    streamed: bool = False
    # The worker ends after sending this (it stopped a stalled read and cannot be trusted with more).
    last: bool = False
    # Failed or read in part because of this machine's limits (time, memory, a lost worker), not
    # because of the file: worth another try on a later run (config.LIMIT_TRIES).
    limited: bool = False


# A worker's: a Collector for one reading of a file, given the content hash of what is read.
SinkFactory = Callable[[str], Collector]


class Runner(Protocol):
    def run(
        self, files: Iterable[FileInfo], known_hashes: dict[str, str | None], chunking: Chunking | None = None
    ) -> Iterator[Result]: ...

    def ready(self) -> bool:
        """Whether the running `run` has another result waiting (False: the next one may take time)."""
        ...

    def close(self) -> None: ...


def file_hash(path: str | Path) -> str:
    h = blake2b(digest_size=16)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cut(result: Result, chunking: Chunking | None) -> Result:
    """Add the passages of an extracted file and of its attachments, where not cut yet (a tokenizer
    failure fails that file, not the run)."""
    found = result.extracted
    if chunking is None or found is None:
        return result
    if result.chunks is not None and all(a.chunks is not None for a in found.attached):
        return result
    t0 = time.perf_counter()
    try:
        chunks = result.chunks if result.chunks is not None else tuple(chunking.cut(found))
        attached = tuple(
            a if a.chunks is not None else replace(a, chunks=tuple(chunking.cut(a.extracted))) for a in found.attached
        )
    except MemoryError:
        return replace(result, extracted=None, error="too large to cut into passages in memory")
    except Exception as exc:  # noqa: BLE001 - a tokenizer bug on one odd text must not stop the run
        return replace(result, extracted=None, error=f"could not cut into passages ({type(exc).__name__})")
    extracted = replace(found, attached=attached) if found.attached else found
    return replace(result, extracted=extracted, chunks=chunks, seconds=result.seconds + time.perf_counter() - t0)


def extract_one(info: FileInfo, known_hash: str | None, sink: SinkFactory | None = None) -> Result:
    """Hash, then extract unless the hash shows the content is what we already have.

    Cheap refusals come first (not a regular file, over the size cap) so a huge or special file is
    never read. The file is stat'ed again after extraction: if it changed meanwhile the text may be
    a mix of old and new, so it is read once more from its new state, and if it is still changing
    the result is discarded as 'changed while being read' (the next run retries it).

    `sink` (a worker process's): each attempt's text goes to a fresh Collector from it, which sends
    it on; without one, the text is collected here and returned in the Result.
    """
    t0 = time.perf_counter()
    result = _extract_checked(info, known_hash, sink)
    if result.error == CHANGED:
        fresh = _restat(info)
        if fresh is not None:
            result = _extract_checked(fresh, known_hash, sink)
    return replace(result, seconds=time.perf_counter() - t0)


CHANGED = "changed while being read; will retry"


def _restat(info: FileInfo) -> FileInfo | None:
    try:
        st = os.stat(fs_path(info.path))
    except OSError:
        return None
    return replace(info, size=st.st_size, mtime=st.st_mtime)


def _extract_checked(info: FileInfo, known_hash: str | None, sink: SinkFactory | None) -> Result:
    path = fs_path(info.path)
    try:
        st = os.stat(path)
    except OSError as exc:
        return Result(info, None, error=_os_reason(exc))
    if not stat.S_ISREG(st.st_mode):
        # Replaced by a FIFO or device since the scan: opening it could block forever.
        return Result(info, None, error="not a regular file")
    limit = size_limit(path)  # base.MAX_FILE_BYTES; far more for a mailbox, read a message at a time
    if st.st_size > limit:
        return Result(info, None, error=too_large(st.st_size, limit))
    try:
        digest = file_hash(path)
    except OSError as exc:
        return Result(info, None, error=_os_reason(exc))
    if known_hash is not None and digest == known_hash and _same(path, info):
        return Result(info, digest)
    streamed = sink is not None
    try:
        if sink is None:
            extracted = extract(path, ordered(info.ocr, digest))
        else:
            collector = sink(digest)
            collector.ocr = ordered(info.ocr, digest)
            extract_into(path, collector)
            extracted = collector.summary()
    except ExtractionError as exc:
        return Result(info, digest, error=exc.reason, streamed=streamed, limited=exc.limited)
    if not _same(path, info):
        if not os.path.lexists(path):
            return Result(info, None, error="file disappeared while being read", streamed=streamed)
        return Result(info, None, error=CHANGED, streamed=streamed)
    return Result(info, digest, extracted=extracted, streamed=streamed)


def _same(path: str, info: FileInfo) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    return st.st_size == info.size and st.st_mtime == info.mtime


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "file disappeared before it could be read"
    return f"cannot read: {exc.strerror or exc}"


class InlineRunner:
    """Extract in the calling process, one file at a time."""

    def run(
        self, files: Iterable[FileInfo], known_hashes: dict[str, str | None], chunking: Chunking | None = None
    ) -> Iterator[Result]:
        for info in files:
            yield cut(extract_one(info, known_hashes.get(info.path)), chunking)

    def ready(self) -> bool:
        return False  # the next result is extracted when asked for

    def close(self) -> None:
        pass


def close_results(results: Iterator[Result]) -> None:
    """Close a runner's result stream (a generator): an error or an early stop must not leave the
    runner's workers to the garbage collector."""
    close = getattr(results, "close", None)
    if close is not None:
        close()


def ready_batches(
    results: Iterator[Result], runner: Runner, limit: int | Callable[[int], int]
) -> Iterator[list[Result]]:
    """Group results that are already waiting (at most `limit`, or `limit(n)` for the n-th batch,
    counted from 0); a batch never waits for a result still being extracted, so grouping adds no
    delay before a file is searchable."""
    batch: list[Result] = []
    n = 0
    for result in results:
        batch.append(result)
        cap = limit(n) if callable(limit) else limit
        if len(batch) >= cap or not runner.ready():
            yield batch
            batch, n = [], n + 1
    if batch:
        yield batch

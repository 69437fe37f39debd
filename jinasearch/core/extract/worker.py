"""The extraction worker process: caps its own memory, dies with its parent, reads one file at a time."""

from __future__ import annotations

import importlib
import os
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection

from ..chunk import Chunking
from ..models import FileInfo
from .job import Job, Watchdog, Wire
from .limits import DEFAULT_LIMITS, Limits
from .runner import Result, SinkFactory

ExtractFn = Callable[[FileInfo, "str | None", SinkFactory], Result]
DEFAULT_TARGET = "jinasearch.core.extract.runner:extract_one"
READY = "ready"
# ("chunking", Chunking | None): cut the following files' passages here (sent once per run, not per file).
CHUNKING = "chunking"


def resolve(target: str) -> ExtractFn:
    """'package.module:function' -> the function (tests point workers at misbehaving extractors)."""
    module, _, name = target.partition(":")
    fn: ExtractFn = getattr(importlib.import_module(module), name)
    return fn


def limit_memory(max_bytes: int | None) -> None:
    """Cap this process's address space so a bomb raises MemoryError here instead of swapping the machine.

    RLIMIT_AS is enforced on Linux; macOS accepts but ignores it and Windows has no `resource`, so
    there the time limit is the only guard.
    """
    if not max_bytes or not sys.platform.startswith("linux"):
        return
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    except (ImportError, ValueError, OSError):
        pass


def die_with_parent(parent_pid: int) -> None:
    """If the indexer is killed (even by SIGKILL), take this worker with it: no orphaned parsers."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(0)


def main(
    conn: Connection, parent_pid: int, max_bytes: int | None, target: str, limits: Limits = DEFAULT_LIMITS
) -> None:
    """Serve (FileInfo, known_hash) requests until the parent sends None or goes away."""
    die_with_parent(parent_pid)
    # One worker is one core's worth of work: the tokenizer must not start its own thread pool.
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    # Ctrl-C in a terminal reaches the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limit_memory(max_bytes)
    extract_fn = resolve(target)
    # Import the parsers now, so the first file's limits are spent parsing, not importing.
    for module in ("pypdfium2", "pypdf", "docx", "lxml.html", "charset_normalizer"):
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    wire = Wire(conn)
    watchdog = Watchdog(wire, limits)
    wire.send(READY)
    chunking: Chunking | None = None
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        if request[0] == CHUNKING:
            chunking = request[1]
            continue
        info, known_hash = request
        job = Job(wire, info, chunking, limits)
        watchdog.watch(job)
        try:
            result = job.run(extract_fn, known_hash)
        except MemoryError:
            result = Result(info, None, error="too large to extract in memory", limited=True)
        except Exception as exc:  # noqa: BLE001 - report it; the parent records the file as failed
            result = Result(info, None, error=f"extractor failed ({type(exc).__name__})")
        watchdog.watch(None)
        if not job.end(result):
            return

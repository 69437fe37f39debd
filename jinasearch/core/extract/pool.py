"""Sandboxed extraction: worker processes with limits that scale with the file (limits.py) and a memory cap.

A parser that hangs, crashes or balloons on one hostile file costs that file only: its worker is
stopped (keeping what it had read) or killed and replaced, and the file is recorded with a reason a
person can read. Results
are yielded as they are ready (completion order), from a background thread that keeps the
workers busy while the indexer commits and embeds. Given a Chunking, the workers also cut each
file's passages, so the model's tokenizer runs there, in parallel, not on the indexer thread.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import pickle
import queue
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait

from ..chunk import Chunking
from ..models import FileInfo
from . import worker
from .limits import DEFAULT_LIMITS, Limits
from .procs import STARTUP_S, WorkerProc
from .runner import Result, Runner

log = logging.getLogger(__name__)

MEMORY_MB = 1024
# A worker is replaced after this many files so a slow leak in a parser cannot grow without bound.
MAX_TASKS_PER_WORKER = 2000
_DONE = object()


def default_workers() -> int:
    """One core is left for embedding, but at least two workers so one hung file never stalls the queue."""
    return max(2, min(4, (os.cpu_count() or 2) - 1))


class ProcessRunner:
    """Runner that extracts in worker processes (spawned, never forked from a threaded parent)."""

    def __init__(
        self,
        workers: int | None = None,
        *,
        limits: Limits = DEFAULT_LIMITS,
        timeout_s: float | None = None,
        memory_mb: int | None = MEMORY_MB,
        target: str = worker.DEFAULT_TARGET,
        max_tasks: int = MAX_TASKS_PER_WORKER,
    ) -> None:
        self.workers = workers or default_workers()
        # `timeout_s` (tests): every limit that many seconds, nothing per MB.
        self.limits = Limits.uniform(timeout_s) if timeout_s is not None else limits
        self.memory_bytes = memory_mb * 1024 * 1024 if memory_mb else None
        self.target = target
        self.max_tasks = max_tasks
        self._ctx = mp.get_context("spawn")
        self._live: set[WorkerProc] = set()
        self._lock = threading.Lock()
        self._out: queue.Queue[object] | None = None  # the running `run`'s results
        self.replaced = 0  # workers killed or lost mid-file (hangs + crashes), for tests and benchmarks

    # -- the Runner protocol ----------------------------------------------------------------------

    def run(
        self, files: Iterable[FileInfo], known_hashes: dict[str, str | None], chunking: Chunking | None = None
    ) -> Iterator[Result]:
        # Pickled once per run; None (results come back uncut, the indexer cuts them) when there is
        # no chunking or it cannot travel.
        message = _chunking_message(chunking) if chunking is not None else None
        out: queue.Queue[object] = queue.Queue(maxsize=self.workers * 4)
        self._out = out
        stop = threading.Event()
        dispatch = _Dispatch(self, iter(files), known_hashes, message, out, stop)
        thread = threading.Thread(
            target=dispatch.run,
            name="jinasearch-extract-dispatch",
            daemon=True,
        )
        thread.start()
        try:
            while True:
                item = out.get()
                if item is _DONE:
                    break
                if isinstance(item, BaseException):
                    raise item
                assert isinstance(item, Result)
                yield item
        finally:
            stop.set()
            self._out = None
            while thread.is_alive():  # unblock a dispatcher waiting to put
                try:
                    out.get(timeout=0.05)
                except queue.Empty:
                    pass
            self.close()

    def ready(self) -> bool:
        return self._out is not None and not self._out.empty()

    def close(self) -> None:
        """Stop every worker now (a worker mid-file is killed: its result is not wanted any more)."""
        with self._lock:
            live, self._live = list(self._live), set()
        for w in live:
            w.discard()

    def spawn(self) -> WorkerProc:
        w = WorkerProc.spawn(self._ctx, self.memory_bytes, self.target, self.limits)
        with self._lock:
            self._live.add(w)
        return w

    def forget(self, w: WorkerProc) -> None:
        """Stop tracking a worker and make sure it is gone."""
        with self._lock:
            self._live.discard(w)
        w.discard()


class _Dispatch:
    """The dispatcher thread of one `run`: keeps every worker busy, enforces the time limits, and puts
    results (or a surprise exception) on `out` for the consuming thread."""

    def __init__(
        self,
        runner: ProcessRunner,
        files: Iterator[FileInfo],
        known: dict[str, str | None],
        chunking: bytes | None,
        out: queue.Queue[object],
        stop: threading.Event,
    ) -> None:
        self.runner, self.files, self.known, self.chunking = runner, files, known, chunking
        self.out, self.stop = out, stop
        self.busy: dict[Connection, WorkerProc] = {}
        self.starting: dict[Connection, WorkerProc] = {}
        self.idle: list[WorkerProc] = []
        self.waiting: deque[FileInfo] = deque()  # files taken from `files`, not yet handed to a worker
        self.exhausted = False

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                self._take_files()
                self._hand_out()
                self._start_workers()
                if not self.busy and not self.starting:
                    break
                if not self._collect():
                    return
            for w in self.idle:
                w.stop()
        except BaseException as exc:  # noqa: BLE001 - hand any surprise to the consuming thread
            self.out.put(exc)
            return
        finally:
            for w in list(self.busy.values()) + list(self.starting.values()) + self.idle:
                self.runner.forget(w)
        if not self.stop.is_set():
            self.out.put(_DONE)

    def _take_files(self) -> None:
        while not self.exhausted and len(self.waiting) < self.runner.workers:
            info = next(self.files, None)
            if info is None:
                self.exhausted = True
            else:
                self.waiting.append(info)

    def _hand_out(self) -> None:
        while self.waiting and self.idle:
            info = self.waiting.popleft()
            w = self.idle.pop()
            if w.send(info, self.known.get(info.path), self.chunking):
                self.busy[w.conn] = w
            else:
                self.runner.forget(w)
                self.waiting.appendleft(info)

    def _start_workers(self) -> None:
        """Workers start in the background, one per waiting file: the others keep extracting meanwhile.
        (A start imports the parsers, 0.5-2 s; waiting for it here stalled every worker, at each start
        and each recycling, and was the pipeline's bottleneck.)"""
        r = self.runner
        while (
            len(self.waiting) > len(self.starting) and len(self.busy) + len(self.starting) + len(self.idle) < r.workers
        ):
            w = r.spawn()
            self.starting[w.conn] = w

    def _collect(self) -> bool:
        """Wait for the next messages (a quarter second at most, to notice a cancel); False when the
        consumer has gone away."""
        r = self.runner
        now = time.monotonic()
        if any(w.deadline <= now for w in self.starting.values()):
            raise RuntimeError(f"could not start an extraction worker (no answer in {STARTUP_S:g} s)")
        ready = wait(list(self.busy) + list(self.starting), timeout=0.25)
        listened = time.monotonic() - now
        for conn, w in list(self.busy.items()):
            if conn not in ready:
                w.heard_nothing(listened, r.limits)
        for conn in ready:
            if conn in self.starting:
                w = self.starting.pop(conn)  # type: ignore[call-overload]
                try:
                    w.started()
                finally:
                    if not w.alive:
                        r.forget(w)
                self.idle.append(w)
                continue
            w = self.busy[conn]  # type: ignore[index]
            result, lost = w.receive(r.limits)
            if result is None and not lost:
                continue  # a heartbeat or a part: the file is still being read
            del self.busy[conn]  # type: ignore[arg-type]
            if lost or (result is not None and result.last):
                r.replaced += 1  # killed, crashed, or stopped a stalled read and exited
            if not w.alive:
                r.forget(w)
            elif w.done < r.max_tasks:
                self.idle.append(w)
            else:
                w.stop()  # a fresh one starts when there is work for it
                r.forget(w)
            if result is not None and not self._emit(result):
                return False
        return True

    def _emit(self, result: Result) -> bool:
        while not self.stop.is_set():
            try:
                self.out.put(result, timeout=0.2)
                return True
            except queue.Full:  # the indexer is busy; the workers' own watchdogs keep their limits
                pass
        return False


def _chunking_message(chunking: Chunking) -> bytes | None:
    """The worker's ("chunking", Chunking) message, pickled; None when it cannot travel (a slow
    Python tokenizer cannot)."""
    try:
        return pickle.dumps((worker.CHUNKING, chunking))
    except Exception as exc:  # noqa: BLE001 - any pickling failure means "cut in the indexer"
        log.info("passages are cut in the indexer process: %s", exc)
        return None


def default_runner() -> Runner:
    """What the app and CLI use: sandboxed workers."""
    return ProcessRunner()

"""Sandboxed extraction: worker processes with a per-file time limit and a memory cap.

A parser that hangs, crashes or balloons on one hostile file costs that file only: its worker is
killed and replaced, and the file is recorded as failed with a reason a person can read. Results
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
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from ..chunk import Chunking
from ..models import FileInfo
from . import worker
from .runner import Result, Runner

log = logging.getLogger(__name__)

TIMEOUT_S = 30.0
MEMORY_MB = 1024
# A worker is replaced after this many files so a slow leak in a parser cannot grow without bound.
MAX_TASKS_PER_WORKER = 2000
STARTUP_S = 120.0
_DONE = object()


def default_workers() -> int:
    """One core is left for embedding, but at least two workers so one hung file never stalls the queue."""
    return max(2, min(4, (os.cpu_count() or 2) - 1))


@dataclass(eq=False)
class _Worker:
    proc: Any
    conn: Connection
    task: FileInfo | None = None
    deadline: float = 0.0
    done: int = 0
    timed_out: bool = False
    alive: bool = True


class ProcessRunner:
    """Runner that extracts in worker processes (spawned, never forked from a threaded parent)."""

    def __init__(
        self,
        workers: int | None = None,
        *,
        timeout_s: float = TIMEOUT_S,
        memory_mb: int | None = MEMORY_MB,
        target: str = worker.DEFAULT_TARGET,
        max_tasks: int = MAX_TASKS_PER_WORKER,
    ) -> None:
        self.workers = workers or default_workers()
        self.timeout_s = timeout_s
        self.memory_bytes = memory_mb * 1024 * 1024 if memory_mb else None
        self.target = target
        self.max_tasks = max_tasks
        self._ctx = mp.get_context("spawn")
        self._live: set[_Worker] = set()
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
        thread = threading.Thread(
            target=self._dispatch,
            args=(iter(files), known_hashes, message, out, stop),
            name="extract-dispatch",
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
            self._discard(w)

    # -- the dispatcher thread --------------------------------------------------------------------

    def _dispatch(
        self,
        files: Iterator[FileInfo],
        known: dict[str, str | None],
        chunking: bytes | None,
        out: queue.Queue[object],
        stop: threading.Event,
    ) -> None:
        busy: dict[Connection, _Worker] = {}
        starting: dict[Connection, _Worker] = {}
        idle: list[_Worker] = []
        waiting: deque[FileInfo] = deque()  # files taken from `files`, not yet handed to a worker

        def emit(result: Result) -> bool:
            while not stop.is_set():
                try:
                    out.put(result, timeout=0.2)
                    return True
                except queue.Full:  # the indexer is busy; still enforce the time limit meanwhile
                    self._kill_overdue(busy.values())
            return False

        try:
            exhausted = False
            while not stop.is_set():
                while not exhausted and len(waiting) < self.workers:
                    info = next(files, None)
                    if info is None:
                        exhausted = True
                    else:
                        waiting.append(info)
                while waiting and idle:
                    info = waiting.popleft()
                    w = idle.pop()
                    if self._send(w, info, known.get(info.path), chunking):
                        busy[w.conn] = w
                    else:
                        waiting.appendleft(info)
                # Workers start in the background, one per waiting file: the others keep extracting
                # meanwhile. (A start imports the parsers, 0.5-2 s; waiting for it here stalled every
                # worker, at each start and each recycling, and was the pipeline's bottleneck.)
                while len(waiting) > len(starting) and len(busy) + len(starting) + len(idle) < self.workers:
                    w = self._spawn()
                    starting[w.conn] = w
                if not busy and not starting:
                    break
                self._kill_overdue(busy.values())
                now = time.monotonic()
                if any(w.deadline <= now for w in starting.values()):
                    raise RuntimeError(f"could not start an extraction worker (no answer in {STARTUP_S:g} s)")
                deadlines = [w.deadline for w in busy.values() if not w.timed_out]
                deadlines += [w.deadline for w in starting.values()]
                timeout = max(0.0, min(deadlines) - now) if len(deadlines) == len(busy) + len(starting) else 0.0
                timeout = min(timeout, 0.25)  # wake up to notice a cancel
                for conn in wait(list(busy) + list(starting), timeout=timeout):
                    if conn in starting:
                        idle.append(self._started(starting.pop(conn)))  # type: ignore[arg-type]
                        continue
                    w = busy.pop(conn)  # type: ignore[arg-type]
                    result = self._receive(w)
                    if w.alive:
                        if w.done < self.max_tasks:
                            idle.append(w)
                        else:
                            self._stop(w)  # a fresh one starts when there is work for it
                    if not emit(result):
                        return
            for w in idle:
                self._stop(w)
        except BaseException as exc:  # noqa: BLE001 - hand any surprise to the consuming thread
            out.put(exc)
            return
        finally:
            for w in list(busy.values()) + list(starting.values()) + idle:
                self._discard(w)
        if not stop.is_set():
            out.put(_DONE)

    def _kill_overdue(self, workers: Iterable[_Worker]) -> None:
        """Kill workers past their deadline; their file is reported when the dead pipe is read."""
        now = time.monotonic()
        for w in list(workers):
            if not w.timed_out and w.deadline <= now:
                w.timed_out = True
                log.warning(
                    "extraction of %s timed out after %g s; replacing the worker",
                    w.task.path if w.task else "?",
                    self.timeout_s,
                )
                _terminate(w.proc)

    # -- workers ----------------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        """Start a worker; it is ready for files once its READY arrives (see `_started`)."""
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(
            target=worker.main,
            args=(child, os.getpid(), self.memory_bytes, self.target),
            name="jinasearch-extract",
            daemon=True,
        )
        proc.start()
        child.close()
        # Start-up (imports) has its own, generous limit: on a busy machine it must never count
        # against a file's time limit.
        w = _Worker(proc, parent, deadline=time.monotonic() + STARTUP_S)
        with self._lock:
            self._live.add(w)
        return w

    def _started(self, w: _Worker) -> _Worker:
        try:
            if w.conn.recv() != worker.READY:
                raise OSError("unexpected answer")
        except (OSError, EOFError) as exc:
            self._discard(w)
            raise RuntimeError(f"could not start an extraction worker ({str(exc) or 'it exited'})") from None
        return w

    def _send(self, w: _Worker, info: FileInfo, known_hash: str | None, chunking: bytes | None) -> bool:
        """Hand a file to an idle worker, with the run's chunking before its first file (a worker serves
        one run); False if the worker turned out to be dead (it is discarded)."""
        try:
            if chunking is not None and w.done == 0:
                w.conn.send_bytes(chunking)
            w.conn.send((info, known_hash))
        except (OSError, ValueError):  # the idle worker died (e.g. killed from outside)
            self._discard(w)
            return False
        w.task, w.deadline = info, time.monotonic() + self.timeout_s
        return True

    def _receive(self, w: _Worker) -> Result:
        task = w.task
        assert task is not None
        try:
            result = w.conn.recv()
        except (EOFError, OSError):
            if w.timed_out:
                reason = f"timed out after {self.timeout_s:g} s"
            else:
                w.proc.join(timeout=2)
                reason = _crash_reason(w.proc.exitcode)
                log.warning("extractor crashed on %s (%s); replacing the worker", task.path, reason)
            self.replaced += 1
            self._discard(w)
            return Result(task, None, error=reason, seconds=time.monotonic() - w.deadline + self.timeout_s)
        w.task = None
        w.done += 1
        if w.timed_out:  # finished just as it was killed: keep the result, not the worker
            self._discard(w)
        assert isinstance(result, Result)
        return result

    def _stop(self, w: _Worker) -> None:
        """Ask an idle worker to exit, then make sure it did."""
        try:
            w.conn.send(None)
            w.proc.join(timeout=2)
        except (OSError, ValueError):
            pass
        self._discard(w)

    def _discard(self, w: _Worker) -> None:
        with self._lock:
            self._live.discard(w)
        if not w.alive:
            return
        w.alive = False
        _terminate(w.proc)
        try:
            w.conn.close()
        except OSError:
            pass
        try:
            w.proc.close()
        except ValueError:
            pass


def _chunking_message(chunking: Chunking) -> bytes | None:
    """The worker's ("chunking", Chunking) message, pickled; None when it cannot travel (a slow
    Python tokenizer cannot)."""
    try:
        return pickle.dumps((worker.CHUNKING, chunking))
    except Exception as exc:  # noqa: BLE001 - any pickling failure means "cut in the indexer"
        log.info("passages are cut in the indexer process: %s", exc)
        return None


def _terminate(proc: Any) -> None:
    try:
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=5)
    except ValueError:  # already closed
        pass


def _crash_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if name == "SIGKILL":
            return "extractor crashed (killed, probably out of memory)"
        return f"extractor crashed ({name})"
    return f"extractor crashed (exit code {exitcode})"


def default_runner() -> Runner:
    """What the app and CLI use: sandboxed workers."""
    return ProcessRunner()

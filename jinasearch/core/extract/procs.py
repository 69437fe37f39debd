"""One extraction worker process as the runner sees it: start it, hand it a file, gather its answer, end it."""

from __future__ import annotations

import logging
import os
import signal
import time
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from typing import Any

from ..models import Chunk, Extracted, FileInfo
from . import job, stopped_at, worker
from .limits import Limits
from .parts import Part, assemble
from .runner import Result

log = logging.getLogger(__name__)

# Start-up (imports) has its own, generous limit: on a busy machine it must never count against a
# file's time limit.
STARTUP_S = 120.0


@dataclass(eq=False)
class WorkerProc:
    proc: Any
    conn: Connection
    task: FileInfo | None = None
    deadline: float = 0.0  # while starting: when to give up on it
    done: int = 0
    alive: bool = True
    # The file in hand: the parts received, how far the worker said it got, how long it has been silent.
    parts: list[tuple[Part, tuple[Chunk, ...] | None]] = field(default_factory=list)
    progress: tuple[int, int] = (0, 0)
    silent_s: float = 0.0
    killed_silent: bool = False
    started_at: float = 0.0

    @classmethod
    def spawn(cls, ctx: Any, memory_bytes: int | None, target: str, limits: Limits) -> WorkerProc:
        """Start a worker; it is ready for files once its READY arrives (see `started`)."""
        parent, child = ctx.Pipe(duplex=True)
        proc = ctx.Process(
            target=worker.main,
            args=(child, os.getpid(), memory_bytes, target, limits),
            name="jinasearch-extract",
            daemon=True,
        )
        proc.start()
        child.close()
        return cls(proc, parent, deadline=time.monotonic() + STARTUP_S)

    def started(self) -> None:
        """Read the worker's READY; raises RuntimeError (after discarding it) when it did not start."""
        try:
            if self.conn.recv() != worker.READY:
                raise OSError("unexpected answer")
        except (OSError, EOFError) as exc:
            self.discard()
            raise RuntimeError(f"could not start an extraction worker ({str(exc) or 'it exited'})") from None

    def send(self, info: FileInfo, known_hash: str | None, chunking: bytes | None) -> bool:
        """Hand a file to this idle worker, with the run's chunking before its first file (a worker serves
        one run); False if the worker turned out to be dead (it is discarded)."""
        try:
            if chunking is not None and self.done == 0:
                self.conn.send_bytes(chunking)
            self.conn.send((info, known_hash))
        except (OSError, ValueError):  # the idle worker died (e.g. killed from outside)
            self.discard()
            return False
        self.task, self.parts, self.progress, self.silent_s, self.killed_silent = info, [], (0, 0), 0.0, False
        self.started_at = time.monotonic()
        return True

    def heard_nothing(self, seconds: float, limits: Limits) -> None:
        """The runner listened `seconds` without a word from this busy worker; past the limit it is
        frozen (or holds the GIL in a loop) and is killed. Its file is reported when the dead pipe is read."""
        self.silent_s += seconds
        if not self.killed_silent and self.silent_s > limits.silent_s:
            self.killed_silent = True
            log.warning(
                "extraction of %s stopped responding for %g s; replacing the worker",
                self.task.path if self.task else "?",
                limits.silent_s,
            )
            terminate(self.proc)

    def receive(self, limits: Limits) -> tuple[Result | None, bool]:
        """Read one message: (the file's Result once it is final, else None; whether the worker was lost)."""
        task = self.task
        assert task is not None
        try:
            message = self.conn.recv()
        except (EOFError, OSError):
            return self._lost(task, limits), True
        self.silent_s = 0.0
        if isinstance(message, tuple):
            kind = message[0]
            if kind == job.ALIVE:
                self.progress = (message[1], message[2])
            elif kind == job.PART:
                self.parts.append((message[1], message[2]))
            elif kind == job.RESET:
                self.parts = []
            return None, False
        assert isinstance(message, Result)
        self.task = None
        self.done += 1
        result = self._joined(message)
        if message.last or self.killed_silent:  # finished just as it was stopped: keep the result, not the worker
            self.discard()
        return result, False

    def _joined(self, r: Result, parts: list[tuple[Part, tuple[Chunk, ...] | None]] | None = None) -> Result:
        """The Result with the streamed parts joined in: the text, pages, headings and passages."""
        if parts is None:
            parts, self.parts = self.parts, []
        if not r.streamed:
            return r
        # No text and no OCR to do or done: nothing was read (extracted None, "the same bytes"). A scan
        # read before OCR, or a photo without writing, sent no text but is a reading all the same.
        ocr = r.extracted is not None and (r.extracted.ocr_waiting or r.extracted.ocr_read)
        if r.error is not None or r.extracted is None or not (parts or ocr):
            return replace(r, extracted=None, streamed=False)
        extracted = assemble([p for p, _ in parts], r.extracted)
        chunks = None
        if all(c is not None for _, c in parts):
            # Numbered already: one Cutter per reading carries the count across parts (a re-read resets).
            chunks = tuple(c for _, cs in parts for c in cs or ())
        return replace(r, extracted=extracted, chunks=chunks, streamed=False)

    def _lost(self, task: FileInfo, limits: Limits) -> Result:
        """The worker died with the file in hand: what it sent is kept, with the reason."""
        # Silent, or killed (the kernel's OOM killer): this machine's limits, worth a later try. A
        # crash of its own (SIGSEGV in a parser) comes from the file and would only repeat.
        limited = self.killed_silent
        if self.killed_silent:
            reason = f"stopped responding for {limits.silent_s:g} s"
        else:
            self.proc.join(timeout=2)
            reason = crash_reason(self.proc.exitcode)
            limited = self.proc.exitcode == -getattr(signal, "SIGKILL", -1)  # Windows has no SIGKILL
            log.warning("extractor crashed on %s (%s); replacing the worker", task.path, reason)
        done, total = self.progress
        parts, self.parts = self.parts, []
        self.discard()
        seconds = time.monotonic() - self.started_at
        if parts:
            why = f"stopped reading{stopped_at(task.path, done, total)}: {reason}"
            extracted = Extracted("", partial=why)
            partial = Result(task, None, extracted=extracted, streamed=True, seconds=seconds, limited=limited)
            return self._joined(partial, parts)
        return Result(task, None, error=reason, seconds=seconds, limited=limited)

    def stop(self) -> None:
        """Ask an idle worker to exit, then make sure it did."""
        try:
            self.conn.send(None)
            self.proc.join(timeout=2)
        except (OSError, ValueError):
            pass
        self.discard()

    def discard(self) -> None:
        if not self.alive:
            return
        self.alive = False
        terminate(self.proc)
        try:
            self.conn.close()
        except OSError:
            pass
        try:
            self.proc.close()
        except ValueError:
            pass


def terminate(proc: Any) -> None:
    try:
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=5)
    except ValueError:  # already closed
        pass


def crash_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if name == "SIGKILL":
            return "extractor crashed (killed, probably out of memory)"
        return f"extractor crashed ({name})"
    return f"extractor crashed (exit code {exitcode})"

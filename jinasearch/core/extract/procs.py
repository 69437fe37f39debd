"""One extraction worker process as the runner sees it: start it, hand it a file, read its answer, end it."""

from __future__ import annotations

import logging
import os
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from ..models import FileInfo
from . import worker
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
    deadline: float = 0.0
    done: int = 0
    timed_out: bool = False
    alive: bool = True

    @classmethod
    def spawn(cls, ctx: Any, memory_bytes: int | None, target: str) -> WorkerProc:
        """Start a worker; it is ready for files once its READY arrives (see `started`)."""
        parent, child = ctx.Pipe(duplex=True)
        proc = ctx.Process(
            target=worker.main,
            args=(child, os.getpid(), memory_bytes, target),
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

    def send(self, info: FileInfo, known_hash: str | None, chunking: bytes | None, timeout_s: float) -> bool:
        """Hand a file to this idle worker, with the run's chunking before its first file (a worker serves
        one run); False if the worker turned out to be dead (it is discarded)."""
        try:
            if chunking is not None and self.done == 0:
                self.conn.send_bytes(chunking)
            self.conn.send((info, known_hash))
        except (OSError, ValueError):  # the idle worker died (e.g. killed from outside)
            self.discard()
            return False
        self.task, self.deadline = info, time.monotonic() + timeout_s
        return True

    def kill_if_overdue(self, now: float, timeout_s: float) -> None:
        """Kill the worker past its deadline; its file is reported when the dead pipe is read."""
        if not self.timed_out and self.deadline <= now:
            self.timed_out = True
            log.warning(
                "extraction of %s timed out after %g s; replacing the worker",
                self.task.path if self.task else "?",
                timeout_s,
            )
            terminate(self.proc)

    def receive(self, timeout_s: float) -> tuple[Result, bool]:
        """The answer for the file in hand, and whether the worker was lost (timed out or crashed)."""
        task = self.task
        assert task is not None
        try:
            result = self.conn.recv()
        except (EOFError, OSError):
            if self.timed_out:
                reason = f"timed out after {timeout_s:g} s"
            else:
                self.proc.join(timeout=2)
                reason = crash_reason(self.proc.exitcode)
                log.warning("extractor crashed on %s (%s); replacing the worker", task.path, reason)
            self.discard()
            return Result(task, None, error=reason, seconds=time.monotonic() - self.deadline + timeout_s), True
        self.task = None
        self.done += 1
        if self.timed_out:  # finished just as it was killed: keep the result, not the worker
            self.discard()
        assert isinstance(result, Result)
        return result, False

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

"""One file in a worker process: its text goes to the runner part by part, and a watchdog keeps its limits.

Messages to the runner, besides the final Result: ("alive", done, total) every heartbeat while a
file is read, ("part", Part, chunks or None) as text is ready, ("reset",) when a file that changed
while it was read is read again from the start. When the watchdog ends a read (limits.py), what
was read is sent as a partial result and the worker exits: the stuck parser cannot be interrupted.

The watchdog judges one reading at a time (`Reading`): a file read again because it changed while it
was read starts afresh, its budget, its progress and its clock, from the moment the first reading
ended. Else the second reading's hashing and setup, before its first page, counted as "no progress"
from the first reading's last page, and a healthy re-read could trip the stall limit.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from ..chunk import Chunking, Cutter
from ..models import FileInfo, Heading
from . import stopped_at
from .limits import Limits
from .parts import Collector, Part
from .runner import Result, SinkFactory, cut

ALIVE, PART, RESET = "alive", "part", "reset"


class Wire:
    """The pipe to the runner, shared by the reading thread and the watchdog."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.lock = threading.Lock()

    def send(self, message: object) -> None:
        with self.lock:
            self.conn.send(message)


@dataclass
class Reading:
    """How far one reading of the file got, and when it began (the process's CPU time, the monotonic
    clock): what the watchdog judges. A new one begins with the file and after each reading ends."""

    cpu: float = field(default_factory=time.process_time)
    at: float = field(default_factory=time.monotonic)
    done: int = 0
    total: int = 0
    progressed: bool = False


class Job:
    def __init__(self, wire: Wire, info: FileInfo, chunking: Chunking | None, limits: Limits) -> None:
        self.wire, self.info, self.chunking, self.limits = wire, info, chunking, limits
        self.lock = threading.Lock()  # the collector's state: the reading thread vs. the watchdog
        self.collector: Collector | None = None
        self.cutter: Cutter | None = None
        self.reading = Reading()
        self.finished = False
        self.attempts = 0
        self.digest: str | None = None

    # -- the reading thread -----------------------------------------------------------------------

    def run(self, extract_fn: Callable[[FileInfo, str | None, SinkFactory], Result], known_hash: str | None) -> Result:
        return extract_fn(self.info, known_hash, self._new_sink)

    def _new_sink(self, digest: str) -> Collector:
        """A Collector for one reading of the file (a second one means it changed while being read)."""
        with self.lock:  # the watchdog must not end the read with the last attempt's collector
            self.attempts += 1
            self.digest = digest
            self.cutter = self.chunking.cutter() if self.chunking is not None else None
            self.collector = _Locked(self._send_part, progress=self._progress, ended=self._ended, lock=self.lock)
            if self.attempts > 1:
                self.wire.send((RESET,))
        return self.collector

    def _send_part(self, part: Part) -> None:
        chunks = tuple(self.cutter.cut(part.text, part.start, part.pages, part.headings)) if self.cutter else None
        self.wire.send((PART, part, chunks))

    def _progress(self, done: int, total: int | None) -> None:
        reading = self.reading
        reading.done, reading.total, reading.progressed = done, total or 0, True

    def _ended(self) -> None:
        """A reading is done (its collector finished): what follows, handing the result over or hashing a
        file that changed meanwhile to read it again (runner.extract_one), is judged on its own."""
        self.reading = Reading()

    def end(self, result: Result) -> bool:
        """Send the final result unless the watchdog already ended the file; False: the parent is gone."""
        with self.lock:
            if self.finished:
                return True
            self.finished = True
        if not result.streamed:
            result = cut(result, self.chunking)
        try:
            self.wire.send(result)
        except MemoryError:
            self.wire.send(Result(self.info, None, error="too large to extract in memory", limited=True))
        except (EOFError, OSError):
            return False
        return True

    def stop(self, reason: str) -> None:
        """End the read from the watchdog: send what was read (if anything) as a partial result, and
        exit the process (the stuck parser cannot be interrupted)."""
        with self.lock:
            if self.finished:
                return
            self.finished = True
            collector = self.collector
            reading = self.reading
            why = f"stopped reading{stopped_at(self.info.path, reading.done, reading.total)}: {reason}"
            try:
                if collector is not None:
                    collector.note(why)
                    collector.finish_locked()
                if collector is not None and collector.has_text:
                    extracted = collector.summary()
                    # The hash of what was read: the file is not read again until it changes.
                    result = Result(self.info, self.digest, extracted=extracted, streamed=True, last=True, limited=True)
                else:
                    result = Result(self.info, None, error=why, last=True, limited=True)
                self.wire.send(result)
            finally:
                os._exit(0)


class Watchdog:
    """One thread per worker process: heartbeats for the file being read, and its limits (limits.py)."""

    def __init__(self, wire: Wire, limits: Limits) -> None:
        self.wire, self.limits = wire, limits
        self._job: Job | None = None
        self._clock: _Clock | None = None
        self._guard = threading.Lock()
        threading.Thread(target=self._loop, name="jinasearch-extract-watchdog", daemon=True).start()

    def watch(self, job: Job | None) -> None:
        with self._guard:
            self._job = job
            self._clock = _Clock(job.reading) if job is not None else None

    def _loop(self) -> None:
        while True:
            time.sleep(self.limits.heartbeat_s)
            with self._guard:
                job, clock = self._job, self._clock
            if job is None or clock is None or job.finished:
                continue
            reason = clock.check(job, self.limits, time.process_time(), time.monotonic())
            if reason is not None:
                job.stop(reason)
                continue
            try:
                self.wire.send((ALIVE, job.reading.done, job.reading.total))
            except (EOFError, OSError):
                os._exit(0)


class _Clock:
    """What the watchdog remembers of the current reading of a file: CPU at its start, at its last
    progress, when it last did anything. A new reading (Job.reading) starts the clock again."""

    def __init__(self, reading: Reading) -> None:
        self._start(reading)

    def _start(self, reading: Reading) -> None:
        self.reading = reading
        self.start_cpu = self.last_cpu = self.progress_cpu = reading.cpu
        self.active_at = reading.at
        self.done = -1

    def check(self, job: Job, limits: Limits, cpu: float, now: float) -> str | None:
        if job.reading is not self.reading:
            self._start(job.reading)
        reading = self.reading
        if reading.done != self.done:
            self.done, self.progress_cpu, self.active_at = reading.done, cpu, now
        elif cpu - self.last_cpu >= 0.05 * limits.heartbeat_s:
            self.active_at = now  # working, if not visibly progressing
        self.last_cpu = cpu
        budget = limits.cpu_budget(job.info.size)
        if cpu - self.start_cpu > budget:
            return f"took over {budget:.0f} s of CPU time"
        if reading.progressed and cpu - self.progress_cpu > limits.stall_cpu_s:
            return f"no progress for {limits.stall_cpu_s:.0f} s of CPU time"
        if now - self.active_at > limits.idle_s:
            return f"made no progress for {limits.idle_s:.0f} s"
        return None


class _Locked(Collector):
    """A Collector whose calls hold the job's lock, so the watchdog can finish it from its own thread."""

    def __init__(
        self,
        on_part: Callable[[Part], None],
        *,
        progress: Callable[[int, int | None], None],
        ended: Callable[[], None],
        lock: threading.Lock,
    ) -> None:
        super().__init__(on_part, progress=progress)
        self._ended, self._lock = ended, lock

    def page(self, number: int, raw: str) -> None:
        with self._lock:
            super().page(number, raw)

    def block(self, text: str, headings: Sequence[Heading] = ()) -> None:
        with self._lock:
            super().block(text, headings)

    def unit(self, number: int, text: str, headings: Sequence[Heading] = ()) -> None:
        with self._lock:
            super().unit(number, text, headings)

    def finish(self) -> None:
        with self._lock:
            super().finish()
            self._ended()

    def finish_locked(self) -> None:
        """`finish` for the watchdog, which holds the lock already."""
        super().finish()

"""The one way to stop or pause a running job: flags set from any thread, polled by the job.

A front end keeps a Control per worker and sets it from its own thread; the job checks it between
files, between commits and between slices of model work (a queued signal would not be delivered
while the job is busy). Nothing is raised through the job: it notices, finishes what is committed,
and returns with the outcome "cancelled".
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .exclusions import LiveExcludes


class Control:
    """Cancel and pause for one job at a time.

    `slice_s`: when set, model work is cut into slices of about this many seconds so that pause and
    cancel take effect within it even when a whole batch would take several (a slow or busy CPU,
    a large model). The app sets it; the CLI leaves it off (full batches: a little faster)."""

    def __init__(self, *, slice_s: float | None = None, on_paused: Callable[[], None] | None = None) -> None:
        self.slice_s = slice_s
        # Called (on the job's thread) when the job has actually stopped pulling work for a pause.
        self.on_paused = on_paused
        self._stop = threading.Event()
        self._resume = threading.Event()
        self._resume.set()
        # Exclusions changed while the job runs: it leaves out a file they match at its next file.
        self.excludes = LiveExcludes()

    # -- set from the front end's thread ----------------------------------------------------------

    def cancel(self) -> None:
        self._stop.set()
        self._resume.set()  # a paused job must wake up to notice

    def pause(self) -> None:
        self._resume.clear()

    def resume(self) -> None:
        self._resume.set()

    def reset(self) -> None:
        """Ready for the next job: no longer cancelled (a pause stays as it is; the app resumes it
        itself when it is not paused); it starts with its own settings' exclusions."""
        self._stop.clear()
        self.excludes.clear()

    # -- polled by the job ------------------------------------------------------------------------

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return not self._resume.is_set()

    def checkpoint(self) -> bool:
        """Block while paused; False when the job must stop."""
        if self._stop.is_set():
            return False
        if not self._resume.is_set():
            if self.on_paused is not None:
                self.on_paused()
            while not self._resume.wait(0.05):
                if self._stop.is_set():
                    return False
        return not self._stop.is_set()

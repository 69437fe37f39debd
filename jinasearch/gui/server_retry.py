"""Runs again after the embedding server cut a run short, so the vectors follow once it is back.

A run whose server went away (or was not there) ends keyword-searchable with its passages waiting
for vectors (core/indexing/embedding.py: Encoder.lost). Nothing else would start a run until a file
changes, so the app tries again on its own: after 1 minute, then 2, 4, ... up to 16, and from the
start again once a run completes. Only for faults that pass (down, busy, slow): a server that refuses
the request (no such model, bad vectors) fails again whenever it is asked, until the user acts.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from ..core.errors import ServerError
from ..core.jobs import JobResult


class ServerRetry(QObject):
    FIRST_S = 60.0
    MAX_S = 960.0

    def __init__(
        self,
        rerun: Callable[[], None],
        parent: QObject | None = None,
        *,
        reload: Callable[[], None] | None = None,
        load_failed: Callable[[], bool] = lambda: False,
    ) -> None:
        """`rerun` runs the folders; before it, `reload` loads the model again where `load_failed` (a
        server that was down when the app started: the run then waits for the new load)."""
        super().__init__(parent)
        self._rerun, self._reload, self._load_failed = rerun, reload, load_failed
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self._wait_s = self.FIRST_S

    def _fire(self) -> None:
        if self._reload is not None and self._load_failed():
            self._reload()
        self._rerun()

    @property
    def pending_s(self) -> float | None:
        """Seconds until the next try, or None when none is planned."""
        return self._timer.remainingTime() / 1000 if self._timer.isActive() else None

    def after(self, result: JobResult) -> None:
        outcome = result.outcome
        if outcome is None:
            return
        lost = outcome.keyword_only
        if isinstance(lost, ServerError) and lost.transient:
            self._timer.start(int(self._wait_s * 1000))
            self._wait_s = min(2 * self._wait_s, self.MAX_S)
        elif outcome.state == "done":
            self._timer.stop()
            self._wait_s = self.FIRST_S

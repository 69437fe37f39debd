"""The app answers `jinasearch search` from the command line (core/ask/) with its own searcher and model.

Each question is handed to the search thread, where the person's own searches run: the two take
turns on the one searcher, so neither sees the other half done, and the window's thread never waits.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout

from PySide6.QtCore import QObject, Signal, Slot

from ..core.ask import (
    ANSWER_TIMEOUT_S,
    AppAlreadyServing,
    AskPlaceError,
    AskServer,
    Failed,
    Refused,
    Reply,
    SearchRequest,
    answer_search,
    place_for,
)
from ..core.errors import JinaSearchError
from .controller import Controller
from .workers import SearchWorker

log = logging.getLogger(__name__)


class _Answerer(QObject):
    """Lives on the search thread, beside the SearchWorker whose searcher it uses."""

    def __init__(self, worker: SearchWorker) -> None:
        super().__init__()
        self._worker = worker

    @Slot(object, object)
    def answer(self, request: SearchRequest, future: Future[Reply]) -> None:
        if not future.set_running_or_notify_cancel():
            return  # the caller gave up while the person's search ran
        try:
            reply = answer_search(self._worker.open_searcher(), self._worker.settings, request)
        except JinaSearchError as exc:  # no index yet, or one still filling: said as the CLI says it
            reply = Failed(str(exc))
        except BaseException as exc:  # noqa: BLE001 - handed to the server, which refuses and logs it
            future.set_exception(exc)
            return
        future.set_result(reply)


class AskService(QObject):
    """Starts answering once the app's model is in (before that its answers would be by words alone)
    and stops at `stop()`, at quit."""

    _asked = Signal(object, object)  # SearchRequest, Future[Reply]: to the search thread
    _warm = Signal()  # to the search thread: load what the first search would wait for

    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self._models = controller.models
        self._answerer = _Answerer(controller.searcher)
        self._answerer.moveToThread(controller.search_thread)
        self._asked.connect(self._answerer.answer)
        self._warm.connect(controller.searcher.warm_up)
        self.server = AskServer(place_for(controller.data_dir), self._answer)
        self._pending: set[Future[Reply]] = set()
        self._lock = threading.Lock()
        self._closed = False
        controller.modelLoaded.connect(self._ready)
        if self._models.chosen.ready:
            self._ready()

    def _ready(self, _name: str = "") -> None:
        if self._closed or self.server.running:
            return
        self._warm.emit()  # queued on the search thread, ahead of any question
        try:
            self.server.start()
        except (AppAlreadyServing, AskPlaceError, OSError) as exc:
            log.warning("not answering the command line: %s", exc)

    def _answer(self, request: SearchRequest) -> Reply:
        """On the server's connection thread: wait for the search thread's answer."""
        future: Future[Reply] = Future()
        with self._lock:
            if self._closed:
                return Refused("closing")
            self._pending.add(future)
        self._asked.emit(request, future)
        try:
            # The command line stops waiting after ANSWER_TIMEOUT_S; an answer after that goes nowhere.
            return future.result(timeout=ANSWER_TIMEOUT_S)
        except FutureTimeout:
            future.cancel()  # still queued behind the person's search: skipped when its turn comes
            return Refused("busy")
        except CancelledError:
            return Refused("closing")
        finally:
            with self._lock:
                self._pending.discard(future)

    def stop(self) -> None:
        """Refuse what waits, stop listening, remove the socket and the key."""
        with self._lock:
            self._closed = True
            pending = list(self._pending)
        for future in pending:
            future.cancel()  # one the search thread is answering finishes; its connection is then ended
        self.server.stop()

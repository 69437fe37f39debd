"""Start worker QObjects on QThreads and remember them, so shutdown and tests can prove none is left."""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread

_THREADS: list[QThread] = []


def start_worker(worker: QObject, name: str) -> QThread:
    """Move `worker` to a new named thread and start its event loop."""
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.start()
    _THREADS[:] = [t for t in _THREADS if _alive(t)]
    _THREADS.append(thread)
    return thread


def stop_thread(thread: QThread, timeout_ms: int = 15_000) -> bool:
    """Ask the thread's event loop to end (after its current slot returns) and wait for it."""
    thread.quit()
    return bool(thread.wait(timeout_ms))


def running_threads() -> list[str]:
    """Names of the threads started here that are still running."""
    return [t.objectName() for t in _THREADS if _alive(t) and t.isRunning()]


def _alive(thread: QThread) -> bool:
    try:
        thread.isRunning()
    except RuntimeError:  # the C++ object is already gone
        return False
    return True

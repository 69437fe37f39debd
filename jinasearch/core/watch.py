"""Watch indexed folders for changes (watchdog) and report the dirty roots once things settle (debounce)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger(__name__)

OnChange = Callable[[set[str]], None]


class FolderWatcher:
    """Calls `on_change(roots)` from a timer thread `debounce_s` after the last change under a root.

    Saving a document often fires a burst (temp file, rename, modify); the debounce turns a burst
    into one re-index of that folder. Hidden files and paths under `ignore` (the data directory,
    which the indexer itself writes) never count as changes.
    """

    def __init__(self, on_change: OnChange, *, debounce_s: float = 1.5, ignore: Iterable[str] = ()) -> None:
        self._on_change = on_change
        self._debounce_s = debounce_s
        self._ignore = tuple(os.path.abspath(p).rstrip(os.sep) + os.sep for p in ignore)
        self._lock = threading.Lock()
        self._dirty: set[str] = set()
        self._timer: threading.Timer | None = None
        self._watches: dict[str, Any] = {}
        self._observer: Any = None

    def _ensure_observer(self) -> Any:
        if self._observer is None:
            from watchdog.observers import Observer  # imported on first watch, not at app start

            self._observer = Observer()
            self._observer.name = "jinasearch-watch"
            self._observer.daemon = True
            self._observer.start()
        return self._observer

    @property
    def roots(self) -> list[str]:
        return sorted(self._watches)

    def watch(self, root: str) -> bool:
        """Start watching `root` recursively; False when the platform refuses (e.g. inotify limit)."""
        root = os.path.abspath(root)
        if root in self._watches or not os.path.isdir(root):
            return root in self._watches
        from watchdog.events import FileSystemEventHandler

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: Any) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return  # reads (ours included) are not changes
                paths = [event.src_path, getattr(event, "dest_path", "") or ""]
                watcher._touched(root, [os.fsdecode(p) for p in paths if p])

        try:
            self._watches[root] = self._ensure_observer().schedule(Handler(), root, recursive=True)
        except OSError as exc:  # inotify watch limit, permissions...
            log.warning("cannot watch %s: %s", root, exc)
            return False
        return True

    def unwatch(self, root: str) -> None:
        root = os.path.abspath(root)
        handle = self._watches.pop(root, None)
        if handle is not None and self._observer is not None:
            try:
                self._observer.unschedule(handle)
            except (KeyError, ValueError):
                pass

    def _touched(self, root: str, paths: list[str]) -> None:
        relevant = [p for p in paths if not self._ignored(p)]
        if not relevant:
            return
        with self._lock:
            self._dirty.add(root)
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self._debounce_s, self._fire)
            self._timer.name = "jinasearch-debounce"
            self._timer.daemon = True
            self._timer.start()

    def _ignored(self, path: str) -> bool:
        if any(path.startswith(p) or path + os.sep == p for p in self._ignore):
            return True
        return any(part.startswith(".") for part in path.split(os.sep) if part)

    def _fire(self) -> None:
        with self._lock:
            dirty, self._dirty = self._dirty, set()
            self._timer = None
        if dirty:
            try:
                self._on_change(dirty)
            except Exception:  # noqa: BLE001 - a listener bug must not kill the timer thread silently
                log.exception("folder change listener failed")

    def stop(self) -> None:
        """Stop watching and join the observer thread; pending changes are dropped."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._dirty.clear()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None
        self._watches.clear()

"""Folder watching in the app: the core's watcher, its news brought onto the GUI thread."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal

from ..core.watch import FolderWatcher


class Watching(QObject):
    """Watches the indexed folders (none when `enabled` is False, as in tests) and says which changed."""

    changed = Signal(object)  # set[str]: the roots where something changed, on the GUI thread
    # The watcher calls back from its timer thread; a signal of this object (which lives on the GUI thread)
    # delivers the roots queued, so the controller only ever sees them on its own thread.
    _arrived = Signal(object)

    def __init__(self, ignore: str, *, debounce_s: float, enabled: bool = True) -> None:
        super().__init__()
        self._arrived.connect(self.changed)
        self.watcher = FolderWatcher(self._arrived.emit, debounce_s=debounce_s, ignore=[ignore]) if enabled else None

    def watch(self, path: str) -> None:
        if self.watcher is not None and os.path.isdir(path):
            self.watcher.watch(path)

    def unwatch(self, path: str) -> None:
        if self.watcher is not None:
            self.watcher.unwatch(path)

    def stop(self) -> None:
        """Stop watching; roots already on their way to the GUI thread are dropped, not delivered late."""
        self.blockSignals(True)
        if self.watcher is not None:
            self.watcher.stop()

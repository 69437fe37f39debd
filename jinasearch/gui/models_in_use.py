"""The models the app has loaded: the chosen one, and during a model switch the index's own for search."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..core.library import LibraryStatus
from ..core.policy import search_model_during_switch, served_name
from .model import Backend, EmbedderFactory, ModelLoader


class Models(QObject):
    """`chosen` indexes (and answers searches once the index records it); `old`, while a switch is
    staged, is the model the index still records: it keeps answering searches until the swap.
    Loaders are told apart by model key (core/policy.py), so a served model and a local one of the
    same name are two models."""

    loading = Signal(str)
    loaded = Signal(str)
    downloading = Signal(str, int, int)  # name, bytes done, bytes total
    failed = Signal(str, str)
    # The chosen model is in after runs that went without it (a first download, a server that was
    # down): those runs indexed for keyword search, and the passages wait for their vectors.
    cameBack = Signal()

    def __init__(self, factory: EmbedderFactory | None) -> None:
        super().__init__()
        self._factory = factory
        self.chosen = self._new_loader()
        self.old: ModelLoader | None = None
        self._went_without = False
        self._left: list[ModelLoader] = []  # loads given up while busy, joined at shutdown

    def loaders(self) -> list[ModelLoader]:
        """The models in use (called from the worker threads: it only reads two attributes)."""
        return [m for m in (self.chosen, self.old) if m is not None]

    def load(self, name: str, backend: Backend) -> None:
        if self.chosen.busy:  # restarting waits for the load under way: never on the window's thread
            self._left.append(self.chosen)
            self.chosen = self._new_loader()
        self.loading.emit(name)
        self.chosen.start(name, backend)

    def switch(self, name: str, backend: Backend, recorded: str | None) -> None:
        """Make `name` the model to index with, keeping the index's own model for search meanwhile."""
        previous, key = self.chosen, backend.key(name)
        if self.old is not None and self.old.key == key:
            self.chosen, self.old = self.old, None  # back to the index's model before the swap
            if self.chosen.ready:
                self.loaded.emit(name)
            return
        if recorded is not None and previous.key == recorded:
            self.old = previous
        self.chosen = self._new_loader()
        self.load(name, backend)

    def follow(self, status: LibraryStatus, chosen: str, backend: Backend) -> None:
        """Keep the index's model loaded for search while a switch is under way; let it go after the swap."""
        recorded, key = status.model, backend.key(chosen)
        if recorded is None or recorded == key:
            if self.old is not None and self.old.busy:
                self._left.append(self.old)
            self.old = None  # the swap is done (a search still using it drops it at its next query)
            return
        needed = search_model_during_switch(key, recorded, status.staged_model)
        if self.old is None and needed is not None:
            # Started while a switch was unfinished (the app was closed mid-way): search needs the old model.
            self.old = self._new_loader()
            served = served_name(needed)
            if served is None:
                self.old.start(needed, Backend(device=backend.device))
            else:  # where the index recorded it, unless the settings name a server (it moved)
                server, api = backend.server or status.server, backend.api or status.server_api
                self.old.start(served, Backend(server=server, api=api))

    def join(self, timeout: float) -> None:
        for loader in self.loaders() + self._left:
            loader.join(timeout=timeout)  # a model still loading is a daemon thread: it ends with the process

    def close(self) -> None:
        for loader in self.loaders() + self._left:
            loader.close()

    def _new_loader(self) -> ModelLoader:
        loader = ModelLoader(self._factory)
        loader.loaded.connect(self._loaded)
        loader.failed.connect(self._failed)
        loader.downloading.connect(self._downloading)
        return loader

    def _in_use(self) -> ModelLoader | None:
        """The loader whose news this is, unless it was let go (a late answer from a load given up)."""
        loader = self.sender()
        return loader if any(loader is m for m in self.loaders()) else None  # type: ignore[return-value]

    def _downloading(self, name: str, done: int, total: int) -> None:
        if self._in_use() is not None:
            self.downloading.emit(name, done, total)

    def _failed(self, name: str, message: str) -> None:
        loader = self._in_use()
        if loader is None:
            return
        if loader is self.chosen:
            self._went_without = True
        self.failed.emit(name, message)

    def _loaded(self, name: str) -> None:
        loader = self._in_use()
        if loader is None:
            return
        self.loaded.emit(name)
        if loader is self.chosen and (loader.fetching or self._went_without):
            self._went_without = False
            self.cameBack.emit()

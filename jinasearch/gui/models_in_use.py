"""The models the app has loaded: the chosen one, and during a model switch the index's own for search."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..core.library import LibraryStatus
from ..core.policy import model_key, search_model_during_switch
from .model import EmbedderFactory, ModelLoader


class Models(QObject):
    """`chosen` indexes (and answers searches once the index records it); `old`, while a switch is
    staged, is the model the index still records: it keeps answering searches until the swap."""

    loading = Signal(str)
    loaded = Signal(str)
    downloading = Signal(str, int, int)  # name, bytes done, bytes total
    failed = Signal(str, str)
    downloadedFirst = Signal()  # the chosen model had to be downloaded and is in now

    def __init__(self, factory: EmbedderFactory | None) -> None:
        super().__init__()
        self._factory = factory
        self.chosen = self._new_loader()
        self.old: ModelLoader | None = None

    def loaders(self) -> list[ModelLoader]:
        """The models in use (called from the worker threads: it only reads two attributes)."""
        return [m for m in (self.chosen, self.old) if m is not None]

    def load(self, name: str, device: str) -> None:
        self.loading.emit(name)
        self.chosen.start(name, device)

    def switch(self, name: str, device: str, recorded: str | None) -> None:
        """Make `name` the model to index with, keeping the index's own model for search meanwhile."""
        previous = self.chosen
        if self.old is not None and model_key(self.old.name) == model_key(name):
            self.chosen, self.old = self.old, None  # back to the index's model before the swap
            if self.chosen.ready:
                self.loaded.emit(name)
            return
        if recorded is not None and model_key(previous.name) == recorded:
            self.old = previous
        self.chosen = self._new_loader()
        self.load(name, device)

    def follow(self, status: LibraryStatus, chosen: str, device: str) -> None:
        """Keep the index's model loaded for search while a switch is under way; let it go after the swap."""
        recorded, key = status.model, model_key(chosen)
        if recorded is None or recorded == key:
            self.old = None  # the swap is done (a search still using it drops it at its next query)
            return
        needed = search_model_during_switch(key, recorded, status.staged_model)
        if self.old is None and needed is not None:
            # Started while a switch was unfinished (the app was closed mid-way): search needs the old model.
            self.old = self._new_loader()
            self.old.start(needed, device)

    def join(self, timeout: float) -> None:
        for loader in self.loaders():
            loader.join(timeout=timeout)  # a model still loading is a daemon thread: it ends with the process

    def _new_loader(self) -> ModelLoader:
        loader = ModelLoader(self._factory)
        loader.loaded.connect(self._loaded)
        loader.failed.connect(self.failed)
        loader.downloading.connect(self.downloading)
        return loader

    def _loaded(self, name: str) -> None:
        self.loaded.emit(name)
        if self.chosen.fetching and self.chosen.name == name:
            self.downloadedFirst.emit()

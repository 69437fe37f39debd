"""The model loads on a helper thread while files are read: keyword search does not wait for it.

Passages are cut with the model's tokenizer, read on its own from the model's tokenizer.json in a
fraction of a second (embed.load_tokenizer); the model itself takes seconds (tens on a busy
machine) and is only needed for vectors. Reading starts at once; vectors follow when it is in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..config import Settings
from ..embed import Embedder, load_embedder

Factory = Callable[[], "Embedder | None"]
# Builds the model by name and device. The app's returns None when the run was cancelled while it
# waited for the model to load.
EmbedderFactory = Callable[[str, str], "Embedder | None"]


class ModelLoad:
    """`factory()` on a daemon thread: `ready` without waiting, `result` waiting (re-raising its error)."""

    def __init__(self, factory: Factory) -> None:
        self._factory = factory
        self._done = threading.Event()
        self._embedder: Embedder | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._run, name="jinasearch-model-load", daemon=True).start()

    def _run(self) -> None:
        try:
            self._embedder = self._factory()
        except BaseException as exc:  # noqa: BLE001 - handed to whoever asks for the result
            self._error = exc
        finally:
            self._done.set()

    @property
    def ready(self) -> bool:
        return self._done.is_set()

    def result(self) -> Embedder | None:
        """The embedder (None: the wait for it was cancelled); raises what loading raised."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._embedder


def default_factory(settings: Settings) -> EmbedderFactory:
    """The model by name: on the settings' embedding server where they name one, else on this computer."""
    if settings.server is None:
        return lambda name, device: load_embedder(name, device=device)
    return lambda name, device: load_embedder(name, device=device, server=settings.server, api=settings.api)

"""Load the embedding model once, in the background, and share it safely between indexing and search."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from ..core.control import Control
from ..core.errors import JinaSearchError, ModelUnavailableError
from ..core.policy import model_key

log = logging.getLogger(__name__)

EmbedderFactory = Callable[[str, str], Any]


@dataclass(frozen=True)
class Backend:
    """Where a model runs: on this computer's `device`, or on the embedding server at `server`."""

    device: str = "auto"
    server: str | None = None
    api: str | None = None  # "ollama", "openai"; None: asked of the server

    def key(self, name: str) -> str:
        """The model's key in the index (core/policy.py): a served model is another model than a local one."""
        return model_key(name, served=self.server is not None)


def default_factory(name: str, device: str, on_progress: Callable[[int, int], None] | None = None) -> Any:
    from ..core.embed import load_embedder

    emb = load_embedder(name, device=device, on_progress=on_progress)
    # On a CPU a batch of 16 passages takes well under a second, so pause and cancel stay prompt.
    if getattr(emb, "device", "") == "cpu":
        emb.batch_size = min(emb.batch_size, 16)
    return emb


def served_factory(name: str, backend: Backend) -> Any:
    """The model `name` on the backend's embedding server (asks it once: a typed error when it cannot)."""
    from ..core.embed import load_embedder

    return load_embedder(name, server=backend.server, api=backend.api)


class SharedEmbedder:
    """One model for two threads: Hugging Face fast tokenizers raise 'Already borrowed' when used
    concurrently, so every encode goes through one lock (search waits for at most one small batch).
    The chunking tokenizer is the embedder's own copy, which nothing mutates: it needs no lock, and
    it can travel to the extraction workers."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._lock = threading.RLock()
        self.name: str = inner.name
        self.dim: int = inner.dim
        self.batch_size: int = inner.batch_size
        self.tokenizer = inner.tokenizer
        self.device: str | None = getattr(inner, "device", None)
        self.api: str | None = getattr(inner, "api", None)  # a served model's API, as the server answered
        # Late chunking needs the model's token vectors (core/embed/base.py: TokenEmbedder, recognised by
        # `specials`): only a model on this computer has them, so only its wrapper says it does.
        if hasattr(inner, "token_vectors") and hasattr(inner, "specials"):
            self.specials = inner.specials
            self.max_positions: int = inner.max_positions

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return self._inner.encode(texts)

    def encode_query(self, text: str) -> np.ndarray:
        with self._lock:
            return self._inner.encode_query(text)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        with self._lock:  # the fast tokenizer, shared with search
            return self._inner.token_ids(texts)

    def token_vectors(self, windows: Sequence[Sequence[int]]) -> list[np.ndarray]:
        # One call holds about the control's time slice of model work (indexing/late.py sizes it), as a
        # naive batch does: that is what a query waits for at most. Splitting a call per window would cost
        # throughput (8 windows of 512 tokens on a CPU: 2.2 s together, 3.6 s one by one).
        with self._lock:
            return self._inner.token_vectors(windows)

    def close(self) -> None:
        """Let go of a served model's connections (a local model has nothing to close)."""
        close = getattr(self._inner, "close", None)
        if close is not None:
            close()


class ModelLoader(QObject):
    """Loads the model on a plain thread (it is one blocking call) and announces the outcome."""

    loaded = Signal(str)  # model name
    downloading = Signal(str, int, int)  # model name, bytes done, bytes total (0 while unknown)
    failed = Signal(str, str)  # model name, message a person can act on

    def __init__(self, factory: EmbedderFactory | None = None) -> None:
        super().__init__()
        self._factory = factory or default_factory
        self._done = threading.Event()
        self._embedder: SharedEmbedder | None = None
        self._error: str | None = None
        self._exc: ModelUnavailableError | None = None  # the load's typed error, re-raised to index runs
        self._thread: threading.Thread | None = None
        self.name = ""
        self.backend = Backend()
        # True once this load had to download the model: index runs stop waiting for it (see `wait`).
        self.fetching = False

    @property
    def key(self) -> str:
        """The model as the index records it (what jobs and queries ask for)."""
        return self.backend.key(self.name)

    def start(self, name: str, backend: Backend) -> None:
        self.join()
        self.name, self.backend = name, backend
        self.fetching = False
        self._done.clear()
        self._embedder, self._error, self._exc = None, None, None
        self._thread = threading.Thread(target=self._load, args=(name, backend), name="jinasearch-model", daemon=True)
        self._thread.start()

    def _build(self, name: str, backend: Backend) -> Any:
        if self._factory is not default_factory:
            return self._factory(name, backend.device)  # the tests' models, by name
        if backend.server is not None:
            return served_factory(name, backend)
        # A local model's first run downloads it, reporting the bytes.
        return default_factory(name, backend.device, lambda done, total: self._fetched(name, done, total))

    def _load(self, name: str, backend: Backend) -> None:
        try:
            self._embedder = SharedEmbedder(self._build(name, backend))
        except Exception as exc:  # noqa: BLE001 - any loader failure becomes a message, never a crash
            self._error = str(exc) if isinstance(exc, JinaSearchError) else f"cannot load model '{name}': {exc}"
            self._exc = exc if isinstance(exc, ModelUnavailableError) else ModelUnavailableError(self._error)
            log.warning("model load failed: %s", self._error)
        finally:
            self._done.set()
        if self._error is None:
            self.loaded.emit(name)
        else:
            self.failed.emit(name, self._error)

    def _fetched(self, name: str, done: int, total: int) -> None:
        self.fetching = True
        self.downloading.emit(name, done, total)

    @property
    def busy(self) -> bool:
        """Still loading (a server that does not answer keeps a load busy until its timeouts)."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def ready(self) -> bool:
        return self._done.is_set() and self._embedder is not None

    @property
    def error(self) -> str | None:
        return self._error if self._done.is_set() else None

    def embedder(self) -> SharedEmbedder | None:
        return self._embedder if self._done.is_set() else None

    def wait(self, control: Control) -> SharedEmbedder | None:
        """Block (a worker thread) until the model is loaded; None when the job is cancelled meanwhile,
        ModelUnavailableError when loading failed. A download (minutes, on a slow line) is not waited
        for: the run indexes for keyword search now, and the controller runs again for the vectors
        once the model is in."""
        while not self._done.wait(0.1):
            if control.cancelled:
                return None
            if self.fetching:
                raise ModelUnavailableError(f"model '{self.name}' is still downloading.")
        if self._embedder is None:
            # The error as it came (a server's ServerError says whether trying again may help).
            raise self._exc or ModelUnavailableError(self._error or "model not loaded")
        return self._embedder

    def close(self) -> None:
        if self._embedder is not None:
            self._embedder.close()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
            if not self._thread.is_alive():
                self._thread = None

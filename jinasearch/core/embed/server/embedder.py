"""An Embedder whose vectors come from an embedding server (Ollama, or any OpenAI-compatible one).

The pipeline hands it a model batch; it sends that as several requests at once (bounded), so a GPU
server is kept busy while answers travel, and checks every answer before anything is stored: the
count and dimension, no NaN, no all-zero vector. A batch is all or nothing (never half-written).
Vectors are L2-normalised here, whatever the server does, as the store and FAISS expect.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ...chunk import Tokenizer
from ...errors import ServerVectorsError
from ..tokenizer import EstimatedTokenizer
from .address import ServerAddress, parse_address
from .apis import Api, detect, wire_for
from .transport import Retry, Transport

PROBE_TEXT = "jinasearch checks the connection with this sentence."
# Texts per request, and requests in flight: 32 x 4 keeps a GPU server's batcher fed without one
# request growing so large that a timeout or a retry costs much (docs/benchmarks.md, "Embedding server").
REQUEST_TEXTS = 32
IN_FLIGHT = 4


class ServerEmbedder:
    """Embeds through a server; `device` is "server", which the pipeline treats like an accelerator
    (embedding overlaps reading: the server's compute does not take this machine's cores)."""

    device = "server"

    def __init__(
        self,
        url: str | ServerAddress,
        model: str,
        *,
        api: Api | None = None,
        api_key: str | None = None,
        timeout_s: float = 120.0,
        request_texts: int = REQUEST_TEXTS,
        in_flight: int = IN_FLIGHT,
        retry: Retry = Retry(),  # noqa: B008 - frozen
        tokenizer: Tokenizer | None = None,
    ) -> None:
        self.address = url if isinstance(url, ServerAddress) else parse_address(url)
        self.name = model
        self._t = Transport(self.address, api_key=api_key, timeout_s=timeout_s, connections=in_flight, retry=retry)
        try:
            self.api: Api = api or detect(self._t)
            self._wire = wire_for(self.api, self._t, model)
            info = self._wire.info()
            t0 = time.monotonic()
            probe = self._wire.embed([PROBE_TEXT], quick=True)
            self.round_trip_s = time.monotonic() - t0
        except BaseException:
            self._t.close()
            raise
        self.dim = info.dim or _length(probe, self.address.url)
        self.max_tokens = info.context
        self._check(probe, 1)
        self.request_texts, self.in_flight = max(1, request_texts), max(1, in_flight)
        self.batch_size = self.request_texts * self.in_flight
        self.tokenizer: Tokenizer = tokenizer or served_tokenizer(model)

    def close(self) -> None:
        """Ends waits between tries and the connections: requests in flight fail at once."""
        self._t.close()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        step = self.request_texts
        parts = [list(texts[i : i + step]) for i in range(0, len(texts), step)]
        # Every request finishes (or fails) before anything is returned: a batch is all or nothing.
        answers = in_parallel(self._wire.embed, parts)
        return np.concatenate([self._check(a, len(p)) for a, p in zip(answers, parts)])

    def encode_query(self, text: str) -> np.ndarray:
        """A query waits seconds at most: a short timeout and one more try (search falls back to words)."""
        return self._check(self._wire.embed([text], quick=True), 1)[0]

    def _check(self, vectors: list[Any], count: int) -> np.ndarray:
        url = self.address.url
        if len(vectors) != count:
            raise ServerVectorsError(f"the server at {url} sent {len(vectors)} vectors for {count} texts", url)
        try:
            mat = np.asarray(vectors, dtype=np.float32)
        except (TypeError, ValueError):
            raise ServerVectorsError(f"the server at {url} sent vectors of different lengths", url) from None
        if mat.ndim != 2 or mat.shape[1] != self.dim:
            got = mat.shape[1] if mat.ndim == 2 else "?"
            raise ServerVectorsError(
                f"the server at {url} sent vectors of dimension {got}, not {self.dim}: is it serving another model?",
                url,
            )
        if not np.isfinite(mat).all():
            raise ServerVectorsError(f"the server at {url} sent a vector with NaN or infinite values", url)
        norms = np.linalg.norm(mat, axis=1, keepdims=True)
        if (norms <= 1e-12).any():
            raise ServerVectorsError(f"the server at {url} sent an all-zero vector", url)
        return np.ascontiguousarray(mat / norms, dtype=np.float32)


def in_parallel(fn: Callable[[list[str]], list[Any]], parts: list[list[str]]) -> list[Any]:
    """fn over every part at once, one daemon thread each beyond the first (the caller's): a daemon
    never holds up the process's exit (Ctrl-C) while a request waits on a slow server."""
    if len(parts) == 1:
        return [fn(parts[0])]
    answers: list[Any] = [None] * len(parts)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            answers[i] = fn(parts[i])
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(i,), daemon=True, name="jinasearch-server") for i in range(1, len(parts))
    ]
    for t in threads:
        t.start()
    run(0)
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return answers


def served_tokenizer(model: str) -> Tokenizer:
    """The tokenizer to cut passages with for a served model: the model's own tokenizer.json where one
    is on this machine (a local folder of that name, or the Hugging Face cache: Ollama's `jina/...`
    models are Jina's `jinaai/...` ones), else the estimate, which errs towards more tokens so passages
    stay within the model's window (embed/tokenizer.py)."""
    from .. import load_tokenizer

    base = model.split(":", 1)[0] if "/" in model or ":" in model else model
    candidates = [model, base]
    if base.startswith("jina/"):
        candidates.append("jinaai/" + base[len("jina/") :])
    for name in dict.fromkeys(candidates):
        found = load_tokenizer(name)
        if found is not None:
            return found
    return EstimatedTokenizer()


def _length(probe: list[Any], url: str) -> int:
    try:
        return len(probe[0])
    except (IndexError, TypeError):
        raise ServerVectorsError(f"the server at {url} sent no vector for a test sentence", url) from None

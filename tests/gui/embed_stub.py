"""A tiny OpenAI-compatible embedding server on 127.0.0.1 for the app's server tests: it checks the
dialog's and the app's plumbing (every text gets the same 2-d vector), never search quality."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.servers.common import free_port

MODEL = "m"
VECTOR = [0.6, 0.8]


class _Handler(BaseHTTPRequestHandler):
    server: StubServer  # type: ignore[assignment]

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.hold.wait(30)
        if self.path == "/v1/models":
            self._json(200, {"data": [{"id": MODEL}]})
        else:  # /api/version too: this is no Ollama, so Auto picks OpenAI's format
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:  # noqa: N802
        self.server.hold.wait(30)
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.path != "/v1/embeddings":
            self._json(404, {"error": "not found"})
            return
        texts = body.get("input") or []
        self.server.texts.extend(texts)
        self.server.keys.append(self.headers.get("Authorization"))
        self._json(200, {"data": [{"index": i, "embedding": VECTOR} for i in range(len(texts))]})

    def _json(self, status: int, data: object) -> None:
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *_args: object) -> None:  # quiet
        pass


class StubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.texts: list[str] = []  # every text it was asked to embed
        self.keys: list[str | None] = []  # the Authorization header of each embedding request
        self.hold = threading.Event()  # cleared: every request waits, as on a server that does not answer
        self.hold.set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def stub_server() -> Iterator[StubServer]:
    srv = StubServer()
    thread = threading.Thread(target=srv.serve_forever, name="stub-embed-server", daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.hold.set()
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def closed_port_url() -> str:
    """A loopback URL nothing listens on (the port was free a moment ago)."""
    return f"http://127.0.0.1:{free_port()}"

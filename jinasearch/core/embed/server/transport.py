"""JSON over HTTP to an embedding server: timeouts, retries with backoff, and errors a person can act on.

A network brings faults a local model never has: the server is not running yet, restarts mid-run,
is busy (503, 429) or slow. Transient faults are tried again with exponential backoff (the usual
advice for HTTP clients: RFC 9110 section 15.6 lets a client repeat a request after a 5xx/503, and
embedding requests are idempotent); the last error is raised typed (core/errors.py), carrying the
server's own message, so the pipeline can pause its embedding and keep what it has.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any

from ...errors import ServerError, ServerReplyError, ServerUnreachableError, ServerVectorsError
from .address import ServerAddress

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retry:
    """How often a transient fault is tried again, and how long to wait between tries (doubling)."""

    tries: int = 5
    first_wait_s: float = 0.5
    max_wait_s: float = 8.0

    def waits(self) -> list[float]:
        return [min(self.max_wait_s, self.first_wait_s * 2**i) for i in range(max(0, self.tries - 1))]


# At start a server that does not answer is most likely not running: say so soon.
CONNECT_RETRY = Retry(tries=2, first_wait_s=0.5)
# A request that timed out is tried once more, not five times: a server too slow for one answer within
# the timeout is busy or hung, and every abandoned request adds to its queue.
TIMEOUT_TRIES = 2
# The probe at connection (one sentence) and a query get a short read timeout: nothing waits minutes
# for a server that does not answer; passage batches get the full one (a cold model loads first).
PROBE_TIMEOUT_S = 10.0


class Transport:
    """One HTTP connection pool to one server (thread-safe: httpx's Client may be shared by threads)."""

    def __init__(
        self,
        address: ServerAddress,
        *,
        api_key: str | None = None,
        timeout_s: float = 120.0,
        connections: int = 4,
        retry: Retry = Retry(),  # noqa: B008 - frozen
    ) -> None:
        import httpx

        self.address, self.timeout_s, self.retry = address, timeout_s, retry
        self._closed = threading.Event()  # set by close(): waits between tries end, no new try starts
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=min(10.0, timeout_s)),
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
            headers=headers,
            # A proxy from the environment must not see (or break) traffic to this machine.
            trust_env=not address.loopback,
        )

    def close(self) -> None:
        self._closed.set()
        self._client.close()

    def get(self, url: str, *, retry: Retry | None = None, timeout_s: float | None = None) -> Any:
        return self._call("GET", url, None, retry or self.retry, timeout_s)

    def post(
        self, url: str, body: dict[str, Any], *, retry: Retry | None = None, timeout_s: float | None = None
    ) -> Any:
        return self._call("POST", url, body, retry or self.retry, timeout_s)

    def _call(self, method: str, url: str, body: dict[str, Any] | None, retry: Retry, timeout_s: float | None) -> Any:
        waits, timeouts = retry.waits(), 0
        while True:
            try:
                return self._once(method, url, body, timeout_s or self.timeout_s)
            except ServerError as exc:
                timeouts += isinstance(exc, ServerUnreachableError) and exc.timed_out
                if not exc.transient or timeouts >= TIMEOUT_TRIES or not waits or self._closed.is_set():
                    raise
                wait = waits.pop(0)
                log.info("embedding server: %s; trying again in %.1f s", exc, wait)
            self._closed.wait(wait)

    def _once(self, method: str, url: str, body: dict[str, Any] | None, timeout_s: float) -> Any:
        import httpx

        base = self.address.url
        try:
            reply = self._client.request(
                method, url, json=body, timeout=httpx.Timeout(timeout_s, connect=min(10.0, timeout_s))
            )
        except httpx.TimeoutException:
            raise ServerUnreachableError(
                f"the embedding server at {base} did not answer within {timeout_s:g} s", base, timed_out=True
            ) from None
        except httpx.ConnectError as exc:
            raise ServerUnreachableError(
                f"cannot reach the embedding server at {base} ({_reason(exc)}); is it running?", base
            ) from None
        except httpx.HTTPError as exc:  # the connection broke mid-answer, a protocol error, ...
            raise ServerUnreachableError(f"the connection to {base} broke: {_reason(exc)}", base) from None
        except RuntimeError:  # the client was closed under this request (the app is quitting)
            raise ServerUnreachableError(f"the connection to {base} was closed", base) from None
        if reply.status_code >= 400:
            detail = server_message(reply.text)
            raise ServerReplyError(
                f"the embedding server at {base} answered HTTP {reply.status_code}: {detail}",
                base,
                status=reply.status_code,
                detail=detail,
            )
        try:
            return reply.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ServerVectorsError(
                f"the embedding server at {base} answered with something that is not JSON ({reply.text[:80]!r})",
                base,
            ) from None


def server_message(text: str) -> str:
    """The server's own words from an error body: Ollama's {"error": "..."}, OpenAI's {"error":
    {"message": ...}}, FastAPI's {"detail": ...} (Infinity), or the text itself."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, ValueError):
        return text.strip()[:300] or "no message"
    if isinstance(data, dict):
        for key in ("error", "detail", "message"):
            value = data.get(key)
            if isinstance(value, dict):
                value = value.get("message") or value.get("msg")
            if isinstance(value, list) and value and isinstance(value[0], dict):
                value = value[0].get("msg")  # FastAPI's validation errors
            if isinstance(value, str) and value:
                return value[:300]
    return text.strip()[:300] or "no message"


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused"
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return "unknown host"
    return text.splitlines()[0][:160] if text else type(exc).__name__

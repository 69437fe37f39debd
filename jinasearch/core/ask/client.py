"""The command line's side: ask the running app, within a connect and an answer timeout.

Every way the app can fail to answer is an `AppUnavailable` with a typed reason, so the caller falls
back to searching itself. Light on purpose: the app is worth asking only if asking costs far less
than loading the model, so nothing here imports numpy, torch or the store.
"""

from __future__ import annotations

import os
import threading
import time
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection
from typing import Literal, cast

from .fields import WireError
from .place import Place, read_key
from .wire import Failed, Found, Refused, RefuseReason, SearchRequest, decode, encode

# Connecting and the key check take ~1 ms on a live app; a socket file left by a crash fails at once.
CONNECT_TIMEOUT_S = 0.5
# One search in the app takes 0.05-0.3 s; while it indexes on a small machine, up to a second or two.
# Past this the model would load here sooner than the app answers.
ANSWER_TIMEOUT_S = 5.0
MAX_REPLY = 64 << 20

# Why the app did not answer:
# "no-app"  - nothing listens for this data directory (no app, or a socket file left by one that crashed);
# "slow"    - it did not connect or answer in time;
# "denied"  - the key check failed (the key of an app that has since restarted, or of another user);
# "broken"  - the connection dropped or the reply was not a record (an app of another version, say);
# "refused" - the app answered Refused (its reason says why).
Unavailable = Literal["no-app", "slow", "denied", "broken", "refused"]


class AppUnavailable(Exception):
    """The app did not answer; `reason` says how (and `refused`, the app's reason when it refused).
    The caller searches itself."""

    def __init__(self, reason: Unavailable, detail: str = "", *, refused: RefuseReason | None = None) -> None:
        super().__init__(f"{reason}: {detail or refused}" if detail or refused else reason)
        self.reason: Unavailable = reason
        self.refused = refused
        self.detail = detail


class AppClient:
    """One connection to the app, for one or more requests; use as a context manager."""

    def __init__(
        self,
        place: Place,
        *,
        connect_timeout_s: float | None = None,
        answer_timeout_s: float | None = None,
        key: bytes | None = None,
    ) -> None:
        """Timeouts None: CONNECT_TIMEOUT_S and ANSWER_TIMEOUT_S. `key`: this one instead of the key file's."""
        self.place = place
        self.connect_timeout_s = CONNECT_TIMEOUT_S if connect_timeout_s is None else connect_timeout_s
        self.answer_timeout_s = ANSWER_TIMEOUT_S if answer_timeout_s is None else answer_timeout_s
        self._key = key
        self._conn: Connection | None = None
        self._sent_at = 0.0

    def __enter__(self) -> AppClient:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connect(self) -> None:
        if self.place.family == "AF_UNIX" and not os.path.exists(self.place.address):
            raise AppUnavailable("no-app")  # the common case costs one stat
        key = self._key if self._key is not None else read_key(self.place)
        if key is None:
            raise AppUnavailable("no-app", "no key")
        self._conn = _connect(self.place, key, self.connect_timeout_s)

    def ask(self, request: SearchRequest) -> Found | Failed:
        """The app's answer (Found or Failed); AppUnavailable when it refuses or does not answer in time."""
        self.send(request)
        return self.receive()

    def send(self, request: SearchRequest) -> None:
        """Send a request; `receive` waits for its answer. Between the two the caller may do its own
        work while the app searches (the command line imports its printing code then)."""
        try:
            self._connection().send_bytes(encode(request))
            self._sent_at = time.monotonic()
        except OSError as exc:
            self.close()
            raise AppUnavailable("broken", str(exc) or type(exc).__name__) from None

    def receive(self) -> Found | Failed:
        """The answer to the oldest request not yet answered, as `ask` returns it; the answer timeout
        counts from the last send, so the caller's work in between is not added to it."""
        conn = self._connection()
        try:
            if not conn.poll(max(0.0, self._sent_at + self.answer_timeout_s - time.monotonic())):
                self.close()  # the answer, if it comes, goes nowhere
                raise AppUnavailable("slow", f"no answer in {self.answer_timeout_s:g} s")
            reply = decode(conn.recv_bytes(MAX_REPLY))
        except (EOFError, OSError, WireError) as exc:
            self.close()
            raise AppUnavailable("broken", str(exc) or type(exc).__name__) from None
        if isinstance(reply, Refused):
            raise AppUnavailable("refused", refused=reply.reason)
        if isinstance(reply, SearchRequest):
            raise AppUnavailable("broken", "a request where a reply was due")
        return reply

    def _connection(self) -> Connection:
        if self._conn is None:
            raise AppUnavailable("broken", "not connected")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _connect(place: Place, key: bytes, timeout_s: float) -> Connection:
    """Connect and pass the key check, on a helper thread: neither has a timeout of its own, and an app
    that is stopped (or hung) with its socket still open would keep the caller waiting for ever."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["conn"] = Client(place.address, place.family, authkey=key)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=run, name="jinasearch-ask-connect", daemon=True)
    thread.start()
    thread.join(timeout_s)
    if thread.is_alive():
        # Left to end with the process; if it connects after all, the app sees it hang up.
        raise AppUnavailable("slow", f"no connection in {timeout_s:g} s")
    error = box.get("error")
    if isinstance(error, AuthenticationError):
        raise AppUnavailable("denied", str(error))
    if isinstance(error, (ConnectionRefusedError, FileNotFoundError)):
        raise AppUnavailable("no-app", str(error))
    if isinstance(error, (EOFError, OSError)):
        raise AppUnavailable("broken", str(error) or type(error).__name__)
    if error is not None:
        raise error  # type: ignore[misc]  # a bug, not the app's absence: say it
    # A Connection (a PipeConnection on Windows, which has the same methods).
    return cast(Connection, box["conn"])

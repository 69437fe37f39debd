"""The app's side: a thread that listens on the place (place.py) and answers each request with the
callable the front end gives it, one request at a time.

multiprocessing.connection gives message framing and the key check (an HMAC challenge both ways, so a
caller without the key file learns nothing and is dropped). Only bytes are exchanged (send_bytes /
recv_bytes, JSON inside): its pickling send/recv are never used, so a caller cannot make the app run
anything. The key check runs on each connection's own thread, not in accept(): a caller that connects
and then says nothing holds up only itself.
"""

from __future__ import annotations

import logging
import os
import socket
import stat
import sys
import threading
from collections.abc import Callable
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection, Listener, answer_challenge, deliver_challenge

from .fields import WireError
from .place import Place, prepare, remove, write_key
from .wire import Refused, Reply, SearchRequest, decode, encode

log = logging.getLogger(__name__)

# The largest request read (a query and its filters are a few hundred bytes).
MAX_REQUEST = 1 << 20
# How long stop() waits for each thread: they are woken, so this is only a bound for a stuck answer.
JOIN_S = 5.0
# A connect to a socket file left by an app that crashed fails at once; a live one answers within this.
PROBE_S = 0.5

Answer = Callable[[SearchRequest], Reply]


class AppAlreadyServing(RuntimeError):
    """Another running app answers for this data directory already (this one does not take its place)."""


class AskServer:
    """Answers the command line's requests until `stop()`. `answer` runs on a connection's thread,
    under one lock: requests from several callers are answered one after another, as one searcher
    and one model can."""

    def __init__(self, place: Place, answer: Answer) -> None:
        self.place = place
        self._answer = answer
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._listener: Listener | None = None
        self._thread: threading.Thread | None = None
        self._conns: dict[Connection, threading.Thread] = {}
        self._conns_lock = threading.Lock()
        self._key = b""

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Listen (AppAlreadyServing when another app does; AskPlaceError when the folder is not private)."""
        prepare(self.place)
        self._take_address()
        self._key = write_key(self.place)
        self._listener = Listener(self.place.address, self.place.family, backlog=16)
        self._thread = threading.Thread(target=self._accept, name="jinasearch-ask", daemon=True)
        self._thread.start()
        log.info("answering the command line on %s", self.place.address)

    def _take_address(self) -> None:
        """Replace a socket file left by an app that crashed; never one a live app listens on."""
        address = self.place.address
        if self.place.family != "AF_UNIX" or not os.path.lexists(address):
            return
        if not stat.S_ISSOCK(os.lstat(address).st_mode):
            raise AppAlreadyServing(f"{address} is not a socket; leaving it alone")
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        probe.settimeout(PROBE_S)
        try:
            probe.connect(address)
        except (ConnectionRefusedError, FileNotFoundError):
            remove(address)  # nobody listens: a crashed app's
            return
        except OSError:
            pass  # a timeout: alive but busy
        finally:
            probe.close()
        raise AppAlreadyServing(f"another jinasearch app answers on {address}")

    def stop(self) -> None:
        """Stop listening, end every connection, remove the socket and the key; idempotent."""
        if self._listener is None:
            return
        self._stopping.set()
        try:  # accept() has no timeout: a connection of our own wakes it
            Client(self.place.address, self.place.family).close()
        except OSError:
            pass
        if self._thread is not None:
            self._thread.join(JOIN_S)
        self._listener.close()  # also removes the socket file
        self._listener = None
        with self._conns_lock:  # under the lock: a connection still listed is not closed yet
            threads = list(self._conns.values())
            for conn in self._conns:
                _wake(conn)
        for thread in threads:
            thread.join(JOIN_S)
        remove(self.place.key_path)

    def _accept(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                conn = self._listener.accept()
            except OSError:
                if self._stopping.is_set():
                    return
                log.exception("accepting a connection failed")
                continue
            if self._stopping.is_set():
                conn.close()
                return
            thread = threading.Thread(target=self._serve, args=(conn,), name="jinasearch-ask-conn", daemon=True)
            with self._conns_lock:
                self._conns[conn] = thread
            thread.start()

    def _serve(self, conn: Connection) -> None:
        try:
            deliver_challenge(conn, self._key)
            answer_challenge(conn, self._key)
            while not self._stopping.is_set():
                reply = self._reply_to(conn.recv_bytes(MAX_REQUEST))
                conn.send_bytes(encode(reply))
        except AuthenticationError:
            log.warning("a caller without this app's key was refused")
        except (EOFError, OSError):
            pass  # the caller hung up (or gave up waiting), or stop() ended the connection
        finally:
            with self._conns_lock:
                self._conns.pop(conn, None)
            conn.close()

    def _reply_to(self, data: bytes) -> Reply:
        try:
            request = decode(data)
        except WireError as exc:
            log.warning("a request that is not one: %s", exc)
            return Refused("bad-request")
        if not isinstance(request, SearchRequest):
            return request if isinstance(request, Refused) else Refused("bad-request")  # Refused: the version
        with self._lock:
            if self._stopping.is_set():
                return Refused("closing")
            try:
                return self._answer(request)
            except Exception:  # noqa: BLE001 - the caller searches itself; the app stays up
                log.exception("answering the command line failed")
                return Refused("failed")


def _wake(conn: Connection) -> None:
    """End a connection whose thread may be blocked reading it: shutting the socket down (through a
    second descriptor of it) makes that read return at once, which closing alone does not on Linux."""
    if sys.platform != "win32":
        try:
            sock = socket.socket(fileno=os.dup(conn.fileno()))
        except OSError:
            return  # already closed
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        finally:
            sock.close()
    else:
        try:
            conn.close()
        except OSError:
            pass

"""What the test servers share: a free loopback port, and `with server:` for anything that starts and stops."""

from __future__ import annotations

import socket
from types import TracebackType
from typing import Any

HOST = "127.0.0.1"  # tests never listen on or call any other address


def free_port() -> int:
    """A loopback port nothing listens on: just released by this process, so a server may bind it or a
    client find it closed."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Managed:
    """`with X(...) as server:` starts it and stops it afterwards, whatever happened inside."""

    def start(self) -> Any:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

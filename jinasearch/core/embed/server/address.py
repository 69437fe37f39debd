"""Where an embedding server lives, and what sending passages there means for the user's privacy.

The app promises that nothing leaves the machine. A server on this machine (loopback) keeps that
promise; any other host receives every passage's text, so the front ends say so the first time one is
configured, and plain `http://` to such a host is flagged: anyone on the network path can read it.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from ...errors import ServerAddressError

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


@dataclass(frozen=True)
class ServerAddress:
    """A server's base URL, checked and normalised (no trailing slash, no query, no credentials)."""

    url: str  # scheme://host[:port][/path]
    scheme: str
    host: str
    path: str  # "" or "/v1", "/openai/v1", ...

    @property
    def netloc(self) -> str:
        """host[:port] as the URL spells it, the short name the app shows."""
        return urlsplit(self.url).netloc

    @property
    def root(self) -> str:
        """Where Ollama's native API lives: the URL without a trailing /v1 (its OpenAI-compatible
        routes), so an Ollama behind a path prefix (a proxy's /ollama) keeps it."""
        return self.url[: -len("/v1")] if self.path.endswith("/v1") else self.url

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def sends_text_away(self) -> bool:
        """Passage text leaves this machine: the host is not a loopback address."""
        return not self.loopback

    @property
    def cleartext_away(self) -> bool:
        """Plain http:// to another host: the text crosses the network unencrypted."""
        return self.scheme == "http" and self.sends_text_away

    def where(self) -> str:
        """Where embeddings are computed, in words for status and the settings."""
        if self.loopback:
            return f"an embedding server on this computer ({self.url})"
        warning = ", unencrypted" if self.cleartext_away else ""
        return f"the embedding server at {self.url} (passage text is sent to {self.host}{warning})"


def parse_address(text: str) -> ServerAddress:
    """A base URL as a user types it: `http://gpu-box:11434`, `https://host/v1`, or a bare
    `host:port` (http is assumed). Raises ServerAddressError saying what to give."""
    raw = text.strip()
    if not raw:
        raise ServerAddressError("the server URL is empty; give one such as http://localhost:11434")
    if "://" not in raw:
        raw = "http://" + raw
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https"):
        raise ServerAddressError(f"'{text}' is not an http(s) URL; give one such as http://localhost:11434")
    if parts.username or parts.password:
        raise ServerAddressError(
            "put no user name or password in the server URL (it would be stored in clear text); "
            "set the API key in JINASEARCH_API_KEY or the system keyring instead"
        )
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise ServerAddressError(f"'{text}' has a bad port; give one such as http://localhost:11434") from None
    if not host:
        raise ServerAddressError(f"'{text}' names no host; give one such as http://localhost:11434")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    path = parts.path.rstrip("/")
    url = urlunsplit((parts.scheme, netloc, path, "", ""))
    return ServerAddress(url=url, scheme=parts.scheme, host=host.lower(), path=path)


@functools.lru_cache(maxsize=64)
def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and the usual names for them; a name is resolved (a hosts-file alias too)."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False  # unknown name: not provably this machine
    return bool(infos) and all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)

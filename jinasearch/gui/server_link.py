"""The app's one door to the embedding-server backend (core/embed/server): where embeddings are computed,
in words; the settings dialog's connection test; the API key's keeping. Qt-free."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from ..core.embed.server import ServerAddress, parse_address
from ..core.embed.server.secrets import ENV_API_KEY, save_api_key
from ..core.errors import JinaSearchError, ServerAddressError

log = logging.getLogger(__name__)

__all__ = ["ENV_API_KEY", "ServerAddress", "parse_address"]

API_NAMES = {"ollama": "Ollama", "openai": "OpenAI-compatible"}
CLEARTEXT_WARNING = (
    "Plain http:// to another computer: anyone on the network between can read the passages. "
    "Use https:// if the server offers it."
)


@dataclass(frozen=True)
class Place:
    """Where embeddings are computed: a few words for the status bar, a sentence for the settings."""

    short: str  # "on gpu-box:11434 (Ollama)"
    sentence: str
    cleartext: bool = False  # plain http:// to another host
    away: str | None = None  # the host passage text is sent to; None: it stays on this computer


def place_of(server: str | None, api: str | None = None, device: str = "auto") -> Place:
    """Where the chosen model runs, in words. Resolves a server's host name to tell loopback (fast for
    an address or a name in the hosts file)."""
    if server is None:
        on = "on this computer" + (f" ({device})" if device != "auto" else "")
        return Place(on, "Embeddings are computed on this computer: no passage text leaves it.")
    try:
        address = parse_address(server)
    except ServerAddressError as exc:
        return Place("on an embedding server (its URL is not usable)", f"The server URL cannot be used: {exc}.")
    named = f" ({API_NAMES[api]})" if api in API_NAMES else ""
    return Place(
        f"on {address.netloc}{named}",
        f"Embeddings are computed on {address.where()}.",
        address.cleartext_away,
        address.host if address.sends_text_away else None,
    )


def normal_url(text: str | None) -> str | None:
    """A server URL as the core keeps it (http assumed, no trailing slash); None for none or a bad one
    (one with credentials in it included: they would be stored in clear text)."""
    if not text:
        return None
    try:
        return parse_address(text).url
    except ServerAddressError as exc:
        log.warning("ignoring the embedding server %r: %s", text, exc)
        return None


def privacy_question(host: str) -> str:
    """What the app asks before passage text first goes to `host`."""
    return (
        f"Passage text from your indexed files will be sent to {host} to be embedded. Until now nothing "
        f"left this computer. Whoever runs {host}, or can read what it receives, can read those passages; "
        "your search queries go there too.\n\nSend passages to this server?"
    )


@dataclass(frozen=True)
class ProbeOutcome:
    """What a connection test found: the model's dimension and one sentence's round trip, or the error."""

    dim: int = 0
    round_trip_s: float = 0.0
    api: str | None = None
    error: Exception | None = None

    def text(self) -> str:
        if self.error is None:
            named = API_NAMES.get(self.api or "", self.api or "")
            return f"OK: {self.dim} dimensions, {self.round_trip_s * 1000:.0f} ms round trip ({named})"
        if isinstance(self.error, JinaSearchError):
            return f"Failed: {self.error}"
        return f"Failed: unexpected error: {type(self.error).__name__}: {self.error}"


def probe(url: str, model: str, api: str | None, key: str | None) -> ProbeOutcome:
    """Build the served model as an index run would, embedding one sentence (blocking: a worker thread).
    A key typed but not saved yet is used, else the saved one ($JINASEARCH_API_KEY or the keyring)."""
    from ..core.embed import load_embedder

    try:
        emb: Any = load_embedder(model, server=url, api=api, api_key=key or None)
    except JinaSearchError as exc:
        return ProbeOutcome(error=exc)
    except Exception as exc:  # noqa: BLE001 - a test reports, it never crashes the dialog
        log.exception("connection test failed")
        return ProbeOutcome(error=exc)
    try:
        return ProbeOutcome(dim=emb.dim, round_trip_s=emb.round_trip_s, api=emb.api)
    finally:
        emb.close()


def keep_key(url: str, key: str) -> str | None:
    """Save `key` for the server in the OS keyring; a message saying what to do instead when there is none."""
    try:
        save_api_key(url, key)
    except Exception as exc:  # noqa: BLE001 - no keyring backend (headless Linux), locked, refused
        log.info("cannot keep the API key in the keyring: %s", exc)
        return (
            f"This computer has no usable system keyring, so the key cannot be saved. Set {ENV_API_KEY} "
            "in the environment the app starts from instead, and leave this field empty."
        )
    return None


def key_from_env() -> bool:
    """Whether $JINASEARCH_API_KEY is set (it wins over the keyring)."""
    return bool(os.environ.get(ENV_API_KEY))

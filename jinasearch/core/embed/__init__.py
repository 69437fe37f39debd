"""Embedders: the protocol and the one factory, for sentence-transformers here or a model on an embedding server."""

from __future__ import annotations

from ..chunk import Tokenizer
from .base import Embedder
from .download import OnProgress


def load_embedder(
    name: str,
    *,
    device: str = "auto",
    batch_size: int | None = None,
    on_progress: OnProgress | None = None,
    server: str | None = None,
    api: str | None = None,
    api_key: str | None = None,
) -> Embedder:
    """The one factory. With `server` (or a served model's key, core/policy.py), the model on that
    embedding server (embed/server/), with `api_key` or the one kept for it (embed/server/secrets.py); else a sentence-transformers model by hub name or local folder
    (lazily importing torch), a hub model not yet cached downloaded first, reporting bytes to `on_progress`."""
    from ..policy import served_name

    served = served_name(name)
    if server is not None or served is not None:
        return _served(served or name, server, api, api_key)
    from .st import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(name, device=device, batch_size=batch_size, on_progress=on_progress)


def _served(name: str, server: str | None, api: str | None, api_key: str | None) -> Embedder:
    from ..errors import ModelUnavailableError, ServerAddressError
    from .server import APIS, ServerEmbedder, parse_address
    from .server.secrets import api_key_for

    if server is None:
        raise ModelUnavailableError(
            f"the index's vectors come from '{name}' on an embedding server; give its URL with --server "
            "(or JINASEARCH_SERVER)"
        )
    if api is not None and api not in APIS:
        raise ServerAddressError(f"unknown server API '{api}'; choose {' or '.join(APIS)}, or leave it out")
    address = parse_address(server)
    key = api_key or api_key_for(address.url)
    return ServerEmbedder(address, name, api=api, api_key=key)  # type: ignore[arg-type]


def device_problem(device: str) -> str | None:
    """Why `device` ("auto", "cpu", "cuda", "mps") cannot embed here, or None (imports torch)."""
    from .st import device_problem as problem

    return problem(device)


def load_tokenizer(name: str) -> Tokenizer | None:
    """The model's tokenizer without the model: read from its tokenizer.json in the model's folder or the
    local Hugging Face cache, in a fraction of a second (the model takes seconds to load). Passages can
    then be cut, and files become keyword-searchable, while the model loads. None when there is no
    such file (a slow tokenizer, a model not downloaded yet): then the model's own tokenizer is used."""
    import os

    from .tokenizer import FastTokenizer

    folder = os.path.expanduser(name)
    path: str | None = os.path.join(folder, "tokenizer.json") if os.path.isdir(folder) else None
    if path is None:
        try:
            from huggingface_hub import try_to_load_from_cache

            found = try_to_load_from_cache(name, "tokenizer.json")
            path = found if isinstance(found, str) else None
        except Exception:  # noqa: BLE001 - no cache, a bad name: the model's tokenizer will do
            path = None
    if path is None or not os.path.isfile(path):
        return None
    try:
        return FastTokenizer.from_file(path)
    except Exception:  # noqa: BLE001 - an unreadable file: the model's tokenizer will do
        return None


def accelerator_likely(device: str) -> bool:
    """Whether the model will probably run on an accelerator (see st.accelerator_likely; no torch import)."""
    from .st import accelerator_likely as likely

    return likely(device)


__all__ = ["Embedder", "accelerator_likely", "load_embedder", "load_tokenizer"]

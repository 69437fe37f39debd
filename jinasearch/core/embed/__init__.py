"""Embedders: the protocol and a factory; sentence-transformers is the one real backend."""

from __future__ import annotations

from .base import Embedder
from .download import OnProgress


def load_embedder(
    name: str, *, device: str = "auto", batch_size: int | None = None, on_progress: OnProgress | None = None
) -> Embedder:
    """Load a sentence-transformers model by hub name or local folder (lazily importing torch); a hub
    model not yet cached is downloaded first, reporting bytes to `on_progress`."""
    from .st import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(name, device=device, batch_size=batch_size, on_progress=on_progress)


__all__ = ["Embedder", "load_embedder"]

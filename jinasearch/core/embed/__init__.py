"""Embedders: the protocol and a factory; sentence-transformers is the one real backend."""

from __future__ import annotations

from .base import Embedder


def load_embedder(name: str, *, device: str = "auto", batch_size: int | None = None) -> Embedder:
    """Load a sentence-transformers model by hub name or local folder (lazily importing torch)."""
    from .st import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(name, device=device, batch_size=batch_size)


__all__ = ["Embedder", "load_embedder"]

"""The Embedder protocol: what indexing and search need from any embedding backend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ..chunk import Tokenizer
from .late import Specials


class Embedder(Protocol):
    """Turns passages and queries into L2-normalised float32 vectors of a fixed dimension."""

    name: str
    dim: int
    tokenizer: Tokenizer
    batch_size: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...


class TokenEmbedder(Embedder, Protocol):
    """An embedder that also gives token vectors, for late chunking (core/embed/late.py). A model on an
    embedding server gives one vector per text, so it is not one."""

    max_positions: int
    specials: Specials

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]: ...

    def token_vectors(self, windows: Sequence[Sequence[int]]) -> list[np.ndarray]: ...


def token_embedder(emb: Embedder) -> TokenEmbedder | None:
    """`emb` when it gives token vectors, else None."""
    return emb if hasattr(emb, "token_vectors") and hasattr(emb, "specials") else None  # type: ignore[return-value]

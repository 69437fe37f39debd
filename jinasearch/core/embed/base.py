"""The Embedder protocol: what indexing and search need from any embedding backend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ..chunk import Tokenizer


class Embedder(Protocol):
    """Turns passages and queries into L2-normalised float32 vectors of a fixed dimension."""

    name: str
    dim: int
    tokenizer: Tokenizer
    batch_size: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...

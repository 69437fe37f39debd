"""A small deterministic embedder for fast unit tests: hashed bag of stems, no model, no torch.

It is *not* used to test search quality; tests that claim quality use the real MiniLM model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from hashlib import blake2b
from pathlib import Path

import numpy as np
import pytest

from jinasearch.core.language import stem

_WORD = re.compile(r"\w+")


class WordTokenizer:
    """One token per word: enough for the chunker's arithmetic."""

    def count(self, texts: Sequence[str]) -> list[int]:
        return [len(_WORD.findall(t)) for t in texts]

    def offsets(self, text: str) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in _WORD.finditer(text)]


class FakeEmbedder:
    """Vectors are normalised sums of per-stem random directions: shared words -> similar vectors."""

    def __init__(self, dim: int = 32, name: str = "fake-embedder") -> None:
        self.name = name
        self.dim = dim
        self.batch_size = 16
        self.tokenizer = WordTokenizer()
        self.calls = 0
        self.encoded: list[str] = []

    def _word_vec(self, word: str) -> np.ndarray:
        seed = int.from_bytes(blake2b(stem(word).encode(), digest_size=8).digest(), "little")
        return np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.encoded.extend(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in _WORD.findall(t.lower()):
                out[i] += self._word_vec(w)
            n = np.linalg.norm(out[i])
            out[i] = out[i] / n if n > 0 else out[i]
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


def use_fake_model(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    """Every model name the CLI loads is the fake embedder, and the index lives in `data_dir`: for
    tests of the command line's plumbing, not of ranking (the real model is in the model tests)."""
    import jinasearch.core.indexing.loading as loading_mod
    import jinasearch.core.retrieval.binding as binding_mod

    monkeypatch.setattr(loading_mod, "load_embedder", lambda name, device="auto": FakeEmbedder(name=name))
    monkeypatch.setattr(binding_mod, "load_embedder", lambda name, device="auto": FakeEmbedder(name=name))
    monkeypatch.setenv("JINASEARCH_DATA_DIR", str(data_dir))
    monkeypatch.setenv("JINASEARCH_MODEL", "fake-model")

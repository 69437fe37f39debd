"""The model's tokenizer as the chunker uses it: counts and offsets, without special tokens.

It holds its own copy of the Hugging Face fast tokenizer's Rust core, configured once (no
truncation, no padding) and never changed afterwards. That buys three things:
- no Python wrapper per call: counting runs in Rust and releases the GIL;
- no shared state with the model: sentence-transformers switches truncation on the model's
  tokenizer for every batch, and a second thread using that same object at the same moment either
  counts truncated lengths or fails with "Already borrowed";
- it pickles as its JSON definition, so extraction worker processes can cut passages themselves
  (only the small `tokenizers` package is imported there, not torch or transformers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any


class FastTokenizer:
    """Counts and offsets from a `tokenizers.Tokenizer`; thread-safe because nothing mutates it.
    It pickles as the Rust tokenizer does: its JSON definition, settings included."""

    def __init__(self, tok: Any) -> None:
        self._tok = tok

    @classmethod
    def of(cls, hf_tokenizer: Any) -> FastTokenizer | None:
        """From a transformers tokenizer; None for a slow (pure Python) one, which has no Rust core."""
        backend = getattr(hf_tokenizer, "backend_tokenizer", None)
        if backend is None:
            return None
        from tokenizers import Tokenizer

        tok = Tokenizer.from_str(backend.to_str())  # a copy: the model's own is re-configured per batch
        tok.no_truncation()
        tok.no_padding()
        return cls(tok)

    @classmethod
    def from_file(cls, path: str) -> FastTokenizer:
        """From a model's tokenizer.json: the same definition the model's tokenizer is built from."""
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(path)
        tok.no_truncation()
        tok.no_padding()
        return cls(tok)

    def count(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        return [len(e.ids) for e in self._tok.encode_batch(list(texts), add_special_tokens=False)]

    def offsets(self, text: str) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self._tok.encode(text, add_special_tokens=False).offsets if e > s]

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids without special tokens (late chunking joins them itself, core/embed/late.py)."""
        return [e.ids for e in self._tok.encode_batch(list(texts), add_special_tokens=False)] if texts else []


class SlowTokenizer:
    """Fallback for models whose tokenizer has no Rust core: the transformers call, in this process."""

    def __init__(self, tok: Any) -> None:
        self._tok = tok

    def count(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        ids = self._tok(
            list(texts), add_special_tokens=False, return_attention_mask=False, return_token_type_ids=False
        )["input_ids"]
        return [len(x) for x in ids]

    def offsets(self, text: str) -> list[tuple[int, int]]:
        enc = self._tok(text, add_special_tokens=False, return_offsets_mapping=True)
        return [(int(s), int(e)) for s, e in enc["offset_mapping"] if e > s]

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        if not texts:
            return []
        return [list(x) for x in self._tok(list(texts), add_special_tokens=False)["input_ids"]]

    def __reduce__(self) -> Any:
        # Refuse cleanly: the runner then leaves cutting to the indexer (see ProcessRunner.run).
        raise TypeError("a slow tokenizer is not sent to worker processes")


class EstimatedTokenizer:
    """Token counts without a model, for cutting passages before the model is available (first run
    offline, download failed): files become keyword-searchable at once and the passages keep these
    cuts when their vectors come later. It errs towards more tokens than a WordPiece or BPE model
    would count (a token per 4 letters of a word, per CJK character, per punctuation mark), so
    passages come out a little short rather than over the model's window."""

    _CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"  # kana, CJK ideographs, hangul
    # One CJK character | up to 4 other word characters | one punctuation mark.
    _TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]{{1,4}}|[^\w\s]")

    def count(self, texts: Sequence[str]) -> list[int]:
        return [sum(1 for _ in self._TOKEN.finditer(t)) for t in texts]

    def offsets(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self._TOKEN.finditer(text)]

"""sentence-transformers backend: Jina v2 by default, any model name or local folder works the same way."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ModelUnavailableError
from .download import OnProgress, fetch_model
from .late import Specials
from .tokenizer import FastTokenizer, SlowTokenizer

log = logging.getLogger(__name__)


def pick_device(device: str) -> str:
    """'auto' means CUDA when present (then Apple's MPS), else CPU."""
    if device not in ("auto", "", None):
        return "cuda" if device == "gpu" else device
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def device_problem(device: str) -> str | None:
    """Why `device` cannot embed on this machine, or None when it can ("auto" always can)."""
    if device in ("auto", "", None, "cpu"):
        return None
    import torch

    if device in ("cuda", "gpu"):
        if torch.version.cuda is None:
            return "this build of torch has no CUDA (the CPU build is installed)"
        return None if torch.cuda.is_available() else "no NVIDIA GPU is visible to CUDA"
    if device == "mps":
        mps = getattr(torch.backends, "mps", None)
        return None if mps is not None and mps.is_available() else "no Apple GPU (MPS) on this machine"
    return f"unknown device '{device}' (choose auto, cpu, cuda or mps)"


def accelerator_likely(device: str) -> bool:
    """Whether the model will probably run on an accelerator, judged without importing torch: asked for
    one, or "auto" on a machine with an NVIDIA driver or Apple silicon."""
    if device in ("cuda", "gpu", "mps"):
        return True
    if device not in ("auto", "", None):
        return False
    import platform
    import shutil

    if os.path.exists("/proc/driver/nvidia") or shutil.which("nvidia-smi"):
        return True
    return platform.system() == "Darwin" and platform.machine() == "arm64"


def needs_remote_code(name: str) -> bool:
    """Jina v2 ships its own BERT variant (ALiBi, 8k context) as remote code in the model repo."""
    return "jina" in name.lower()


class SentenceTransformerEmbedder:
    """Loads the model once; heavy imports happen here, never at module import."""

    def __init__(
        self, name: str, *, device: str = "auto", batch_size: int | None = None, on_progress: OnProgress | None = None
    ) -> None:
        self.name = name
        problem = device_problem(device)
        if problem is not None:  # say so, instead of a load error that blames the model
            raise ModelUnavailableError(f"cannot embed on '{device}': {problem}; choose 'cpu' or 'auto' as the device")
        self.device = pick_device(device)
        self._model = _load(name, self.device, on_progress)
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        # Larger batches pay off on a GPU; on a CPU they only add padding and latency.
        self.batch_size = batch_size or (128 if self.device == "cuda" else 32)
        self.max_tokens = int(self._model.max_seq_length or 512)
        self.tokenizer = FastTokenizer.of(self._model.tokenizer) or SlowTokenizer(self._model.tokenizer)
        self.max_positions = _positions(self._model, self.max_tokens)
        self.specials = _specials(self._model.tokenizer)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        """One query on one core. A few tokens gain little from a second thread, and search runs
        the keyword retriever on the other core meanwhile: two torch threads would fight it (and
        keep spinning after the encode), which measured slower end to end (docs/benchmarks.md, "Search speed").
        torch's thread count is per calling thread, so an indexing thread elsewhere is unaffected."""
        if self.device != "cpu":
            return self.encode([text])[0]
        import torch

        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return self.encode([text])[0]
        finally:
            torch.set_num_threads(before)

    # -- late chunking (core/embed/late.py): token vectors of a window the caller assembled -----------

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text, without special tokens and without truncation."""
        return self.tokenizer.ids(texts)

    def token_vectors(self, windows: Sequence[Sequence[int]]) -> list[np.ndarray]:
        """The transformer's output vector of every token of each window (special tokens included, as
        given), before pooling: what sentence-transformers' mean pooling would average."""
        import torch

        longest = max(len(w) for w in windows)
        pad = self._model.tokenizer.pad_token_id or 0
        ids = torch.full((len(windows), longest), pad, dtype=torch.long)
        mask = torch.zeros((len(windows), longest), dtype=torch.long)
        for i, w in enumerate(windows):
            ids[i, : len(w)] = torch.tensor(list(w), dtype=torch.long)
            mask[i, : len(w)] = 1
        features = {"input_ids": ids.to(self.device), "attention_mask": mask.to(self.device)}
        if "token_type_ids" in getattr(self._model.tokenizer, "model_input_names", ()):
            features["token_type_ids"] = torch.zeros_like(features["input_ids"])
        with torch.inference_mode():
            out = self._model[0](features)["token_embeddings"].float().cpu().numpy()
        return [out[i, : len(w)] for i, w in enumerate(windows)]


def _positions(model: Any, max_tokens: int) -> int:
    """The longest sequence the model can read: its position table (8,192 for Jina v2's ALiBi, 512 for
    MiniLM, whose sentence-transformers setting truncates naive passages at 256). RoBERTa-style models
    spend two positions on the padding offset."""
    config = getattr(getattr(model[0], "auto_model", None), "config", None)
    positions = int(getattr(config, "max_position_embeddings", 0) or max_tokens)
    if "roberta" in str(getattr(config, "model_type", "")):
        positions -= 2
    return max(positions, max_tokens)


def _specials(tokenizer: Any) -> Specials:
    """The special tokens the tokenizer puts around a text ([CLS] … [SEP]), found by encoding one word
    with and without them."""
    bare = list(tokenizer("a", add_special_tokens=False)["input_ids"])
    full = list(tokenizer("a")["input_ids"])
    for i in range(len(full) - len(bare) + 1):
        if full[i : i + len(bare)] == bare:
            return Specials(tuple(full[:i]), tuple(full[i + len(bare) :]))
    return Specials((), ())


def _load(name: str, device: str, on_progress: OnProgress | None = None) -> Any:
    # Quiet the "sequence longer than max length" warnings: the chunker already bounds passages.
    logging.getLogger("transformers.tokenization_utils_base").setLevel(logging.ERROR)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    # The per-load "Loading weights" bar is noise in a terminal and a GUI log alike.
    hf_logging.disable_progress_bar()

    kwargs: dict[str, Any] = {"device": device, "trust_remote_code": needs_remote_code(name)}
    is_local = os.path.isdir(os.path.expanduser(name))
    path = os.path.expanduser(name) if is_local else name
    try:
        # Cached models must load without touching the network (it may hang on a captive portal).
        return SentenceTransformer(path, local_files_only=True, **kwargs)
    except Exception as first:  # noqa: BLE001 - the library raises OSError, ValueError, HF errors...
        if is_local:
            raise ModelUnavailableError(f"cannot load model from folder {path}: {_short(first)}") from None
    # Not cached: download it (with progress where the caller asked for it), failing fast when offline.
    fetch_model(name, on_progress)
    try:
        return SentenceTransformer(path, **kwargs)
    except Exception as exc:  # noqa: BLE001
        raise ModelUnavailableError(f"cannot load model '{name}': {_short(exc)}") from None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]

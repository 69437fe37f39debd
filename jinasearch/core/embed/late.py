"""Late chunking: one model pass over a long window of a document, each passage the mean of its own tokens.

A passage embedded alone ("naive") is read without the document around it: "this option is ignored
when -j is given" does not say which command it is about. Late chunking (Günther et al., 2024,
"Late Chunking: Contextual Chunk Embeddings Using Long-Context Embedding Models") runs the model over
the passages of a document as one token sequence and mean-pools the token vectors inside each
passage's span, so every passage vector carries the context around it. Passages are cut exactly as
for naive embedding; only their vectors change.

The passages' model inputs (their place line and text, core/context.py) are joined as token
sequences: a passage's span is known exactly, and a passage overlapping its neighbour (the chunker's
overlap tokens) is read twice, as the naive path reads it. Special tokens go as the paper's section
4.1 puts it: the window's leading ones ([CLS]) into the first passage's mean, its trailing ones
([SEP]) into the last's, and only where that passage starts (ends) the document, so a document of one
passage gets exactly its naive vector.

A document longer than the window is read in several windows ("long late chunking", section 3.1 of
the paper): each passage is pooled from one window in which it has at least `margin` tokens of
context on both sides, wherever the document has them (plan_windows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Context each side of a pooled passage, as a share of the window: the price is re-reading it. At 1/16
# a 512-token window pools from 448 of its tokens; the cost figures are in docs/benchmarks.md, "Late chunking".
MARGIN_SHARE = 16


@dataclass(frozen=True)
class Window:
    """Tokens [start, end) of a document's token stream, run through the model at once, and the
    passages (their indexes) pooled from it."""

    start: int
    end: int
    pooled: tuple[int, ...]


def plan_windows(lengths: Sequence[int], targets: Sequence[int], budget: int, margin: int) -> list[Window]:
    """Windows of at most `budget` tokens covering every target passage (indexes into `lengths`, the
    token counts of the document's passages in order). Greedy from the first target not yet pooled:
    the window starts `margin` tokens before it and runs `budget` tokens (at the document's end it
    reaches back further instead); it pools every target ending `margin` tokens before its end (or
    at the document's end). A passage longer than the window is pooled from the part that fits."""
    if budget < 1:
        raise ValueError("a window needs at least one token")
    margin = max(0, min(margin, (budget - 1) // 2))
    starts = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
    total = int(starts[-1])
    todo = sorted(set(targets))
    out: list[Window] = []
    k = 0
    while k < len(todo):
        first = todo[k]
        start = max(0, int(starts[first]) - margin)
        end = min(total, start + budget)
        if end == total:
            start = max(0, end - budget)
        limit = end if end == total else end - margin
        pooled = [first]
        k += 1
        while k < len(todo) and starts[todo[k] + 1] <= limit:
            pooled.append(todo[k])
            k += 1
        out.append(Window(start, end, tuple(pooled)))
    return out


@dataclass(frozen=True)
class Specials:
    """The model's special tokens around a sequence: [CLS] before and [SEP] after for BERT models."""

    prefix: tuple[int, ...]
    suffix: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.prefix) + len(self.suffix)


def window_ids(ids: Sequence[int], window: Window, specials: Specials) -> list[int]:
    """The model's input for a window: its tokens between the special tokens."""
    return [*specials.prefix, *ids[window.start : window.end], *specials.suffix]


def pool(
    tokens: np.ndarray, window: Window, lengths: Sequence[int], specials: Specials, total: int | None = None
) -> np.ndarray:
    """The pooled, L2-normalised vector of each passage in `window.pooled`, from the model's token
    vectors for `window_ids` (one row per token, special tokens included)."""
    starts = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
    total = int(starts[-1]) if total is None else total
    lead = len(specials.prefix)
    out = np.empty((len(window.pooled), tokens.shape[1]), dtype=np.float32)
    for row, i in enumerate(window.pooled):
        s, e = int(starts[i]), min(int(starts[i + 1]), window.end)
        a, b = s - window.start + lead, e - window.start + lead
        if s == 0 and window.start == 0:
            a = 0  # the document's first passage takes the leading special tokens
        if int(starts[i + 1]) == total and window.end == total:
            b += len(specials.suffix)  # its last takes the trailing ones
        span = tokens[a:b] if b > a else tokens  # an empty passage: the window's mean, not a zero vector
        out[row] = span.mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)

"""Topic boundaries: the sentences after which a document's subject changes, from sentence vectors.

As semantic chunkers do (Chonkie's SemanticChunker; Kamradt's "semantic chunking", which LangChain's
SemanticChunker follows): each gap between two sentences gets the cosine distance between the mean
vector of the `window` sentences before it and of the `window` after it, and the gaps in the top
`share` of a document's distances become topic boundaries. A share rather than a fixed distance:
distances differ between models and between documents (a glossary changes subject every line, a
chapter of prose rarely), and a relative threshold is what those chunkers default to (a percentile).
The passages are then packed as usual (core/chunk.py), ending early at a boundary once they hold
MIN_FILL of their size; the sentence vectors come from the model's token vectors over the document
(late chunking's pooling, indexing/late.py), so a sentence is read in its context.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# The share of a document's sentence gaps that become topic boundaries, and the sentences each side
# a gap is judged by (1: adjacent sentences only; 2 smooths a short aside). Measured in
# docs/benchmarks.md, "Late chunking".
TOPIC_SHARE = 0.2
TOPIC_WINDOW = 2


def gap_distances(vectors: np.ndarray, window: int = TOPIC_WINDOW) -> np.ndarray:
    """Cosine distance across each of the len(vectors) - 1 gaps: mean of up to `window` unit vectors
    before it against the mean of up to `window` after it."""
    n = len(vectors)
    if n < 2:
        return np.zeros(0, dtype=np.float32)
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    sums = np.concatenate([np.zeros((1, unit.shape[1]), dtype=unit.dtype), np.cumsum(unit, axis=0)])
    out = np.empty(n - 1, dtype=np.float32)
    for gap in range(1, n):  # the gap before sentence `gap`
        before = sums[gap] - sums[max(0, gap - window)]
        after = sums[min(n, gap + window)] - sums[gap]
        cos = float(before @ after) / max(float(np.linalg.norm(before) * np.linalg.norm(after)), 1e-12)
        out[gap - 1] = 1.0 - cos
    return out


def topic_starts(
    spans: Sequence[tuple[int, int]], vectors: np.ndarray, share: float = TOPIC_SHARE, window: int = TOPIC_WINDOW
) -> frozenset[int]:
    """The start offsets of the sentences (`spans`, with one vector each) that open a new topic."""
    if len(spans) != len(vectors):
        raise ValueError(f"{len(spans)} sentences but {len(vectors)} vectors")
    dist = gap_distances(vectors, window)
    if not len(dist) or share <= 0:
        return frozenset()
    cut = min(len(dist), int(np.ceil(share * len(dist))))
    # The `cut` largest distances (the earlier gap first among equals), but only those above the
    # smallest: where every gap is alike (a list of near-identical lines) there is no change of subject.
    order = np.argsort(-dist, kind="stable")[:cut]
    return frozenset(spans[i + 1][0] for i in order if dist[i] > dist.min() + 1e-6)

"""A hit's passage joined with its neighbour when the neighbour is about as close to the query.

Passages are cut small (200 tokens) because a small passage ranks more precisely, but an answer
often begins in one passage and ends in the next, or the passage that ranks first is the one just
before the sentence that answers. Ranking stays on the small passages; what a hit shows is widened
afterwards to the passage before or after it, in the same section and on the same page, when that
one's cosine with the query is within the model's margin of the hit's own: "small to big" retrieval
(LlamaIndex's auto-merging retriever does the same with a parent chunk). docs/benchmarks.md,
"Real documents": passage-hit and the length a hit shows, for several margins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

import numpy as np

from ..store import HitRow, Neighbour
from .floor import floor_for, measured

# Model family (floor.family) -> how much lower a neighbour's cosine may be than the hit's own for
# the hit to show it too. Cosines are model-specific (retrieval/floor.py), so a model without a
# measured margin widens nothing. MiniLM: 0.02 widened 12% of docs-dev's hits and answered no more
# questions; 0.05 widened 24% (+23% characters shown); 0.10 widened 43% for one question more.
MARGINS: dict[str, float] = {
    "all-minilm-l6-v2": 0.05,
}
# Characters between two passages that are not one overlapping run (whitespace the chunker left
# out, docs-dev: 0-3): more than this and they are not joined.
MAX_GAP = 3


class NeighbourReads(Protocol):
    def neighbours(self, ids: Sequence[int], query: np.ndarray, excluded: Sequence[str] = ()) -> list[Neighbour]: ...


def widened(
    picked: Sequence[tuple[HitRow, float]],
    query: np.ndarray,
    store: NeighbourReads,
    model: str | None,
    excluded: Sequence[str] = (),
) -> list[tuple[HitRow, float]]:
    """`picked` (row, score), best first, each row widened to its closest neighbour within the model's
    margin of its own cosine and at or above its floor, without an `excluded` word (a -word of the
    query filters what a hit shows). A neighbour that is itself a hit, or that a better hit took,
    is not shown twice."""
    margin, floor = measured(MARGINS, model), floor_for(model)
    if margin is None or not picked:
        return list(picked)
    lowest = floor.cosine if floor is not None else -1.0
    best: dict[int, Neighbour] = {}
    for n in store.neighbours(sorted({row.passage_id for row, _ in picked}), query, excluded):
        if n.cosine >= max(n.own - margin, lowest) and (n.of not in best or n.cosine > best[n.of].cosine):
            best[n.of] = n
    taken = {row.passage_id for row, _ in picked}
    out = []
    for row, score in picked:
        n = best.get(row.passage_id)
        if n is not None and n.passage_id not in taken:
            taken.add(n.passage_id)
            row = joined(row, n)
        out.append((row, score))
    return out


def joined(row: HitRow, n: Neighbour) -> HitRow:
    """`row` and its neighbour as one run of the document: the text from the first one's start to the
    second one's end, the overlap once; a gap of whitespace is kept at its length (a space, or
    newlines for two characters or more), so the offsets still hold (the text may differ from the
    document's in which whitespace it is)."""
    first, second = sorted([(row.char_start, row.char_end, row.text), (n.char_start, n.char_end, n.text)])
    gap = second[0] - first[1]
    if gap > MAX_GAP:
        return row
    between = " " if gap == 1 else "\n" * gap
    text = first[2] + between + second[2] if gap >= 0 else first[2] + second[2][-gap:]
    return replace(row, text=text, char_start=first[0], char_end=max(first[1], second[1]))

"""A hit's passage joined with its neighbour when the neighbour is about as close to the query.

Passages are cut small (200 tokens) because a small passage ranks more precisely, but an answer
often begins in one passage and ends in the next, or the passage that ranks first is the one just
before the sentence that answers. Ranking stays on the small passages; what a hit shows is widened
afterwards to the passage before or after it, in the same section and on the same page, when that
one's cosine with the query is within MERGE_MARGIN of the hit's own: "small to big" retrieval
(LlamaIndex's auto-merging retriever does the same with a parent chunk). docs/benchmarks.md,
"Real documents": passage-hit and the length a hit shows, for several margins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ..store import HitRow, Neighbour, Store

# How much lower a neighbour's cosine may be than the hit's own for the hit to show it too. 0.02
# widened 12% of docs-dev's hits and answered no more questions; 0.05 widened 24% (+26% characters
# shown); 0.10 widened 43% for one question more (docs/benchmarks.md, "Real documents").
MERGE_MARGIN = 0.05
# Characters between two passages that are not one overlapping run (whitespace the chunker left
# out, docs-dev: 0-3): more than this and they are not joined.
MAX_GAP = 3


def widened(picked: Sequence[tuple[HitRow, float]], query: np.ndarray, store: Store) -> list[tuple[HitRow, float]]:
    """`picked` (row, score), each row widened to its closest neighbour within MERGE_MARGIN of its own
    cosine; a neighbour that is itself one of the hits is left to show as itself."""
    shown = {row.passage_id for row, _ in picked}
    best: dict[int, Neighbour] = {}
    for n in store.neighbours(sorted(shown), query):
        if n.passage_id in shown or n.cosine < n.own - MERGE_MARGIN:
            continue
        if n.of not in best or n.cosine > best[n.of].cosine:
            best[n.of] = n
    return [(joined(row, best[row.passage_id]) if row.passage_id in best else row, s) for row, s in picked]


def joined(row: HitRow, n: Neighbour) -> HitRow:
    """`row` and its neighbour as one run of the document: the text from the first one's start to the
    second one's end, the overlap once; a gap of whitespace is kept as newlines of its length, so the
    offsets still hold (the text may differ from the document's in which whitespace it is)."""
    first = (n.char_start, n.char_end, n.text) if n.side < 0 else (row.char_start, row.char_end, row.text)
    second = (row.char_start, row.char_end, row.text) if n.side < 0 else (n.char_start, n.char_end, n.text)
    gap = second[0] - first[1]
    if gap > MAX_GAP:
        return row
    text = first[2] + "\n" * gap + second[2] if gap >= 0 else first[2] + second[2][-gap:]
    return replace(row, text=text, char_start=first[0], char_end=max(first[1], second[1]))

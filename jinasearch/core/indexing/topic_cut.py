"""Topic cuts (core/topics.py) with the model: a cut whose passages also end where the document's
subject changes, judged from sentence vectors pooled from the model's token vectors over the
document (late chunking's windows, indexing/late.py), so each sentence is read in its context.

It needs the model, so it cannot run beside extraction in the workers as the plain cut does: it
runs where a re-cut runs (indexing/recut.py, with the model loaded), and costs about one more model
pass over the text. Measured against the plain cut in docs/benchmarks.md, "Late chunking".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..chunk import Chunking
from ..models import Chunk, Extracted
from ..topics import TOPIC_SHARE, TOPIC_WINDOW
from ..topics import topic_starts as find_topic_starts
from .late import DocPassages, LateRunner, LateWork


def sentence_vectors(runner: LateRunner, text: str, spans: list[tuple[int, int]]) -> np.ndarray | None:
    """One vector per sentence span, pooled in the document's windows; None when cancelled."""
    texts = tuple(text[s:e] for s, e in spans)
    keys = tuple(str(i) for i in range(len(texts)))  # distinct: a repeated sentence keeps its own place
    return runner.run(LateWork(keys, (DocPassages(keys, texts, tuple(range(len(texts)))),)))


@dataclass(frozen=True)
class TopicChunking(Chunking):
    """A Chunking whose `cut` finds the document's topic boundaries with `runner` first. A cancel
    while it reads falls back to the plain cut (the caller, cancelled too, commits nothing)."""

    runner: LateRunner | None = None
    share: float = TOPIC_SHARE
    window: int = TOPIC_WINDOW
    topic_cuts: ClassVar[bool] = True

    def starts(self, extracted: Extracted) -> frozenset[int]:
        spans = self.sentences(extracted)
        if self.runner is None or len(spans) < 3:
            return frozenset()
        vecs = sentence_vectors(self.runner, extracted.text, spans)
        return frozenset() if vecs is None else find_topic_starts(spans, vecs, self.share, self.window)

    def cut(self, extracted: Extracted, topic_starts: frozenset[int] = frozenset()) -> list[Chunk]:
        return super().cut(extracted, topic_starts or self.starts(extracted))

"""Meaning at query time for passages still waiting for their vector.

A passage is keyword-searchable the moment it commits; its vector follows slowly (about an hour for
a desk of documents on a CPU). Until then a hybrid search gives it a stand-in cosine (fusion.py:
`combine`), so among several candidates holding the query's words the one that answers it cannot be
told from the others, and an index without any vector yet is searched by words alone. So a hybrid
search embeds its best keyword candidates that have no vector, exactly as the indexer will embed
them (core/context.py: `model_input`, whose hash is the passage's text_hash), with the searcher's
own embedder of the index's model, and ranks them by meaning at once:

- bounded: in keyword rank order, at most FRESH_MAX passages a query, and only while the model
  time spent stays within FRESH_BUDGET_S. The speed is measured as it goes, so each model call
  takes as many passages as fit in what is left of the budget (up to SLICE_MAX), and a busy
  machine embeds fewer rather than answering later (docs/benchmarks.md, "Meaning before vectors");
- kept: in memory (FRESH_CACHE vectors, least recently used dropped) and in the side file
  (store/sidecar.py), from which the indexer adopts them instead of embedding those texts again,
  and which searchers in other processes read too.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence

import numpy as np

from ..context import model_input
from ..embed import Embedder
from ..errors import ServerError
from ..store import HitRow, text_hash
from ..store.sidecar import SideVectors

log = logging.getLogger(__name__)

# Most passages a query embeds (the time box below usually stops it first on a CPU).
FRESH_MAX = 32
# Model time a query may spend on them, in seconds: on this project's 2-core test machine MiniLM
# embeds about 30 passages a second, so ~6 of them; a GPU takes the full FRESH_MAX.
FRESH_BUDGET_S = 0.2
# Most passages in one model call: larger calls run faster per passage but overshoot the budget more.
SLICE_MAX = 8
# Vectors kept in memory (by model and text hash): ~3 MB of 384-d vectors.
FRESH_CACHE = 2048
# Weight of the newest measurement in the running estimate of the model's speed.
_LEARN = 0.5


def embeddable(rows: Iterable[HitRow]) -> list[HitRow]:
    """The candidates a search may embed, best first: the one place that says which. Not the passages
    kept for keyword search only by choice (data files such as logs, past one file's cap:
    core/indexing/budget.py): the budget left them out, a query does not put them back."""
    return [row for row in rows if not row.lexical]


class FreshVectors:
    """Vectors for candidates without one: from memory, the side file, then the model in a time box.

    One per searcher, used from the thread that searches. `start` begins a query's time box (the
    rounds of one query share it); `vectors` answers each round."""

    def __init__(self, side: SideVectors | None, *, budget_s: float | None = None) -> None:
        self.side = side
        self.budget_s = FRESH_BUDGET_S if budget_s is None else budget_s
        self._memory: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._rate: float | None = None  # model seconds per character of a call's padded input
        self._left = budget_s
        self._count = 0
        self.encoded = 0  # passages embedded by this object in all (for status and benchmarks)

    def start(self) -> None:
        self._left, self._count = self.budget_s, 0

    def vectors(self, model: str, emb: Embedder, rows: Sequence[HitRow]) -> dict[int, np.ndarray]:
        """A vector by passage id for those of `rows` (candidates without one, best first) that can
        have one now; the rest keep the stand-in."""
        inputs: dict[str, str] = {}
        hashes: dict[int, str] = {}
        for row in embeddable(rows):
            text = model_input(row.title, row.section, row.text)
            h = hashes[row.passage_id] = text_hash(text)
            inputs.setdefault(h, text)
        known = self._remembered(model, inputs)
        missing = [h for h in inputs if h not in known]
        if missing and self.side is not None:
            stored = self.side.get(model, emb.dim, missing)
            self._remember(model, stored)
            known.update(stored)
        todo = [(h, inputs[h]) for h in inputs if h not in known]
        if todo:
            new = self._embed(emb, todo)
            self._remember(model, new)
            known.update(new)
            if new and self.side is not None:
                self.side.put(model, emb.dim, new)
        return {pid: known[h] for pid, h in hashes.items() if h in known}

    def close(self) -> None:
        if self.side is not None:
            self.side.close()

    # -- memory -------------------------------------------------------------------------------------

    def _remembered(self, model: str, inputs: Iterable[str]) -> dict[str, np.ndarray]:
        out = {}
        for h in inputs:
            vec = self._memory.get((model, h))
            if vec is not None:
                self._memory.move_to_end((model, h))
                out[h] = vec
        return out

    def _remember(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        for h, vec in vectors.items():
            self._memory[(model, h)] = vec
            self._memory.move_to_end((model, h))
        while len(self._memory) > FRESH_CACHE:
            self._memory.popitem(last=False)

    # -- the time box -------------------------------------------------------------------------------

    def _embed(self, emb: Embedder, todo: Sequence[tuple[str, str]]) -> dict[str, np.ndarray]:
        """Embed `todo` (hash, model input) in order, slice by slice, while the query's budget lasts."""
        out: dict[str, np.ndarray] = {}
        i = 0
        while i < len(todo) and self._count < FRESH_MAX:
            part = self._slice(todo[i:])
            if not part:
                break
            t0 = time.monotonic()
            try:
                vecs = emb.encode([t for _, t in part])
            except ServerError as exc:  # the server went away: the stand-in it is, for this query
                log.info("not embedding search candidates: %s", exc)
                self._left = 0.0
                break
            spent = time.monotonic() - t0
            self._left -= spent
            self._count += len(part)
            self.encoded += len(part)
            padded = len(part) * max(len(t) for _, t in part)
            rate = spent / max(padded, 1)
            self._rate = rate if self._rate is None else (1 - _LEARN) * self._rate + _LEARN * rate
            out.update((h, np.asarray(v, dtype=np.float32)) for (h, _), v in zip(part, vecs))
            i += len(part)
        return out

    def _slice(self, todo: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """The next model call: as many passages as the estimated speed fits in what is left of the
        budget (a call pads its texts to the longest); one to begin with, while the speed is unknown."""
        if self._left <= 0:
            return []
        room = min(SLICE_MAX, FRESH_MAX - self._count, len(todo))
        if self._rate is None:
            return list(todo[:1])
        part: list[tuple[str, str]] = []
        longest = 0
        for item in todo[:room]:
            longest = max(longest, len(item[1]))
            if self._rate * longest * (len(part) + 1) > self._left:
                break
            part.append(item)
        return part

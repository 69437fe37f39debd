"""Meaning at query time for passages still waiting for their vector.

A passage is keyword-searchable the moment it commits; its vector follows slowly (about an hour for
a desk of documents on a CPU). Until then a hybrid search gives it a stand-in cosine (fusion.py:
`combine`), so among several candidates holding the query's words the one that answers it cannot be
told from the others, and an index without any vector yet is searched by words alone. So a hybrid
search embeds its best keyword candidates that have no vector, exactly as the indexer will embed
them (core/context.py: `model_input`, whose hash is the passage's text_hash), with the searcher's
own embedder of the index's model, and ranks them by meaning at once:

- bounded: in keyword rank order, at most FRESH_MAX passages a query, one model call each, and only
  while the next one is expected to fit in what is left of FRESH_BUDGET_S (the time a passage takes
  is measured as it goes): a busy machine embeds fewer rather than answering later
  (docs/benchmarks.md, "Meaning before vectors");
- kept: in memory (FRESH_CACHE vectors, least recently used dropped) and in the side file
  (store/sidecar.py), from which the indexer adopts them instead of embedding those texts again,
  and which searchers in other processes read too.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from ..context import model_input
from ..embed import Embedder
from ..errors import ServerError
from ..store import HitRow, text_hash
from ..store.sidecar import SideVectors

log = logging.getLogger(__name__)

# Most passages a query embeds (the time box below stops it first on a CPU; a GPU gets this far).
FRESH_MAX = 32
# Model time a query may spend on them, in seconds. MiniLM on this project's 2-core test machine
# takes 40-60 ms a passage on one core when it is quiet, ~100 ms when it is busy: 2 to 4 passages.
FRESH_BUDGET_S = 0.2
# Vectors kept in memory (by model and text hash): ~3 MB of 384-d vectors.
FRESH_CACHE = 2048
# Weight of the newest measurement in the running estimate of a passage's time.
_LEARN = 0.5
# When not one passage fits a whole budget, the speed may have been measured in a slow moment (the
# model's first call, a busy minute): each such query thinks it this much faster, so a later query
# measures it again rather than none ever embedding again.
_RECOVER = 0.8


def embeddable(rows: Iterable[HitRow]) -> list[HitRow]:
    """The candidates a search may embed, best first: the one place that says which. Not the passages
    kept for keyword search only by choice (data files such as logs, past one file's cap:
    core/indexing/budget.py): the budget left them out, a query does not put them back."""
    return [row for row in rows if not row.lexical]


class FreshVectors:
    """Vectors for candidates without one: from memory, the side file, then the model in a time box.

    One per searcher, used from the thread that searches. `start` begins a query's time box (the
    rounds of one query share it); `vectors` answers each round."""

    def __init__(
        self,
        side: SideVectors | None,
        *,
        budget_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.side = side
        self.budget_s = FRESH_BUDGET_S if budget_s is None else budget_s
        self._clock = clock
        self._memory: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._per_passage: float | None = None  # model seconds a passage takes, a running estimate
        self._left, self._count, self._recovered = self.budget_s, 0, False
        self.encoded = 0  # passages embedded by this object in all (for status and benchmarks)

    def start(self) -> None:
        self._left, self._count, self._recovered = self.budget_s, 0, False

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
        """Embed `todo` (hash, model input) in order while the query's budget lasts.

        One passage a call, through `encode_query`: on a CPU it runs on one core, like the query.
        Two torch threads on a busy two-core machine took 3-5x longer than one, and erratically
        (120-1,400 ms against 60-110 ms for one passage; docs/benchmarks.md, "Meaning before
        vectors"), which no time box can plan for; and one core batches nothing faster anyway.
        A served model answers it with a query's short timeout. Both backends embed a query's
        text as they embed a passage's (no instruction prefix), so the vector is the indexer's."""
        out: dict[str, np.ndarray] = {}
        for h, text in todo:
            if self._count >= FRESH_MAX or not self._fits():
                break
            t0 = self._clock()
            try:
                vec = emb.encode_query(text)
            except ServerError as exc:  # the server went away: the stand-in it is, for this query
                log.info("not embedding search candidates: %s", exc)
                self._left = 0.0
                break
            spent = self._clock() - t0
            self._left -= spent
            self._count += 1
            self.encoded += 1
            known = self._per_passage
            self._per_passage = spent if known is None else (1 - _LEARN) * known + _LEARN * spent
            out[h] = np.asarray(vec, dtype=np.float32)
        return out

    def _fits(self) -> bool:
        """Whether the next passage is expected to fit in what is left of the budget (the first one
        is tried while its time is unknown)."""
        if self._left <= 0:
            return False
        if self._per_passage is None or self._per_passage <= self._left:
            return True
        if self._count == 0 and not self._recovered:
            self._per_passage *= _RECOVER
            self._recovered = True
        return False

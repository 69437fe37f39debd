"""How a query's candidate pool grows when a few long documents fill it (search.py: GROW_ROUNDS).

Candidates are counted in passages, so a question about one 300-page manual can find 200 passages
of that manual and fewer than `k` files. The pool then grows x4, twice at most. The last round keeps
every candidate of the round before and adds only passages of *other* documents: what the user
lacks then is more files, and the documents already in the pool have had 200 of their passages
scored. Scoring their passages 200-800 as well cost the slow docs-dev questions (gnuplot, bash)
~1,400 passages and a third of their search time; without them, 2 of the 48 lists differ in their
lower files and no metric moves (docs/benchmarks.md, "Desktop app"). The first grown round is not
limited: limited, it changed the passage shown for a file on 4 of the 48 questions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ..models import Evidence
from ..store import HitRow
from .floor import Floor, is_close
from .grouping import group_by_file
from .hybrid import Rounds

Ranked = Sequence[tuple[int, float]]
# One round: (ranked (id, score), rows of the candidates read so far, each id's sources, query vector,
# evidence), from (pool size, the query vector of an earlier round, `before` for other_files).
Round = tuple[
    list[tuple[int, float]], Mapping[int, HitRow], dict[int, tuple[str, ...]], np.ndarray | None, dict[int, Evidence]
]
RankRound = Callable[[int, np.ndarray | None, Mapping[int, int] | None], Round]
Files = tuple[list[tuple[HitRow, float]], dict[int, tuple[str, ...]], np.ndarray | None, dict[int, Evidence], set[int]]


def best_files(
    rank: RankRound, n: int, k: int, per_file: int, floor: Floor | None, weak: bool, rounds: Rounds, rounds_left: int
) -> Files:
    """The best `k` files with up to `per_file` passages each, ranked by `rank` over a pool of `n`
    candidates grown x4 at most `rounds_left` times while fewer than `k` files come out: (passages
    picked, sources, query vector, evidence, ids of the weak ones). The weak ones (floor.py: neither
    close in meaning nor holding the query's words; no floor without a query vector) are left out,
    or put after every close one with `weak`."""
    qvec: np.ndarray | None = None  # embedded in the first round, reused by the next
    before: dict[int, int] | None = None  # the candidates of the round before the last, by document
    for left in range(rounds_left, -1, -1):
        ranked, rows, sources, qvec, evidence = rank(n, qvec, before)
        gate = floor if qvec is not None else None  # words alone (no query vector): nothing is weak
        weak_ids = {pid for pid, ev in evidence.items() if gate is not None and not is_close(ev, gate)}
        close = [(pid, s) for pid, s in ranked if pid not in weak_ids]
        picked = group_by_file(
            close + ([(p, s) for p, s in ranked if p in weak_ids] if weak else []), rows, k, per_file, rounds.copies
        )
        if len({row.doc_id for row, _ in picked}) >= k or rounds.short or left == 0:
            break
        if left == 1:  # the next round is the last: it adds files, not passages
            before = {pid: rows[pid].doc_id for pid, _ in ranked if pid in rows}
        n *= 4
    return picked, sources, qvec, evidence, weak_ids


def other_files(
    lists: Sequence[Ranked], before: Mapping[int, int], docs_of: Callable[[Sequence[int]], Mapping[int, int]]
) -> list[list[tuple[int, float]]]:
    """Each retriever's list, keeping the candidates of the round before (`before`: passage id -> its
    document) and the passages of documents it did not hold. `docs_of`: the documents of passage
    ids (one read for every new candidate of every list)."""
    new = list(dict.fromkeys(pid for ranked in lists for pid, _ in ranked if pid not in before))
    held = set(before.values())
    doc = docs_of(new)
    # A passage deleted since (no document) drops out, as grouping would drop it.
    keep = set(before) | {pid for pid in new if pid in doc and doc[pid] not in held}
    return [[(pid, s) for pid, s in ranked if pid in keep] for ranked in lists]

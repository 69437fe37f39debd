"""The hybrid stage of a search: every candidate's vector and words, then fusion.py's scoring."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..context import place
from ..models import Evidence
from ..store import HitRow, Store
from .fusion import WordMemo, hybrid_rank, query_words

# Vectors computed now for candidates that have none yet (fresh.py), by passage id.
Fresh = Callable[[Sequence[HitRow]], Mapping[int, np.ndarray]]


@dataclass
class Rounds:
    """What one query's rounds share (search.py grows the pool): rows read, word evidence, and the
    last round's copies left out."""

    rows: dict[int, HitRow] = field(default_factory=dict)
    words: WordMemo = field(default_factory=WordMemo)
    copies: dict[int, list[str]] = field(default_factory=dict)  # grouping.py: files of copies left out
    short: bool = False  # the last round's retrievers found fewer than asked: a larger pool holds no more


def hybrid(
    store: Store,
    query: str,
    qvec: np.ndarray,
    dense: Sequence[tuple[int, float]],
    keyword: Sequence[tuple[int, float]],
    freqs: Mapping[str, int],
    pieces: Callable[[str], int],
    fresh: Fresh | None = None,
    rounds: Rounds | None = None,
) -> tuple[list[tuple[int, float]], dict[int, HitRow], dict[int, Evidence]]:
    """Score the union of both candidate lists with cosine + lexical evidence, with one round of
    vector feedback (see fusion.py).

    Every candidate's vector comes from SQLite in one batched read, so keyword-only candidates
    are judged on both signals rather than "missing = worst", and the feedback can re-score all.
    Keyword candidates still without a vector are handed to `fresh`, best first, for one computed
    now; those it leaves out keep fusion's stand-in cosine. `pieces`: the model's tokens per word.
    `rounds`: what an earlier round of the same query read and scored, not done again."""
    rounds = rounds or Rounds()
    ids = list(dict.fromkeys([i for i, _ in dense] + [i for i, _ in keyword]))
    rounds.rows.update(store.hit_rows([pid for pid in ids if pid not in rounds.rows]))
    rows = {pid: rounds.rows[pid] for pid in ids if pid in rounds.rows}
    found, mat = store.vectors_for(ids, len(qvec))
    if fresh is not None:
        have = set(found.tolist())
        extra = fresh([rows[pid] for pid, _ in keyword if pid not in have and pid in rows])
        if extra:
            found = np.concatenate([found, np.fromiter(extra, dtype=np.int64, count=len(extra))])
            mat = np.vstack([mat, np.stack(list(extra.values())).astype(np.float32)])
    # The keyword thread counted every query word (a word FTS5 cannot match counts 0).
    words = query_words(query, lambda w: freqs.get(w, 0), store.passage_count(), pieces)
    # Words count where the passage sits too: its file name, title and heading path.
    texts = {pid: f"{row.context}\n{row.text}" for pid, row in rows.items()}
    places = {pid: place(row.title, row.section) for pid, row in rows.items()}
    ranked, evidence = hybrid_rank(qvec, found.tolist(), mat, texts, words, ids, places, rounds.words)
    return ranked, rows, evidence

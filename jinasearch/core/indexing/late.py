"""Late chunking in the pipeline: the passages waiting for vectors, read with their document around them.

The embedding loop (indexing/embedding.py) hands over the distinct texts it wants vectors for, in the
store's order, which keeps a document's passages together. Here each one is placed in its document
(`prepare`, on the caller's thread: it reads the store) and the model reads windows of the document
around them (`LateRunner.run`, on any thread: no store access), core/embed/late.py.

Identical texts are still embedded once (they are stored by text hash): a text's vector is pooled in
the context of the first document that asks for it. For a duplicated file that is its own context;
for the same paragraph under the same heading of two different documents (the hash covers the
title and heading path) one context stands for both.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..control import Control
from ..embed.base import TokenEmbedder
from ..embed.late import MARGIN_SHARE, Window, plan_windows, pool, window_ids
from ..store import PendingPassage, Store

# The model reads about this many tokens per call on a CPU (a GPU takes 4x): about what a batch of 32
# naive passages holds, so a cancel waits no longer than it does for one naive batch.
CPU_BATCH_TOKENS = 8192


@dataclass(frozen=True)
class DocPassages:
    """One document's passages in order, as the model reads them, and which of them need vectors."""

    hashes: tuple[str, ...]
    texts: tuple[str, ...]
    targets: tuple[int, ...]


@dataclass(frozen=True)
class LateWork:
    """What one call embeds: the texts asked for (by hash, in order) and their documents."""

    hashes: tuple[str, ...]
    docs: tuple[DocPassages, ...]


Context = Callable[[Sequence[PendingPassage]], LateWork]


def store_context(store: Store, window: int, *, place_lines: bool = True) -> Context:
    """Places passages read from `store` in their documents: each document's passages from some way
    before the first asked for to some way after the last, enough to fill a window (each passage
    without its place line when not `place_lines`)."""
    reach = window // 16 + 1  # passages each side; fewer tokens than that are rare (a heading alone)

    def context(rows: Sequence[PendingPassage]) -> LateWork:
        by_doc: dict[int, list[PendingPassage]] = {}
        for row in rows:
            by_doc.setdefault(row.doc_id, []).append(row)
        docs = []
        for doc_id, asked in by_doc.items():
            lo, hi = min(r.ord for r in asked), max(r.ord for r in asked)
            stretch = store.around(doc_id, max(0, lo - reach), hi + reach, bare=not place_lines)
            wanted = {r.ord for r in asked}
            docs.append(
                DocPassages(
                    tuple(p.text_hash for p in stretch),
                    tuple(p.text for p in stretch),
                    tuple(i for i, p in enumerate(stretch) if p.ord in wanted),
                )
            )
        return LateWork(tuple(r.text_hash for r in rows), tuple(docs))

    return context


def docs_work(docs: Sequence[tuple[Sequence[str], Sequence[str]]], wanted: set[str] | frozenset[str]) -> LateWork:
    """The work for documents not stored yet (a re-read, a re-cut): each as (hashes, model inputs) of
    all its passages; vectors for the first passage of each hash in `wanted`."""
    seen: set[str] = set()
    out = []
    for hashes, texts in docs:
        targets = []
        for i, h in enumerate(hashes):
            if h in wanted and h not in seen:
                seen.add(h)
                targets.append(i)
        if targets:
            out.append(DocPassages(tuple(hashes), tuple(texts), tuple(targets)))
    order = [h for d in out for h in (d.hashes[i] for i in d.targets)]
    return LateWork(tuple(order), tuple(out))


@dataclass
class _Job:
    ids: list[int]
    window: Window
    lengths: list[int]
    total: int
    hashes: tuple[str, ...]


class LateRunner:
    """Runs LateWork through the model: windows of up to `window` tokens, a few per model call,
    with a checkpoint of the control between calls (pause and cancel act within one call). When the
    control asks for slices (the app), a call holds about `control.slice_s` of model time."""

    def __init__(self, emb: TokenEmbedder, control: Control, window: int, *, place_lines: bool = True) -> None:
        self.emb, self.control = emb, control
        self.place_lines = place_lines  # whether the caller's texts begin with their place line (config.Recipe)
        self.window = max(8, min(window, emb.max_positions))
        self.budget = self.window - emb.specials.count
        self.margin = self.budget // MARGIN_SHARE
        per_call = CPU_BATCH_TOKENS * (4 if getattr(emb, "device", "cpu") == "cuda" else 1)
        self.batch_tokens = max(per_call, self.window)
        self._per_token: float | None = None  # seconds per token, a running estimate

    def run(self, work: LateWork) -> np.ndarray | None:
        """One vector per hash of `work.hashes`, in order; None when cancelled."""
        found: dict[str, np.ndarray] = {}
        jobs = [job for doc in work.docs for job in self._jobs(doc)]
        i = 0
        while i < len(jobs):
            if not self.control.checkpoint():
                return None
            group = self._group(jobs, i)
            t0 = time.monotonic()
            outs = self.emb.token_vectors([j.ids for j in group])
            tokens = sum(len(j.ids) for j in group)
            per = (time.monotonic() - t0) / max(tokens, 1)
            self._per_token = per if self._per_token is None else 0.5 * self._per_token + 0.5 * per
            for job, out in zip(group, outs):
                vecs = pool(out, job.window, job.lengths, self.emb.specials, job.total)
                for row, p in enumerate(job.window.pooled):
                    found.setdefault(job.hashes[p], vecs[row])
            i += len(group)
        missing = [h for h in work.hashes if h not in found]
        if missing:  # cannot happen for work built here; never leave a passage without its vector
            raise ValueError(f"late chunking left {len(missing)} passages without a vector")
        return np.stack([found[h] for h in work.hashes]) if work.hashes else np.zeros((0, self.emb.dim), np.float32)

    def _jobs(self, doc: DocPassages) -> list[_Job]:
        ids = [t[: self.budget] for t in self.emb.token_ids(list(doc.texts))]
        lengths = [len(t) for t in ids]
        flat = [tok for t in ids for tok in t]
        windows = plan_windows(lengths, doc.targets, self.budget, self.margin)
        return [_Job(window_ids(flat, w, self.emb.specials), w, lengths, len(flat), doc.hashes) for w in windows]

    def _group(self, jobs: list[_Job], i: int) -> list[_Job]:
        """The jobs from `i` one model call takes: up to batch_tokens of padded input, or what fits
        in the control's time slice."""
        tokens = self.batch_tokens
        if self.control.slice_s is not None and self._per_token is not None:
            tokens = min(tokens, int(self.control.slice_s / max(self._per_token, 1e-9)))
        longest, group = len(jobs[i].ids), [jobs[i]]
        for job in jobs[i + 1 :]:
            longest = max(longest, len(job.ids))
            if longest * (len(group) + 1) > tokens:
                break
            group.append(job)
        return group

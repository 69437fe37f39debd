"""Shaping the ranked list: at most a few passages of one file, so one long document cannot fill a page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..store import HitRow


def cap_per_file(
    ranked: Sequence[tuple[int, float]], rows: Mapping[int, HitRow], k: int, max_per_file: int
) -> list[tuple[HitRow, float]]:
    """The first `k` of `ranked` (passage id, score) keeping at most `max_per_file` per document.
    A passage without a row was deleted between two reads: it is skipped rather than shown as a ghost."""
    per_file: dict[int, int] = {}
    picked: list[tuple[HitRow, float]] = []
    for pid, score in ranked:
        row = rows.get(pid)
        if row is None:
            continue
        if per_file.get(row.doc_id, 0) >= max_per_file:
            continue
        per_file[row.doc_id] = per_file.get(row.doc_id, 0) + 1
        picked.append((row, score))
        if len(picked) >= k:
            break
    return picked

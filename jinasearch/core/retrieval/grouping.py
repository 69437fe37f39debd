"""Shaping the ranked list by file: the best files first, each with its best passages, so one long
document cannot fill a page and the first results cover as many files as they can."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from ..models import Evidence, Hit
from ..store import HitRow
from .highlight import term_spans


def group_by_file(
    ranked: Sequence[tuple[int, float]],
    rows: Mapping[int, HitRow],
    files: int,
    per_file: int,
    copies: dict[int, list[str]] | None = None,
) -> list[tuple[HitRow, float]]:
    """The first `files` documents of `ranked` (passage id, score), in the order of their best
    passage, each with up to `per_file` of its passages, best first; flattened file by file.

    A passage whose text (whitespace aside) an earlier one has takes no place: a paragraph copied
    into many files would otherwise fill the page with one answer. `copies` gets, for each passage
    kept, the other files of the copies left out (for `fold_copies`' "also in")."""
    groups: dict[int, list[tuple[HitRow, float]]] = {}
    first: dict[str, HitRow] = {}
    if copies is not None:
        copies.clear()
    for pid, score in ranked:
        row = rows.get(pid)
        if row is None:  # deleted between two reads: skipped rather than shown as a ghost
            continue
        key = " ".join(row.text.split())
        seen = first.setdefault(key, row)
        if seen is not row:
            if copies is not None and row.path != seen.path and row.path not in copies.setdefault(seen.passage_id, []):
                copies[seen.passage_id].append(row.path)
            continue
        group = groups.get(row.doc_id)
        if group is None:
            if len(groups) >= files:
                continue
            group = groups[row.doc_id] = []
        if len(group) < per_file:
            group.append((row, score))
    return [hit for group in groups.values() for hit in group]


# Files named per hit at most: a licence paragraph in a thousand files needs no thousand names.
MAX_ALSO_IN = 50


def fold_copies(
    hits: Sequence[Hit],
    copies: Callable[[list[int]], Mapping[int, Sequence[str]]],
    left_out: Mapping[int, Sequence[str]] | None = None,
) -> list[Hit]:
    """`hits` with every identical passage shown once: a later hit with the same text (whitespace aside)
    is dropped, and the first one's `also_in` names the other files holding it: those among the hits,
    those `left_out` names (passage id -> files of the copies `group_by_file` left out) and those
    `copies` (passage ids -> other documents with the same stored passage) finds elsewhere."""
    kept: list[Hit] = []
    first: dict[str, int] = {}  # the text's key -> its index in `kept`
    also: list[list[str]] = []
    for hit in hits:
        key = " ".join(hit.text.split())
        at = first.get(key)
        if at is None:
            first[key] = len(kept)
            kept.append(hit)
            also.append([p for p in (left_out or {}).get(hit.passage_id, ()) if p != hit.path])
        elif hit.path != kept[at].path and hit.path not in also[at]:
            also[at].append(hit.path)
    found = copies([h.passage_id for h in kept]) if kept else {}
    for i, hit in enumerate(kept):
        more = [p for p in found.get(hit.passage_id, ()) if p != hit.path and p not in also[i]]
        if also[i] or more:
            kept[i] = replace(hit, also_in=tuple((also[i] + more)[:MAX_ALSO_IN]))
    return kept


def hit_from(
    row: HitRow,
    score: float,
    sources: Mapping[int, tuple[str, ...]],
    query: str | None,
    sentence: tuple[int, int] | None,
    evidence: Evidence | None,
    close: bool,
) -> Hit:
    """A ranked passage as the Hit a front end shows (word spans when `query` is given)."""
    from ..extract import unit_of  # here: a front end that only shows hits never loads the extractors

    return Hit(
        passage_id=row.passage_id,
        doc_id=row.doc_id,
        path=row.path,
        page=row.page,
        score=float(score),
        text=row.text,
        char_start=row.char_start,
        char_end=row.char_end,
        sources=sources.get(row.passage_id, ()),  # type: ignore[arg-type]
        term_spans=tuple(term_spans(row.text, query)) if query is not None else (),
        sentence_span=sentence,
        mtime=row.mtime,
        title=row.title,
        section=row.section,
        close=close,
        evidence=evidence,
        unit=unit_of(row.path) if row.page else "page",
    )

"""One batch of extraction results into SQLite, in one transaction: keyword-searchable at the commit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..extract import READER_VERSION
from ..extract.runner import Result
from ..store import Store
from .budget import EmbedPolicy, kind_of
from .tally import Committed, Tally


def commit_batch(
    store: Store, batch: Sequence[Result], folder_of: Mapping[str, int], tally: Tally, policy: EmbedPolicy
) -> None:
    """Write each file's outcome (passages, failure, or "same bytes, new mtime") and count it; the
    policy says which passages of each get vectors (indexing/budget.py)."""
    with store.db.atomic():
        outcomes = [_commit_one(store, folder_of[r.file.path], r, policy) for r in batch]
    for result, (committed, passages) in zip(batch, outcomes):
        tally.count(result.file.path, committed, passages, result.error)


def _commit_one(store: Store, folder_id: int, r: Result, policy: EmbedPolicy) -> tuple[Committed, int]:
    info = r.file
    if r.error is not None:
        store.mark_failed(
            folder_id=folder_id,
            path=info.path,
            size=info.size,
            mtime=info.mtime,
            content_hash=r.content_hash,
            reason=r.error,
            reader=READER_VERSION,
            limited=r.limited,
        )
        return "failed", 0
    if r.extracted is None:  # same bytes as before: only the mtime moved
        row = store.document(info.path)
        if row is not None:
            store.touch(row.id, info.size, info.mtime)
        return "unchanged", 0
    chunks = r.chunks
    assert chunks is not None  # cut by the runner or, failing that, by the indexer before the commit
    kind = kind_of(info.path, r.extracted.text)
    store.replace_document(
        folder_id=folder_id,
        path=info.path,
        size=info.size,
        mtime=info.mtime,
        content_hash=r.content_hash or "",
        extracted=r.extracted,
        chunks=chunks,
        reader=READER_VERSION,
        limited=r.limited,
        kind=kind,
        first_lexical=policy.first_lexical(kind, folder_id),
    )
    return "indexed", len(chunks)

"""One batch of extraction results into SQLite, in one transaction: keyword-searchable at the commit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..attached import attached_path
from ..extract import READER_VERSION, type_of
from ..extract.runner import Result
from ..models import Attached
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
    doc_id = store.replace_document(
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
        ext=type_of(info.path).lstrip("."),  # a mailbox without a suffix is of type mbox
    )
    attached = attachments_of(r)
    for path, a in attached:
        _commit_attached(store, folder_id, doc_id, r, path, a, policy)
    store.keep_attached(doc_id, [path for path, _ in attached])
    return "indexed", len(chunks) + sum(len(a.chunks or ()) for _, a in attached)


def attachments_of(r: Result) -> list[tuple[str, Attached]]:
    """A reading's attachments, each with its path in the index (core/attached.py): the one place a
    commit and a refresh (refresh.py) take it from."""
    if r.extracted is None:
        return []
    return [(attached_path(r.file.path, a.message, a.name), a) for a in r.extracted.attached]


def _commit_attached(
    store: Store, folder_id: int, doc_id: int, r: Result, path: str, a: Attached, policy: EmbedPolicy
) -> None:
    """One attachment of a mail file, at `path`, as a document of its own (core/attached.py)."""
    assert a.chunks is not None  # cut with its mail (extract/runner.py: cut)
    kind = kind_of(path, a.extracted.text)
    store.replace_document(
        folder_id=folder_id,
        path=path,
        size=a.size,
        mtime=r.file.mtime,
        content_hash="",
        extracted=a.extracted,
        chunks=a.chunks,
        reader=READER_VERSION,
        kind=kind,
        first_lexical=policy.first_lexical(kind, folder_id),
        attached_to=(doc_id, a.message),
    )

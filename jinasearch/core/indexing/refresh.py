"""Reading unchanged files again for a newer extraction, without a gap in search by meaning.

When extraction improves (READER_VERSION), every indexed file is worth reading again, though none has
changed. Replacing their passages at once would leave the whole library without vectors until the
model has embedded everything anew (hours on a CPU with the Jina model). So, as the re-cut does, each
group of files is read, its new passages' texts that no passage has a vector for are embedded first,
and then, in one transaction, the documents' passages are replaced and those vectors written. A
searcher sees a document's old passages (with vectors) or its new ones (with vectors), never one
without. A cancelled run leaves the rest at the old reader: the next run continues with them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..chunk import Chunking
from ..control import Control
from ..extract.runner import Result, Runner, close_results, cut, ready_batches
from ..models import Chunk
from ..store import Store
from .budget import EmbedPolicy, kind_of
from .changes import Changes
from .commit import attachments_of, commit_batch
from .embedding import Encoder, new_vectors
from .reading import NowExcluded, with_known
from .tally import Tally

# Files swapped in per transaction.
GROUP = 16


@dataclass(frozen=True)
class RefreshStep:
    done: int
    total: int
    path: str


def refresh_all(
    runner: Runner,
    changes: Changes,
    control: Control,
    cutting: Chunking,
    store: Store,
    encoder: Encoder,
    tally: Tally,
    policy: EmbedPolicy,
) -> Iterator[RefreshStep]:
    """Read `changes.stale` again and swap each group in with its vectors; yields a RefreshStep per group.

    Exclusions set meanwhile (control.excludes) hold here as in reading.py: a file they match is not
    read, or not swapped in when it was being read; its old passages go at the next scan."""
    files, folder_of = changes.stale, changes.folder_of
    excluded = NowExcluded(changes, control)
    results = runner.run(excluded.drop(with_known(store, files)), {}, cutting)
    done = 0
    try:
        for batch in ready_batches(results, runner, GROUP):
            group = [cut(r, cutting) for r in batch if not excluded(r.file)]
            if not group:
                continue
            if not _swap_in(store, group, (folder_of, policy), encoder, tally):
                return
            done += len(group)
            yield RefreshStep(done, len(files) - len(excluded.left_out), group[-1].file.path)
    finally:
        close_results(results)


def _swap_in(
    store: Store, group: list[Result], where: tuple[Mapping[str, int], EmbedPolicy], encoder: Encoder, tally: Tally
) -> bool:
    """Embed what the group's new passages need (those the budget gives vectors), then commit the
    group and those vectors at once; False when cancelled (nothing of the group is written)."""
    folder_of, policy = where
    found: tuple[list[str], np.ndarray] | None = ([], np.zeros((0, encoder.emb.dim), np.float32))
    if store.dim() is not None:
        read = [
            (title, policy.to_embed(kind_of(path, text), folder_of[r.file.path], chunks))
            for r in group
            for path, title, text, chunks in _documents(r)
        ]
        found = new_vectors(store, read, encoder)
    if found is None:
        return False
    hashes, vecs = found
    with store.db.atomic():
        commit_batch(store, group, folder_of, tally, policy)
        if len(vecs):
            store.set_vectors(hashes, vecs)
    tally.embedded += len(vecs)
    return True


def _documents(r: Result) -> list[tuple[str, str, str, Sequence[Chunk]]]:
    """(path, title, text, passages) of a reading's documents: the file's, then its attachments'."""
    if r.extracted is None or r.chunks is None:
        return []
    docs = [(r.file.path, r.extracted.title, r.extracted.text, r.chunks)]
    docs += [(path, a.extracted.title, a.extracted.text, a.chunks or ()) for path, a in attachments_of(r)]
    return docs

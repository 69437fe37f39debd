"""Re-cut indexed documents into passages of a new size from their stored text, with no gap in search.

Each group of documents is chunked anew, the texts no passage has a vector for are embedded first,
and then, in one transaction, the documents' passages are replaced and those vectors written. A
searcher therefore sees a document's old passages (with vectors) or its new ones (with vectors),
never a document without vectors. Documents already cut this way are skipped, so a cancelled run
simply continues where it stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..chunk import Chunking
from ..config import Settings
from ..models import Chunk, Extracted
from ..store import IndexedDoc, Store
from ..store.documents import passage_hash
from ..store.schema import META_RECUT_TO
from .budget import EmbedPolicy
from .embedding import Encoder, new_vectors

# Documents re-cut per transaction.
GROUP = 32


def settings_key(settings: Settings) -> str:
    """The recut_key of the cut a run's settings ask for."""
    return recut_key(settings.chunk_tokens, settings.overlap_tokens, settings.section_cuts, settings.topic_cuts)


def recut_key(max_tokens: int, overlap_tokens: int, section_cuts: bool = False, topic_cuts: bool = False) -> str:
    """How the index records the cut a re-cut is for: "tokens/overlap", then "/sections" with section
    cuts and "/topics" with topic cuts."""
    return f"{max_tokens}/{overlap_tokens}" + ("/sections" if section_cuts else "") + ("/topics" if topic_cuts else "")


def cutting_key(cutting: Chunking) -> str:
    return recut_key(cutting.max_tokens, cutting.overlap_tokens, cutting.section_cuts, cutting.topic_cuts)


@dataclass(frozen=True)
class RecutStep:
    done: int
    total: int
    path: str
    embedded: int = 0  # passages given vectors in this step


def pending(store: Store) -> str | None:
    """The passage size a re-cut that has not finished was asked for, if any."""
    return store.get_meta(META_RECUT_TO)


def remember(store: Store, key: str) -> None:
    """Record that a re-cut to `key` is wanted: the next run that can, does it."""
    store.set_meta(META_RECUT_TO, key)


def recut_all(
    store: Store,
    cutting: Chunking,
    encoder: Encoder,
    policy: EmbedPolicy,
    group: int = GROUP,
    *,
    visit_all: bool = True,
) -> Iterator[RecutStep]:
    """Re-cut every indexed document; yields a RecutStep per group. `cutting` uses the model's tokenizer;
    the policy says which passages get vectors (indexing/budget.py). Not `visit_all` (the topic pass,
    whose cut costs a model pass a document): only the documents this cut has not made yet and that
    get vectors, each then recording it (that is the progress: no re-cut is remembered as asked for);
    and only the documents that had vectors get theirs here, the others' passages wait for the
    embedding loop, which embeds in the budget's order."""
    key = cutting_key(cutting)
    if visit_all:
        remember(store, key)
    total = store.count_indexed() if visit_all else store.count_not_cut(key, policy.data_folders)
    embed = store.dim() is not None  # an index without vectors only needs its passages re-cut
    done = cursor = 0
    while not encoder.control.cancelled:
        if visit_all:
            docs = store.indexed_after(cursor, group)
        else:
            docs = store.not_cut_after(cursor, group, key, policy.data_folders)
        if not docs:
            if visit_all:
                store.delete_meta(META_RECUT_TO)
            return
        cursor = docs[-1].id
        work = _recut_group(store, docs, cutting)
        if encoder.control.cancelled:  # a cut read part-way (topic cuts read with the model) commits nothing
            return
        now = [(doc, chunks) for doc, chunks in work if embed and (visit_all or store.doc_has_vectors(doc.id))]
        read = ((doc.title, policy.to_embed(doc.kind, doc.folder_id, chunks)) for doc, chunks in now)
        found = new_vectors(store, read, encoder) if now else ([], np.zeros((0, encoder.emb.dim), np.float32))
        if found is None:
            return
        hashes, vecs = found
        with store.db.atomic():
            for doc, chunks in work:
                # Passages only: the text, messages, OCR state and mail links stay as the reading left them.
                first = policy.first_lexical(doc.kind, doc.folder_id)
                store.recut_document(doc, chunks, first_lexical=first, cut=key)
            if len(vecs):
                store.set_vectors(hashes, vecs)
            changed = {doc.id for doc, _ in work}
            store.mark_cut([doc.id for doc in docs if doc.id not in changed], key)
        done += len(docs)
        yield RecutStep(min(done, total), total, docs[-1].path, len(vecs))


def _recut_group(store: Store, docs: list[IndexedDoc], cutting: Chunking) -> list[tuple[IndexedDoc, list[Chunk]]]:
    """The documents of a group whose passages change under the new cut, with their new passages."""
    work = []
    for doc in docs:
        found = store.doc_text(doc.id)
        if found is None:
            continue
        chunks = cutting.cut(Extracted(found.text, found.pages, title=doc.title, headings=found.headings))
        if store.passage_hashes(doc.id) != [passage_hash(doc.title, c) for c in chunks]:
            work.append((doc, chunks))
    return work

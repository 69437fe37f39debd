"""Re-cut indexed documents into passages of a new size from their stored text, with no gap in search.

Each group of documents is chunked anew, the texts no passage has a vector for are embedded first,
and then, in one transaction, the documents' passages are replaced and those vectors written. A
searcher therefore sees a document's old passages (with vectors) or its new ones (with vectors),
never a document without vectors. Documents already cut this way are skipped, so a cancelled run
simply continues where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from .chunk import chunk_text
from .embed import Embedder
from .models import Chunk, Extracted
from .store import Store, text_hash
from .store import schema as sql

# Meta key: the passage size a re-cut is under way for ("tokens/overlap"); cleared when it is done.
RECHUNK_TO = "rechunk_to"


@dataclass(frozen=True)
class _Doc:
    id: int
    folder_id: int
    path: str
    size: int
    mtime: float
    hash: str | None


def chunking(max_tokens: int, overlap_tokens: int) -> str:
    return f"{max_tokens}/{overlap_tokens}"


def rechunk_all(
    store: Store,
    embedder: Callable[[], Embedder],
    max_tokens: int,
    overlap_tokens: int,
    should_stop: Callable[[], bool],
    group: int = 32,
) -> Iterator[tuple[int, int, str]]:
    """Re-cut every indexed document; yields (documents done, total, current path) per group."""
    store.set_meta(RECHUNK_TO, chunking(max_tokens, overlap_tokens))
    total = int(store.conn.execute(sql.COUNT_INDEXED_DOCS).fetchone()[0])
    embed = store.get_meta("dim") is not None  # an index without vectors only needs its passages re-cut
    emb = embedder()
    done = cursor = 0
    while not should_stop():
        docs = [_Doc(*r) for r in store.conn.execute(sql.INDEXED_DOCS_AFTER, (cursor, group))]
        if not docs:
            store.conn.execute(sql.DELETE_META, (RECHUNK_TO,))
            return
        cursor = docs[-1].id
        work: list[tuple[_Doc, Extracted, list[Chunk]]] = []
        for doc in docs:
            found = store.doc_text(doc.id)
            if found is None:
                continue
            extracted = Extracted(found[0], found[1])
            chunks = chunk_text(extracted, emb.tokenizer, max_tokens=max_tokens, overlap_tokens=overlap_tokens)
            old = [r[0] for r in store.conn.execute(sql.PASSAGE_HASHES_OF_DOC, (doc.id,))]
            if old != [text_hash(c.text) for c in chunks]:
                work.append((doc, extracted, chunks))
        new: dict[str, str] = {}
        if embed:
            for _doc, _ex, chunks in work:
                for c in chunks:
                    h = text_hash(c.text)
                    if h not in new and store.conn.execute(sql.HAS_VECTOR, (h,)).fetchone() is None:
                        new[h] = c.text
        texts = list(new.values())
        parts = []
        for i in range(0, len(texts), emb.batch_size):  # a cancel waits for one model batch at most
            if should_stop():
                return
            parts.append(emb.encode(texts[i : i + emb.batch_size]))
        with store.db.atomic():
            for doc, extracted, chunks in work:
                store.replace_document(
                    folder_id=doc.folder_id,
                    path=doc.path,
                    size=doc.size,
                    mtime=doc.mtime,
                    content_hash=doc.hash or "",
                    extracted=extracted,
                    chunks=chunks,
                )
            if parts:
                store.set_vectors(list(new), np.concatenate(parts))
        done += len(docs)
        yield min(done, total), total, docs[-1].path

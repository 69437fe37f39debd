"""Store.neighbours: the passages next to a hit's, in its document, section and page only (retrieval/neighbours.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from jinasearch.core.models import Chunk, Extracted
from jinasearch.core.store import Store, text_hash

Q = np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32)


def _put(store: Store, folder: int, path: str, parts: list[tuple[str, int, str]]) -> None:
    text, chunks, pos = "", [], 0
    for i, (words, page, section) in enumerate(parts):
        chunks.append(
            Chunk(ordinal=i, text=words, char_start=pos, char_end=pos + len(words), page=page, section=section)
        )
        text += words + " "
        pos += len(words) + 1
    store.replace_document(
        folder_id=folder, path=path, size=len(text), mtime=1.0, content_hash=text_hash(text),
        extracted=Extracted(text), chunks=chunks,
    )  # fmt: skip


def _embed_all(store: Store) -> None:
    pending = store.pending(100)
    vecs = np.tile(Q, (len(pending), 1))
    store.set_vectors([p.text_hash for p in pending], vecs)


def _ids(store: Store, path: str) -> list[int]:
    rows = store.conn.execute(
        "SELECT p.id FROM passages p JOIN documents d ON d.id = p.doc_id WHERE d.path = ? ORDER BY p.ord", (path,)
    )
    return [r[0] for r in rows]


def test_neighbours_stay_in_their_document_section_and_page(tmp_path: Path) -> None:
    store = Store(tmp_path / "index.sqlite3")
    try:
        folder = store.add_folder(str(tmp_path))
        a, b = str(tmp_path / "a.pdf"), str(tmp_path / "b.txt")
        parts = [("alpha one", 1, "S"), ("beta two", 1, "S"), ("gamma three", 2, "S"), ("delta four", 2, "T")]
        _put(store, folder, a, parts)
        _put(store, folder, b, [("epsilon five", 1, "T")])  # its id follows a's last passage
        _embed_all(store)

        def next_to(pid: int) -> set[int]:
            return {n.passage_id for n in store.neighbours([pid], Q)}

        a0, a1, a2, a3 = _ids(store, a)
        (b0,) = _ids(store, b)
        assert b0 == a3 + 1
        assert next_to(a0) == {a1} and next_to(a1) == {a0}  # a2 is on the next page
        assert next_to(a2) == set()  # a1: another page; a3: another section
        assert next_to(a3) == set() and next_to(b0) == set()  # next by id, but another document
        (n,) = store.neighbours([a0], Q)
        assert (n.of, n.side, n.text) == (a0, 1, "beta two") and n.cosine == n.own == 1.0
        assert store.neighbours([a0], Q, excluded=("beta",)) == []  # a -word keeps it out

        _put(store, folder, a, [(t + " again", p, s) for t, p, s in parts])  # read again: new ids, after b's
        _embed_all(store)
        a0, a1, *_ = _ids(store, a)
        assert next_to(a0) == {a1}
        assert store.neighbours([a0], np.zeros(8, dtype=np.float32)) == []  # another model's size: no cosine
    finally:
        store.close()

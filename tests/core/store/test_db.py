"""Store: migrations, FTS kept in step by triggers, atomic replace, vectors shared by text hash, filters."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from jinasearch.core.models import Chunk, Extracted, Filters, Page
from jinasearch.core.run_records import FailedFile
from jinasearch.core.store import Counts, DocText, Store, text_hash
from jinasearch.core.store import schema as sql


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = Store(tmp_path / "index.sqlite3")
    yield s
    s.close()


def chunks_of(text: str, page: int | None = None) -> list[Chunk]:
    out, pos = [], 0
    for i, part in enumerate(text.split(" | ")):
        start = text.index(part, pos)
        out.append(Chunk(ordinal=i, text=part, char_start=start, char_end=start + len(part), page=page))
        pos = start + len(part)
    return out


def put(store: Store, folder: int, path: str, text: str, mtime: float = 1.0) -> int:
    return store.replace_document(
        folder_id=folder,
        path=path,
        size=len(text),
        mtime=mtime,
        content_hash=text_hash(text),
        extracted=Extracted(text),
        chunks=chunks_of(text),
    )


def fts(store: Store, word: str) -> set[int]:
    return {pid for pid, _ in store.keyword(f'"{word}"', 100)}


def test_migrations_set_user_version_and_wal(store: Store, tmp_path: Path) -> None:
    assert store.schema_version == len(sql.MIGRATIONS)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    again = Store(tmp_path / "index.sqlite3")  # re-opening migrates nothing and keeps data
    assert again.schema_version == len(sql.MIGRATIONS)
    again.close()


def test_fresh_database_has_expected_tables(store: Store) -> None:
    names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table','trigger')")}
    assert {
        "meta",
        "folders",
        "documents",
        "texts",
        "passages",
        "passages_fts",
        "passages_ai",
        "passages_ad",
        "passages_au",
    } <= names


def test_fts_follows_inserts_updates_and_deletes(store: Store) -> None:
    f = store.add_folder("/docs")
    doc = put(store, f, "/docs/a.txt", "apples are red | bananas are yellow")
    assert len(fts(store, "apples")) == 1 and len(fts(store, "bananas")) == 1
    # Porter stemming: "apple" finds "apples".
    assert fts(store, "apple") == fts(store, "apples")
    put(store, f, "/docs/a.txt", "cherries are dark")
    assert fts(store, "apples") == set() and len(fts(store, "cherries")) == 1
    pid = next(iter(fts(store, "cherries")))
    store.conn.execute("UPDATE passages SET text = 'plums now' WHERE id = ?", (pid,))
    assert fts(store, "cherries") == set() and fts(store, "plums") == {pid}
    # Filling in a vector does not disturb FTS.
    store.set_vectors([text_hash("cherries are dark")], np.ones((1, 4), np.float32))
    assert fts(store, "plums") == {pid}
    store.delete_documents([doc])
    assert fts(store, "plums") == set()
    assert store.conn.execute("INSERT INTO passages_fts(passages_fts) VALUES('integrity-check')") is not None


def test_replace_document_is_atomic(store: Store) -> None:
    f = store.add_folder("/docs")
    put(store, f, "/docs/a.txt", "old text one | old text two")
    # The second passage blows up half-way through the transaction (after the first was inserted).
    bad = [Chunk(0, "new text", 0, 8), Chunk(1, None, 9, 12)]  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        store.replace_document(
            folder_id=f,
            path="/docs/a.txt",
            size=1,
            mtime=2.0,
            content_hash="x",
            extracted=Extracted("new text dup"),
            chunks=bad,
        )
    texts = [r[0] for r in store.conn.execute("SELECT text FROM passages ORDER BY ord")]
    assert texts == ["old text one", "old text two"]
    row = store.document("/docs/a.txt")
    assert row is not None and row.mtime == 1.0
    assert store.doc_text(row.id) == DocText("old text one | old text two")


def test_pages_and_text_round_trip(store: Store) -> None:
    f = store.add_folder("/docs")
    ex = Extracted("p1 text\n\np2 text", (Page(1, 0, 7), Page(2, 9, 16)))
    doc = store.replace_document(
        folder_id=f,
        path="/docs/a.pdf",
        size=1,
        mtime=1.0,
        content_hash="h",
        extracted=ex,
        chunks=[Chunk(0, "p1 text", 0, 7, 1), Chunk(1, "p2 text", 9, 16, 2)],
    )
    assert store.doc_text(doc) == DocText(ex.text, ex.pages)
    assert [r[0] for r in store.conn.execute("SELECT page FROM passages ORDER BY ord")] == [1, 2]


def test_vectors_are_shared_by_text_hash(store: Store) -> None:
    f = store.add_folder("/docs")
    put(store, f, "/docs/a.txt", "same boilerplate | unique a")
    put(store, f, "/docs/b.txt", "same boilerplate | unique b")
    assert store.count_pending() == 4
    pending = store.pending(100)
    assert len({p.text_hash for p in pending}) == 3
    vec = np.arange(4, dtype=np.float32).reshape(1, 4)
    n = store.set_vectors([text_hash("same boilerplate")], vec)
    assert n == 2 and store.count_pending() == 2  # both copies got the one vector
    # A passage added later with known text gets the stored vector at insert time: no new embedding.
    put(store, f, "/docs/c.txt", "same boilerplate")
    assert store.count_pending() == 2
    ids = store.vector_ids()
    got_ids, mat = store.vectors_for(ids.tolist(), 4)
    assert len(got_ids) == 3 and np.allclose(mat, vec)
    # vector_ids = every id minus the pending ones, sorted, matching a direct scan.
    direct = [r[0] for r in store.conn.execute("SELECT id FROM passages WHERE vector IS NOT NULL ORDER BY id")]
    assert ids.tolist() == direct and ids.dtype == np.int64


def test_vectors_version_bumps_on_every_change(store: Store) -> None:
    f = store.add_folder("/docs")
    v0 = store.vectors_version()
    doc = put(store, f, "/docs/a.txt", "x y")
    v1 = store.vectors_version()
    store.set_vectors([text_hash("x y")], np.ones((1, 4), np.float32))
    v2 = store.vectors_version()
    store.delete_documents([doc])
    v3 = store.vectors_version()
    assert v0 < v1 < v2 < v3


def test_mark_failed_drops_passages_and_records_reason(store: Store) -> None:
    f = store.add_folder("/docs")
    put(store, f, "/docs/a.txt", "words here")
    store.mark_failed(folder_id=f, path="/docs/a.txt", size=3, mtime=5.0, content_hash=None, reason="damaged")
    assert store.counts().passages == 0
    assert store.failed() == [FailedFile("/docs/a.txt", "damaged")]
    row = store.document("/docs/a.txt")
    assert row is not None and row.status == "failed" and store.doc_text(row.id) is None


def test_remove_folder_cascades(store: Store) -> None:
    a, b = store.add_folder("/a"), store.add_folder("/b")
    put(store, a, "/a/x.txt", "alpha words")
    put(store, b, "/b/y.txt", "beta words")
    assert store.remove_folder(a) == 1
    assert store.counts() == Counts(folders=1, indexed=1, failed=0, passages=1, embedded=0)
    assert fts(store, "alpha") == set() and len(fts(store, "beta")) == 1
    assert store.conn.execute("SELECT COUNT(*) FROM texts").fetchone()[0] == 1


def test_filters(store: Store) -> None:
    a = store.add_folder("/a")
    put(store, a, "/a/x.txt", "shared word", mtime=100.0)
    put(store, a, "/a/sub/y.md", "shared word too", mtime=200.0)
    put(store, a, "/ab/z.txt", "shared word three", mtime=300.0)  # a sibling folder, not under /a

    def paths(f: Filters) -> list[str]:
        ids = store.filtered_ids(f).tolist()
        rows = store.hit_rows(ids)
        kw = {pid for pid, _ in store.keyword('"shared"', 10, f if f else None)}
        assert kw == set(ids)  # keyword search honours the same filters
        return sorted(r.path for r in rows.values())

    assert paths(Filters(folder="/a")) == ["/a/sub/y.md", "/a/x.txt"]
    assert paths(Filters(folder="/a/sub/")) == ["/a/sub/y.md"]
    assert paths(Filters(exts=("TXT",))) == ["/a/x.txt", "/ab/z.txt"]
    assert paths(Filters(exts=(".md",))) == ["/a/sub/y.md"]
    assert paths(Filters(modified_after=150.0)) == ["/a/sub/y.md", "/ab/z.txt"]
    assert paths(Filters(modified_before=150.0)) == ["/a/x.txt"]
    assert paths(Filters(folder="/a", exts=("txt",), modified_before=250.0)) == ["/a/x.txt"]
    assert not Filters() and Filters(exts=("txt",))


def test_readonly_store_reads_while_writer_holds(store: Store) -> None:
    f = store.add_folder("/docs")
    put(store, f, "/docs/a.txt", "readable words")
    ro = Store(store.path, readonly=True)
    try:
        assert ro.counts().passages == 1
        with pytest.raises(sqlite3.OperationalError):
            ro.set_meta("x", "y")
    finally:
        ro.close()


def test_passage_count(store: Store) -> None:
    assert store.passage_count() == 0
    put(store, store.add_folder("/docs"), "/docs/a.txt", "one | two | three")
    assert store.passage_count() == 3 == store.counts().passages

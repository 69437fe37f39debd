"""Salvage: the readable rows of a damaged database are copied out, and only whole documents kept."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from jinasearch.core.models import Extracted
from jinasearch.core.store import Store, recovery, text_hash
from jinasearch.core.store.salvage import NothingToSalvage, RowReader, salvage
from tests.core.helpers import joined_chunks
from tests.core.store.damage import pages_of, scribble


def build(db: Path, n_docs: int = 60, per_doc: int = 8) -> None:
    store = Store(db)
    with store.db.atomic():
        folder = store.add_folder("/docs", ())
        store.set_model("m")
        store.set_dim(4)
        for d in range(n_docs):
            parts = [f"document {d} passage {i} " + "words " * 60 for i in range(per_doc)]
            text, chunks = joined_chunks(parts)
            doc = store.replace_document(
                folder_id=folder,
                path=f"/docs/{d}.txt",
                size=len(text),
                mtime=1.0,
                content_hash=text_hash(text),
                extracted=Extracted(text),
                chunks=chunks,
                reader=0,
            )
            hashes = [r[0] for r in store.conn.execute("SELECT text_hash FROM passages WHERE doc_id = ?", (doc,))]
            store.set_vectors(hashes, np.ones((len(hashes), 4), dtype=np.float32))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def test_row_reader_steps_past_a_damaged_leaf(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    # Sparse rowids, as AUTOINCREMENT leaves them after many re-indexes.
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(i * 1000, "x" * 300) for i in range(1, 2001)])
    conn.commit()
    conn.close()
    leaves = pages_of(db, "t")
    scribble(db, leaves[len(leaves) // 2 : len(leaves) // 2 + 1])
    reader = RowReader(sqlite3.connect(db), "t", '"id"')
    got = [row[0] for batch in reader.batches() for row in batch]
    assert got == sorted(got) and len(set(got)) == len(got)
    assert 2000 - 30 <= len(got) < 2000  # one leaf (about a dozen rows) lost, the rest read
    assert got[-1] == 2000 * 1000  # read on to the end, past the damage
    assert reader.lost >= 1


def test_salvage_keeps_whole_documents_and_drops_broken_ones(tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite3"
    build(db)
    leaves = pages_of(db, "passages")
    scribble(db, leaves[3:5])
    aside = tmp_path / "damaged.sqlite3"
    os.replace(db, aside)
    kept = salvage(aside, db)
    assert kept.folders == 1 and kept.documents == 60
    assert 1 <= kept.reread <= 10
    store = Store(db, readonly=True)
    try:
        docs = store.conn.execute("SELECT id, n_passages, size FROM documents").fetchall()
        for doc_id, n, size in docs:  # every document holds what it says, each passage with its vector
            have = store.conn.execute(
                "SELECT count(*), count(vector) FROM passages WHERE doc_id = ?", (doc_id,)
            ).fetchone()
            assert tuple(have) == (n, n)
            assert (size == -1) == (n < 8)  # those that lost a passage are read again by the next scan
        assert sum(size == -1 for _, _, size in docs) == kept.reread
        assert store.conn.execute("SELECT count(*) FROM passages").fetchone()[0] == kept.passages < 8 * 60
        # FTS5 was refilled by the triggers: the kept text is keyword-searchable again.
        hits = store.conn.execute("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH 'words'").fetchone()[0]
        assert hits == kept.passages
        assert store.model() == "m" and store.dim() == 4
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        store.close()


def test_salvage_of_nothing_readable_raises(tmp_path: Path) -> None:
    aside = tmp_path / "damaged.sqlite3"
    aside.write_bytes(b"garbage" * 2000)
    with pytest.raises(NothingToSalvage):
        salvage(aside, tmp_path / "index.sqlite3")


def test_an_interrupted_salvage_moves_nothing_and_the_next_one_finishes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A kill, a Ctrl-C or a full disk midway: the damaged database stays where it was, with its folders."""
    from jinasearch.core.store import salvage as salvage_module

    db = tmp_path / "index.sqlite3"
    build(db)
    scribble(db, pages_of(db, "passages")[3:5])
    damaged = db.read_bytes()

    def full_disk(*args: object) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(salvage_module, "_keep_whole", full_disk)
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        recovery.salvage_or_set_aside(db, "test", lock_held=True)
    assert db.read_bytes() == damaged
    assert not list(tmp_path.glob("*.salvage*")) and not recovery.leftovers(tmp_path)  # nothing half-built or moved
    monkeypatch.undo()
    notice = recovery.salvage_or_set_aside(db, "test", lock_held=True)
    assert "1 folder, 60 documents" in notice
    assert [p.name.split("-")[0] for p in recovery.leftovers(tmp_path)] == ["index.sqlite3.corrupt"]
    store = Store(db, readonly=True)
    try:
        assert store.conn.execute("SELECT count(*) FROM folders").fetchone()[0] == 1
    finally:
        store.close()


def test_passage_ids_are_not_given_out_again(tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite3"
    build(db)
    conn = sqlite3.connect(db)
    top = conn.execute("SELECT max(id) FROM passages").fetchone()[0]
    conn.execute("DELETE FROM passages WHERE id > ?", (top - 8,))  # the newest passages, as if lost
    conn.commit()
    conn.close()
    aside = tmp_path / "damaged.sqlite3"
    os.replace(db, aside)
    salvage(aside, db)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'passages'").fetchone()[0] == top
    conn.close()

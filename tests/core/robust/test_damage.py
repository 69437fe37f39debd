"""Damaged index files: a bad FAISS file is set aside and rebuilt; a corrupt database is set aside, not looped on."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from filelock import FileLock

from jinasearch.core.errors import CorruptIndexError
from jinasearch.core.library import read_status
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from tests.core.store.check import check_finished, passage_keys
from tests.core.store.damage import pages_of, scribble
from tests.fakes import FakeEmbedder

from . import proc
from .files import make_corpus


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("damage")
    corpus = make_corpus(base / "corpus", n_text=12)
    proc.index(base / "data", corpus)
    return corpus, base / "data"


def copy_index(src: Path, dst: Path) -> Path:
    dst.mkdir()
    for f in src.iterdir():
        if f.is_file():
            (dst / f.name).write_bytes(f.read_bytes())
    return dst


def semantic_ids(data: Path) -> list[int]:
    s = Searcher(proc.settings(data), embedder=FakeEmbedder())
    try:
        return [h.passage_id for h in s.search("volcano lava crater", k=5, mode="semantic")]
    finally:
        s.close()


@pytest.mark.parametrize("damage", ["missing", "truncated", "garbage", "empty"])
def test_damaged_faiss_is_set_aside_and_rebuilt(
    damage: str, built: tuple[Path, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    corpus, original = built
    data = copy_index(original, tmp_path / "data")
    expected = semantic_ids(data)
    faiss = proc.settings(data).faiss_path
    raw = faiss.read_bytes()
    if damage == "missing":
        faiss.unlink()
    elif damage == "truncated":
        faiss.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        faiss.write_bytes(os.urandom(len(raw)))
    else:
        faiss.write_bytes(b"")
    with caplog.at_level(logging.INFO, logger="jinasearch.core.store.vectors"):
        assert semantic_ids(data) == expected  # never silently empty: rebuilt from SQLite
    assert ("building it from the database" if damage == "missing" else "is damaged") in caplog.text
    if damage != "missing":
        assert list(data.glob("vectors.faiss.damaged-*"))
    proc.index(data, corpus)  # the next run writes a sound file again
    assert check_finished(proc.settings(data)) == []


def test_corrupt_database_is_set_aside_by_the_indexer(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, original = built
    data = copy_index(original, tmp_path / "data")
    db = proc.settings(data).db_path
    db.write_bytes(b"this is not an index" * 500)
    ix = proc.index(data, corpus)
    assert ix.notice and "damaged" in ix.notice and "fresh index" in ix.notice
    assert list(data.glob("index.sqlite3.corrupt-*"))
    assert check_finished(proc.settings(data)) == []
    assert passage_keys(proc.settings(data)) == passage_keys(proc.settings(original))
    again = proc.index(data, corpus)  # no crash loop, no second notice
    assert again.notice is None and again.summary.unchanged == again.summary.scanned


def _checkpointed(data: Path) -> Path:
    """The database with its WAL folded in, so damaging the file is damaging the index."""
    db = proc.settings(data).db_path
    s = Store(db)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    return db


def test_corrupt_pages_found_by_quick_check(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, original = built
    data = copy_index(original, tmp_path / "data")
    db = _checkpointed(data)
    raw = bytearray(db.read_bytes())
    page = 4096
    for off in range(len(raw) // 2, len(raw) // 2 + 3 * page, 7):  # scribble over pages mid-file
        raw[off] = 0xA5
    db.write_bytes(bytes(raw))
    ix = proc.index(data, corpus)
    assert ix.notice is not None  # salvaged, or (when the damage hit the schema's own pages) rebuilt
    assert check_finished(proc.settings(data)) == []
    assert passage_keys(proc.settings(data)) == passage_keys(proc.settings(original))


def test_damaged_passage_pages_are_salvaged_not_rebuilt(built: tuple[Path, Path], tmp_path: Path) -> None:
    """Two damaged leaves of the passages table: the folders and every whole document stay, only the
    documents that lost a passage are read again, and a search before the repair moves nothing."""
    corpus, original = built
    data = copy_index(original, tmp_path / "data")
    db = _checkpointed(data)
    leaves = pages_of(db, "passages")
    scribble(db, [leaves[1], leaves[len(leaves) // 2]])
    damaged = db.read_bytes()
    try:  # a reader never repairs: it may fail on the damaged page, but it moves and writes nothing
        semantic_ids(data)
    except CorruptIndexError as exc:
        assert "run 'jinasearch index'" in str(exc)
    assert db.read_bytes() == damaged and not list(data.glob("*.corrupt-*"))
    ix = proc.index(data, corpus)
    assert ix.notice is not None and "1 folder," in ix.notice and "were kept" in ix.notice
    total = ix.summary.scanned
    assert 0 < ix.summary.indexed < total // 2  # the documents on the damaged pages, not all of them
    assert ix.summary.unchanged == total - ix.summary.indexed
    # What survived of a re-read document hands its vectors on: only the lost passages are embedded.
    assert 0 < ix.summary.passages_embedded < ix.summary.passages_added
    assert check_finished(proc.settings(data)) == []
    assert passage_keys(proc.settings(data)) == passage_keys(proc.settings(original))
    copies = list(data.glob("index.sqlite3.corrupt-*"))
    assert copies and read_status(proc.settings(data)).damaged_copies
    # The next complete run removes what the repair set aside before it.
    again = proc.index(data, corpus)
    assert again.notice is None and not list(data.glob("*.corrupt-*"))
    assert read_status(proc.settings(data)).damaged_copies == ()


def test_a_reader_open_during_a_repair_follows_it(built: tuple[Path, Path], tmp_path: Path) -> None:
    """The app's searcher stays open across runs: after a repair swaps the database, it reads the new one."""
    corpus, original = built
    data = copy_index(original, tmp_path / "data")
    db = _checkpointed(data)
    reader = Store(db, readonly=True)
    try:
        with reader.snapshot():
            before = reader.counts()
        leaves = pages_of(db, "passages")
        scribble(db, [leaves[1], leaves[len(leaves) // 2]])
        assert proc.index(data, corpus).notice is not None
        with reader.snapshot():
            assert reader.counts() == before
    finally:
        reader.close()


def test_searcher_on_corrupt_database_says_so_and_moves_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = proc.settings(data).db_path
    db.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(CorruptIndexError, match="damaged.*run 'jinasearch index'"):
        Searcher(proc.settings(data), embedder=FakeEmbedder())
    assert db.read_bytes() == b"\x00garbage" * 1000 and not list(data.glob("*.corrupt-*"))


def test_corrupt_database_in_use_by_an_indexer_is_left_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    settings = proc.settings(data)
    settings.db_path.write_bytes(b"\x00garbage" * 1000)
    with FileLock(str(settings.lock_path)):  # stands for an indexer running in another process
        with pytest.raises(CorruptIndexError, match="another jinasearch process"):
            Store(settings.db_path)
    assert settings.db_path.read_bytes().startswith(b"\x00garbage")


def test_empty_database_from_a_kill_before_first_commit_is_just_filled(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", n_text=3)
    data = tmp_path / "data"
    data.mkdir()
    proc.settings(data).db_path.write_bytes(b"")  # sqlite3.connect() created it, then the process died
    ix = proc.index(data, corpus)
    assert ix.notice is None and not list(data.glob("*.corrupt-*"))
    assert check_finished(proc.settings(data)) == []

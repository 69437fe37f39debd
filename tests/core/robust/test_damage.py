"""Damaged index files: a bad FAISS file is set aside and rebuilt; a corrupt database is set aside, not looped on."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from filelock import FileLock

from jinasearch.core.errors import CorruptIndexError
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from tests.core.store.check import check_finished, passage_keys
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


def test_corrupt_pages_found_by_quick_check(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, original = built
    data = copy_index(original, tmp_path / "data")
    db = proc.settings(data).db_path
    s = Store(db)  # fold the WAL into the main file so damaging it is damaging the index
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    raw = bytearray(db.read_bytes())
    page = 4096
    for off in range(len(raw) // 2, len(raw) // 2 + 3 * page, 7):  # scribble over pages mid-file
        raw[off] = 0xA5
    db.write_bytes(bytes(raw))
    ix = proc.index(data, corpus)
    assert ix.notice is not None
    assert check_finished(proc.settings(data)) == []
    assert passage_keys(proc.settings(data)) == passage_keys(proc.settings(original))


def test_searcher_on_corrupt_database_starts_fresh_with_notice(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    proc.settings(data).db_path.write_bytes(b"\x00garbage" * 1000)
    s = Searcher(proc.settings(data), embedder=FakeEmbedder())
    try:
        assert s.store.notice and "fresh index" in s.store.notice
    finally:
        s.close()
    s = Searcher(proc.settings(data), embedder=FakeEmbedder())  # second start: fine, nothing to report
    assert s.store.notice is None
    s.close()


def test_corrupt_database_in_use_by_an_indexer_is_left_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    settings = proc.settings(data)
    settings.db_path.write_bytes(b"\x00garbage" * 1000)
    with FileLock(str(settings.lock_path)):  # stands for an indexer running in another process
        with pytest.raises(CorruptIndexError, match="another jinasearch process"):
            Searcher(settings, embedder=FakeEmbedder())
    assert settings.db_path.read_bytes().startswith(b"\x00garbage")


def test_empty_database_from_a_kill_before_first_commit_is_just_filled(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", n_text=3)
    data = tmp_path / "data"
    data.mkdir()
    proc.settings(data).db_path.write_bytes(b"")  # sqlite3.connect() created it, then the process died
    ix = proc.index(data, corpus)
    assert ix.notice is None and not list(data.glob("*.corrupt-*"))
    assert check_finished(proc.settings(data)) == []

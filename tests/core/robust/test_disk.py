"""Out of space and read-only data directories: a clear error, the last commit intact, and a clean resume.

Real conditions where the test runs as root (a small tmpfs that fills up, then is grown; a remount
read-only); elsewhere those two skip and the fault-injection tests below cover the same code path.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from jinasearch.core.errors import DataDirError
from jinasearch.core.library import read_status
from jinasearch.core.store import vectors
from tests.core.store.check import check_at_rest, check_finished, passage_keys

from . import proc
from .files import make_corpus


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=640k", "tmpfs", str(mnt)):
        pytest.skip("needs root and permission to mount a tmpfs")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


@pytest.fixture(scope="module")
def corpus_and_clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("disk")
    corpus = make_corpus(base / "corpus", n_text=120, seed=3)
    proc.index(base / "clean", corpus)
    return corpus, base / "clean"


def test_disk_full_then_space_freed(small_fs: Path, corpus_and_clean: tuple[Path, Path]) -> None:
    corpus, clean = corpus_and_clean
    data = small_fs / "data"
    with pytest.raises(DataDirError, match="out of disk space"):
        proc.index(data, corpus)
    assert check_at_rest(proc.settings(data)) == []  # what was committed before the disk filled is sound
    assert _mount("-o", "remount,size=64m", str(small_fs))
    resumed = proc.index(data, corpus)
    assert resumed.summary.unchanged > 0  # files committed before the failure were not redone
    assert check_finished(proc.settings(data)) == []
    assert passage_keys(proc.settings(data)) == passage_keys(proc.settings(clean))


def test_read_only_data_dir_then_writable(small_fs: Path, corpus_and_clean: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, clean = corpus_and_clean
    assert _mount("-o", "remount,size=64m", str(small_fs))
    data = small_fs / "data"
    part = tmp_path / "part"
    part.mkdir()
    (part / "one.txt").write_text((corpus / "d0" / "note000.txt").read_text())
    proc.index(data, part)
    before = passage_keys(proc.settings(data))
    assert _mount("-o", "remount,ro", str(small_fs))
    with pytest.raises(DataDirError, match="read-only|cannot write"):
        proc.index(data, corpus)
    assert _mount("-o", "remount,rw", str(small_fs))
    assert passage_keys(proc.settings(data)) == before
    proc.index(data, corpus)
    assert check_finished(proc.settings(data)) == []


def test_disk_full_while_writing_faiss(
    tmp_path: Path, corpus_and_clean: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, clean = corpus_and_clean
    data = tmp_path / "data"
    real_fdopen = vectors.os.fdopen

    class FullDisk:
        def __init__(self, fh):  # type: ignore[no-untyped-def]
            self.fh = fh

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            self.fh.close()

        def write(self, b: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(vectors.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    with pytest.raises(DataDirError, match="out of disk space"):
        proc.index(data, corpus)
    assert not list(data.glob("*.tmp"))  # the half-written temp file is removed
    assert check_at_rest(proc.settings(data)) == []
    monkeypatch.undo()
    again = proc.index(data, corpus)
    assert again.summary.unchanged == again.summary.scanned  # all text was committed; only FAISS was missing
    assert check_finished(proc.settings(data)) == []
    assert passage_keys(proc.settings(data)) == passage_keys(proc.settings(clean))


def test_database_full_is_a_clear_error(
    tmp_path: Path, corpus_and_clean: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLITE_FULL without a real full disk: cap the database's page count (max_page_count)."""
    corpus, clean = corpus_and_clean
    data = tmp_path / "data"
    from jinasearch.core.store import schema

    monkeypatch.setattr(schema, "PRAGMAS", (*schema.PRAGMAS, "PRAGMA max_page_count=60"))
    with pytest.raises(DataDirError, match="out of disk space"):
        proc.index(data, corpus)
    assert check_at_rest(proc.settings(data)) == []
    monkeypatch.undo()
    proc.index(data, corpus)
    assert check_finished(proc.settings(data)) == []
    assert passage_keys(proc.settings(data)) == passage_keys(proc.settings(clean))


def _search_and_status(data: Path) -> tuple[list[list[tuple[str, int]]], int]:
    return proc.top_results(data), read_status(proc.settings(data)).indexed


def _fill(mnt: Path) -> None:
    """Write until the filesystem is full (ENOSPC), leaving the filler in place."""
    with open(mnt / "filler", "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def test_readers_work_on_a_read_only_data_dir(small_fs: Path, corpus_and_clean: tuple[Path, Path]) -> None:
    """A shared drive, a backup, a second user: search and status read it without writing a byte."""
    corpus, clean = corpus_and_clean
    assert _mount("-o", "remount,size=64m", str(small_fs))
    data = small_fs / "data"
    proc.index(data, corpus)
    expected = _search_and_status(data)
    # The hard case: no -shm to share (a reader in a writable directory leaves one; a copy has none).
    (data / "index.sqlite3-shm").unlink(missing_ok=True)
    wal = data / "index.sqlite3-wal"
    if wal.exists() and wal.stat().st_size == 0:
        wal.unlink()
    assert _mount("-o", "remount,ro", str(small_fs))
    try:
        assert _search_and_status(data) == expected
        assert expected[1] > 0 and any(expected[0])
    finally:
        assert _mount("-o", "remount,rw", str(small_fs))


def test_readers_work_on_a_full_disk_and_the_writer_names_it(
    small_fs: Path, corpus_and_clean: tuple[Path, Path], tmp_path: Path
) -> None:
    corpus, clean = corpus_and_clean
    assert _mount("-o", "remount,size=64m", str(small_fs))
    data = small_fs / "data"
    proc.index(data, corpus)
    expected = _search_and_status(data)
    _fill(small_fs)
    assert _search_and_status(data) == expected
    more = tmp_path / "more"
    more.mkdir()
    (more / "new.txt").write_text("a new note about glaciers and fjords " * 200)
    with pytest.raises(DataDirError, match="out of disk space"):
        proc.index(data, corpus, more)
    assert _search_and_status(data) == expected  # the failed run lost nothing

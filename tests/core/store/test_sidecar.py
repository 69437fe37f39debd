"""The side file of query-time vectors: keyed by model and text hash with the dimension checked,
bounded, and a cache that never raises: damaged, locked or unwritable, it reads as empty."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from jinasearch.core.store import sidecar
from jinasearch.core.store.sidecar import SideVectors, side_path


def vec(dim: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(dim).astype(np.float32)


def test_vectors_come_back_only_for_their_model_and_size(tmp_path: Path) -> None:
    side = SideVectors(tmp_path)
    assert side.get("m", 4, ["a"]) == {} and not side_path(tmp_path).exists()  # reading creates nothing
    assert side.put("m", 4, {"a": vec(4, 1), "b": vec(4, 2)})
    assert side.put("other", 4, {"a": vec(4, 3)})
    got = side.get("m", 4, ["a", "b", "c"])
    assert set(got) == {"a", "b"} and np.array_equal(got["a"], vec(4, 1))
    assert side.get("m", 8, ["a"]) == {}  # another dimension is another model's
    assert np.array_equal(side.get("other", 4, ["a"])["a"], vec(4, 3))
    side.delete("m", ["a"], other_models=True)
    assert set(side.get("m", 4, ["a", "b"])) == {"b"} and side.get("other", 4, ["a"]) == {}
    side.close()


def test_the_oldest_entries_go_past_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sidecar, "SIDE_CAP", 5)
    side = SideVectors(tmp_path)
    for i in range(8):
        side.put("m", 2, {f"h{i}": vec(2, i)})
    assert side.count() == 5
    assert set(side.get("m", 2, [f"h{i}" for i in range(8)])) == {f"h{i}" for i in range(3, 8)}
    side.close()


def test_a_damaged_file_reads_as_empty_and_the_indexer_removes_it(tmp_path: Path) -> None:
    side_path(tmp_path).write_bytes(b"garbage, not SQLite " * 500)
    searcher = SideVectors(tmp_path)
    assert searcher.get("m", 2, ["a"]) == {} and not searcher.put("m", 2, {"a": vec(2, 0)})
    assert side_path(tmp_path).exists()  # a searcher leaves it where it is
    writer = SideVectors(tmp_path, writer=True)
    assert writer.get("m", 2, ["a"]) == {}
    assert not side_path(tmp_path).exists()
    # A new file in its place: both take it up again.
    assert writer.put("m", 2, {"a": vec(2, 0)})
    assert set(searcher.get("m", 2, ["a"])) == {"a"}
    writer.close()
    searcher.close()


def test_a_locked_file_is_skipped_not_waited_for(tmp_path: Path) -> None:
    side = SideVectors(tmp_path)
    side.put("m", 2, {"a": vec(2, 0)})
    holder = sqlite3.connect(side_path(tmp_path), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert not side.put("m", 2, {"b": vec(2, 1)})  # busy: skipped, not an error
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert side.put("m", 2, {"b": vec(2, 1)})  # and taken up again once free
    side.close()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a POSIX user who cannot write everywhere")
def test_a_read_only_data_dir_is_no_error(tmp_path: Path) -> None:
    tmp_path.chmod(0o555)
    try:
        side = SideVectors(tmp_path)
        assert not side.put("m", 2, {"a": vec(2, 0)}) and side.get("m", 2, ["a"]) == {}
    finally:
        tmp_path.chmod(0o755)

"""Passage vectors computed at query time, kept beside the index until the indexer adopts them.

Searchers open the index read-only and never write it (docs/architecture.md, "Rules that hold
everywhere"), so the vectors a hybrid search computes for passages still waiting for theirs
(retrieval/fresh.py) go to a small SQLite file of their own in the data directory, which the app
(searcher and indexer on two threads) and the command line (two processes) share. An entry is keyed
by the model key the index records and the passage's text hash (a hash of exactly what the model
embeds), and carries its dimension: the indexer takes only its own model's vectors of its size.

It is a cache: losing it costs time, never results. A damaged, locked or unwritable file is logged
and read as empty; it never fails a search or a run. Its SQL lives here, apart from the index's
(store/schema.py), because it is another database.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import numpy as np

from .recovery import is_corruption

log = logging.getLogger(__name__)

SIDE_NAME = "fresh-vectors.sqlite3"
# Most entries kept, the oldest dropped first (~15 MB of 384-d vectors). The indexer deletes what it
# adopts, so only an index whose vectors never come (no model when indexing) ever fills it.
SIDE_CAP = 10_000
# How long a searcher waits for the file's lock (the indexer deleting what it adopted, another
# searcher writing): a query does not wait for a cache; what it could not write it writes next time.
SEARCH_BUSY_S = 0.05
INDEXER_BUSY_S = 2.0
# Hashes per statement: well under SQLite's smallest limit on bound parameters (999 before 3.32).
_CHUNK = 500
_BUSY, _LOCKED = 5, 6  # SQLite's primary result codes for a lock held elsewhere

SCHEMA = """
    CREATE TABLE IF NOT EXISTS vectors (
        id INTEGER PRIMARY KEY,
        model TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL,
        UNIQUE (model, text_hash)
    )
"""
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")
GET = """
    SELECT text_hash, vector FROM vectors
    WHERE model = ? AND dim = ? AND length(vector) = 4 * dim AND text_hash IN ({marks})
"""
# A replaced entry gets a new id, so the pruning below drops what was written longest ago.
PUT = "INSERT OR REPLACE INTO vectors(model, text_hash, dim, vector) VALUES (?, ?, ?, ?)"
PRUNE = "DELETE FROM vectors WHERE id <= (SELECT max(id) FROM vectors) - ?"
DELETE = "DELETE FROM vectors WHERE model = ? AND text_hash IN ({marks})"
DELETE_OTHER_MODELS = "DELETE FROM vectors WHERE model != ?"
COUNT = "SELECT COUNT(*) FROM vectors"

T = TypeVar("T")


def side_path(data_dir: Path) -> Path:
    return data_dir / SIDE_NAME


class SideVectors:
    """The side file as one thread uses it (a connection of its own, opened on first use).

    `writer`: the indexer's, which may remove a damaged file (it holds the indexer lock); a
    searcher's only stops using it for its lifetime."""

    def __init__(self, data_dir: Path, *, writer: bool = False) -> None:
        self.path = side_path(data_dir)
        self._writer = writer
        self._conn: sqlite3.Connection | None = None
        # Which file this object gave up on (damaged, not openable here): not tried again until
        # another file is in its place (the indexer removed a damaged one, a new one was made).
        self._gave_up_on: tuple[int, int, int] | None = None

    # -- what searchers and the indexer ask ---------------------------------------------------------

    def get(self, model: str, dim: int, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """The stored vectors of `model` and size `dim` for these text hashes (missing ones left out)."""
        wanted = list(dict.fromkeys(hashes))
        if not wanted or not self._reachable(create=False):
            return {}

        def read() -> dict[str, np.ndarray]:
            out: dict[str, np.ndarray] = {}
            for part in _chunks(wanted):
                q = GET.format(marks=",".join("?" * len(part)))
                for h, blob in self._connect().execute(q, [model, dim, *part]):
                    out[h] = np.frombuffer(blob, dtype=np.float32).copy()
            return out

        return self._safely("reading", {}, read)

    def put(self, model: str, dim: int, vectors: Mapping[str, np.ndarray]) -> bool:
        """Store vectors by text hash (one transaction, then the oldest past SIDE_CAP dropped); False
        when the file could not take them now (busy, damaged, read-only)."""
        if not vectors or not self._reachable(create=True):
            return False
        rows = [(model, h, dim, np.ascontiguousarray(v, dtype=np.float32).tobytes()) for h, v in vectors.items()]

        def write() -> bool:
            conn = self._connect()
            with _transaction(conn):
                conn.executemany(PUT, rows)
                conn.execute(PRUNE, (SIDE_CAP,))
            return True

        return self._safely("writing", False, write)

    def delete(self, model: str, hashes: Sequence[str], *, other_models: bool = False) -> None:
        """Forget these hashes of `model` (the indexer adopted them); with `other_models`, every entry
        of another model too: the index answers with its own model only, so they can never be adopted."""
        if not (hashes or other_models) or not self._reachable(create=False):
            return

        def drop() -> None:
            conn = self._connect()
            with _transaction(conn):
                for part in _chunks(list(hashes)):
                    conn.execute(DELETE.format(marks=",".join("?" * len(part))), [model, *part])
                if other_models:
                    conn.execute(DELETE_OTHER_MODELS, (model,))

        self._safely("deleting from", None, drop)

    def count(self) -> int:
        if not self._reachable(create=False):
            return 0
        return self._safely("counting", 0, lambda: int(self._connect().execute(COUNT).fetchone()[0]))

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                conn.close()
            except sqlite3.Error:
                pass

    # -- the connection, and the one place errors are turned into "nothing" ------------------------

    def _reachable(self, *, create: bool) -> bool:
        if self._gave_up_on is not None:
            if _identity(self.path) == self._gave_up_on:
                return False
            self._gave_up_on = None
        return self._conn is not None or create or self.path.exists()

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            busy = INDEXER_BUSY_S if self._writer else SEARCH_BUSY_S
            conn = sqlite3.connect(str(self.path), timeout=busy, isolation_level=None, check_same_thread=False)
            try:
                for pragma in PRAGMAS:
                    conn.execute(pragma)
                conn.execute(SCHEMA)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def _safely(self, what: str, default: T, call: Callable[[], T]) -> T:
        try:
            return call()
        except sqlite3.DatabaseError as exc:
            code = getattr(exc, "sqlite_errorcode", None)
            if code is not None and code & 0xFF in (_BUSY, _LOCKED):
                log.info("%s %s skipped: it is busy (%s)", what, self.path.name, exc)
                return default
            self._give_up(what, exc, damaged=is_corruption(exc))
            return default
        except OSError as exc:
            self._give_up(what, exc, damaged=False)
            return default

    def _give_up(self, what: str, exc: BaseException, *, damaged: bool) -> None:
        """Stop using the file; the indexer removes a damaged one, so the next run starts a new one."""
        self.close()
        self._gave_up_on = _identity(self.path)
        if damaged and self._writer:
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(f"{self.path}{suffix}")
                except OSError:
                    pass
            log.warning("%s %s failed (%s): it was damaged and is removed; it is only a cache", what, self.path, exc)
        else:
            log.warning("%s %s failed (%s): going on without it (it is only a cache)", what, self.path, exc)


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (the connection is in autocommit mode)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    return (items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK))


def _identity(path: Path) -> tuple[int, int, int]:
    """Which file is at `path` (a new file may reuse a removed one's inode, never its change time)."""
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1, -1)
    return (st.st_dev, st.st_ino, st.st_ctime_ns)

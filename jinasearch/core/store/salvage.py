"""Salvage a damaged index: copy every readable row into a fresh database and keep what is whole.

A damaged page costs the rows on it, not the index. SQLite's "Recovering Data From A Corrupt
Database" (the `.recover` command) reads pages outside the tree; that needs the sqlite3 shell,
which Windows lacks, so this walks each table by rowid instead, stepping past the part of the tree
that cannot be read. A document that lost its text or any passage is marked to be read again by the
next scan; what survived of it stays searchable until then, and its passages hand their vectors to
the new ones by text hash (documents.py), so nothing that survived is embedded twice.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import schema as sql
from .connection import readonly_uri

log = logging.getLogger(__name__)

_BATCH = 500
# The largest jump made while looking for the end of an unreadable stretch of rowids (2**62).
_MAX_SKIP_BITS = 62
_MAX_ROWID = 2**63 - 1


@dataclass(frozen=True)
class Salvaged:
    """What a salvage kept, and how long it took."""

    folders: int
    documents: int
    reread: int  # documents that lost their text or a passage: the next scan reads them again
    passages: int
    vectors: int
    lost_rows: int  # rowid stretches that could not be read, summed over tables (a lower bound)
    seconds: float

    def describe(self) -> str:
        return (
            f"{_n(self.folders, 'folder')}, {_n(self.documents, 'document')} and {_n(self.passages, 'passage')} "
            f"({self.vectors} with vectors)"
        )


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class NothingToSalvage(Exception):
    """Not even one folder could be read from the damaged database."""


def salvage(damaged: Path, target: Path) -> Salvaged:
    """Build a database at `target` (which must not exist) from the readable rows of `damaged`, which is
    only read. Raises NothingToSalvage when not a folder can be read from it; an error writing `target`
    (a full disk) is raised as it is."""
    from .db import Store

    started = time.monotonic()
    src = sqlite3.connect(readonly_uri(damaged), uri=True)
    store = Store(target, lock_held=True)  # a fresh database at the current schema
    try:
        conn = store.conn
        conn.execute("PRAGMA foreign_keys=OFF")  # rows arrive table by table; orphans are dropped below
        conn.execute("BEGIN")
        lost = _copy_all(src, conn)
        if _count(conn, "folders") == 0:
            raise NothingToSalvage(f"no folder could be read from {damaged.name}")
        reread = _keep_whole(conn, store.dim())
        conn.execute(sql.BUMP_VECTORS_VERSION)  # the FAISS cache is rebuilt from what was kept
        conn.execute("COMMIT")
        conn.execute("PRAGMA foreign_keys=ON")
        kept = Salvaged(
            folders=_count(conn, "folders"),
            documents=_count(conn, "documents"),
            reread=reread,
            passages=_count(conn, "passages"),
            vectors=int(conn.execute(sql.SALVAGE_COUNT_VECTORS).fetchone()[0]),
            lost_rows=lost,
            seconds=time.monotonic() - started,
        )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one file to move into place
    finally:
        store.close()
        src.close()
    log.info("salvaged %s in %.1f s (%d documents to read again)", kept.describe(), kept.seconds, kept.reread)
    return kept


def _copy_all(src: sqlite3.Connection, dst: sqlite3.Connection) -> int:
    """Every table's readable rows; returns how many rowids were stepped over unread."""
    lost = 0
    for table in _tables(dst):
        columns = _common_columns(src, dst, table)
        if columns:
            lost += _copy(src, dst, table, columns)
    try:  # AUTOINCREMENT's promise: no passage id is given out twice, even past the lost ones
        seq = src.execute(sql.SALVAGE_READ_SEQUENCE).fetchone()
    except sqlite3.DatabaseError:
        seq = None
    if seq is not None:
        for statement in sql.SALVAGE_KEEP_SEQUENCE:
            dst.execute(statement, {"seq": seq[0]})
    if "cjk" not in _columns(src, "passages"):
        dst.execute(sql.SALVAGE_FILL_CJK)  # from an index older than the CJK columns (schema 5)
    return lost


def _tables(conn: sqlite3.Connection) -> list[str]:
    """The ordinary tables of the current schema, parents first; FTS5 is refilled by the triggers."""
    names = [r[0] for r in conn.execute(sql.SALVAGE_TABLES)]
    order = {name: i for i, name in enumerate(sql.SALVAGE_ORDER)}
    return sorted(names, key=lambda n: order.get(n, len(order)))


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    try:
        return {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
    except sqlite3.DatabaseError:
        return set()


def _common_columns(src: sqlite3.Connection, dst: sqlite3.Connection, table: str) -> list[str]:
    """Columns both schemas have (an older damaged index lacks the newer ones: their defaults apply)."""
    have = _columns(src, table)
    return [r[1] for r in dst.execute(f'PRAGMA table_info("{table}")') if r[1] in have]


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection, table: str, columns: list[str]) -> int:
    """Insert the readable rows of `table`; returns how many rowids were stepped over unread."""
    names = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    reader = RowReader(src, table, names)
    for batch in reader.batches():
        try:
            dst.executemany(insert, batch)
        except sqlite3.IntegrityError:
            # A damaged cell can decode to a row no constraint allows: keep the others of its batch.
            for row in batch:
                try:
                    dst.execute(insert, row)
                except sqlite3.IntegrityError:
                    reader.lost += 1
    return reader.lost


class RowReader:
    """A table's rows in rowid order, in batches, past unreadable parts of its tree."""

    def __init__(self, conn: sqlite3.Connection, table: str, names: str) -> None:
        self.conn = conn
        self._query = f'SELECT rowid, {names} FROM "{table}" WHERE rowid >= ? ORDER BY rowid LIMIT ?'
        self.lost = 0

    def batches(self) -> Iterator[list[tuple[object, ...]]]:
        lo: int | None = -(2**63)
        while lo is not None:
            rows = self._read(lo, _BATCH)
            if rows is None:
                # Somewhere in the next batch a page cannot be read: go one row at a time to it.
                rows = self._read(lo, 1)
                if rows is None:
                    lo = self._past_damage(lo)
                    continue
            if not rows:
                return
            yield [r[1:] for r in rows]
            last = int(rows[-1][0])
            lo = last + 1 if last < _MAX_ROWID else None

    def _read(self, lo: int, n: int) -> list[tuple[object, ...]] | None:
        try:
            return self.conn.execute(self._query, (lo, n)).fetchall()
        except sqlite3.DatabaseError:
            return None

    def _past_damage(self, bad: int) -> int | None:
        """The smallest rowid start past `bad` from which the table reads again (None: it never does).

        Jumps grow by doubling until a read succeeds, then a binary search finds the edge, so a
        damaged leaf costs its own rows and a few dozen probes, however sparse the rowids."""
        for bits in range(_MAX_SKIP_BITS + 1):
            probe = bad + (1 << bits)
            if probe >= 2**63:
                return None
            if self._read(probe, 1) is not None:
                break
        else:
            return None
        good = probe
        while good - bad > 1:
            mid = (bad + good) // 2
            if self._read(mid, 1) is None:
                bad = mid
            else:
                good = mid
        self.lost += 1  # at least the row at the edge; how many more lay there is unknown
        return good


def _keep_whole(conn: sqlite3.Connection, dim: int | None) -> int:
    """Drop orphans (a document without its folder, a passage without its document) and vectors of
    the wrong size; mark documents that lost their text or a passage to be read again. Returns how
    many were marked."""
    for statement in sql.SALVAGE_DROP_ORPHANS:
        conn.execute(statement)
    if dim is not None:
        conn.execute(sql.SALVAGE_BAD_VECTORS, (dim * 4,))
    return conn.execute(sql.SALVAGE_MARK_BROKEN).rowcount


def _count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])

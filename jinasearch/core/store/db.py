"""The Store: one SQLite connection (through sqlite-utils), the source of truth for the whole index.

Its parts live beside it: `documents` (folders, documents, their text and passages), `passages`
(vectors in SQLite), `reads` (what searches and status views read); every SQL string is in `schema`.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import cjk
from ..config import LOCK_NAME
from ..errors import IndexFillingError, IndexOutdatedError
from ..lock import take_now
from . import recovery
from . import schema as sql
from .connection import connect_reader, connect_writer, file_signature
from .documents import Documents
from .labels import Labels
from .ocr import OcrPages
from .passages import Passages
from .reads import Reads

log = logging.getLogger(__name__)


class Store(Documents, Labels, OcrPages, Passages, Reads):
    """One connection. The indexer owns a writable Store; each searcher opens its own for reading."""

    def __init__(
        self, path: Path | str, *, readonly: bool = False, lock_held: bool = False, repair: bool = True
    ) -> None:
        """Open (creating if needed). `readonly`: a reader (search, status) that never writes — not a
        migration, not a pragma that writes, not a move — so it works on a read-only copy or a full
        disk. A writer that finds the database damaged salvages it (recovery.py; not when `repair` is
        off): `notice` then says what happened. `lock_held`: the caller holds the indexer lock."""
        self.path = Path(path)
        self.readonly = readonly
        self.notice: str | None = None
        self._opened: tuple[int, ...] | None = None  # a reader's view of the file it opened (`follow`)
        self._found_version = 0  # an outdated reader's: the schema version it found
        try:
            try:
                self._open()
            except IndexOutdatedError:
                # A reader may not migrate, but a writer opened for a moment may (the CLI's first
                # search after an upgrade), when no run holds the lock; else the error stands.
                if not self._upgraded():
                    raise
                self._open()
        except sqlite3.DatabaseError as exc:
            if not recovery.is_corruption(exc):
                raise
            if readonly or not repair:
                raise recovery.damaged_for_readers(self.path, exc) from exc
            self.notice = recovery.salvage_or_set_aside(self.path, str(exc), lock_held=lock_held)
            self._open()

    def _open(self) -> None:
        import sqlite_utils

        if self.readonly:
            conn, immutable = connect_reader(self.path)
            self._opened = file_signature(self.path, immutable=immutable)
        else:
            conn = connect_writer(self.path)
        try:
            # Reading the schema touches the header and the first page: garbage fails here, at open.
            conn.execute(sql.TOUCH_SCHEMA).fetchone()
            # Passage inserts and the CJK migration fill the bigram columns through it (core/cjk.py).
            conn.create_function("cjk_grams", 1, cjk.grams, deterministic=True)
            self.db = sqlite_utils.Database(conn)
            if not self.readonly:
                self._migrate()
            elif (found := self.schema_version) < len(sql.MIGRATIONS):
                self._found_version = found  # the connection closes below; _upgraded still needs it
                raise IndexOutdatedError(
                    f"the index in {self.path.parent} was made by an older jinasearch; "
                    "run 'jinasearch index' (or open the app) once to bring it up to date"
                )
        except BaseException:
            conn.close()
            raise

    def _upgraded(self) -> bool:
        try:
            lock = take_now(self.path.with_name(LOCK_NAME))
        except OSError:
            return False  # the directory is read-only
        try:
            if lock is None:
                raise self._filling()  # a run holds it and is creating or migrating the schema
            Store(self.path, lock_held=True, repair=False).close()
        except sqlite3.OperationalError as exc:
            if recovery.disk_error(exc, self.path.parent) is not None:
                return False  # read-only or full: the error stands
            raise self._filling() from exc  # busy: another process is writing the schema right now
        except OSError:
            return False
        finally:
            if lock is not None:
                lock.release()
        return True

    def _filling(self) -> IndexFillingError:
        return IndexFillingError(
            "indexing, nothing committed yet; try again in a moment"
            if self._found_version == 0
            else "an indexing run is bringing the index up to date; try again in a moment"
        )

    def follow(self) -> None:
        """A reader's: reopen when the file is no longer the one opened — a repair swapped a salvaged
        database in, or one opened `immutable` (connection.py) was written after all."""
        if self.readonly and self._opened is not None:
            immutable = len(self._opened) > 2
            if file_signature(self.path, immutable=immutable) != self._opened:
                self.close()
                self._open()

    def recover_if_damaged(self) -> str | None:
        """Run SQLite's quick_check (reads every page: once per indexing run, not per query); a damaged
        database is set aside and this Store reopened on a fresh one. Call with the indexer lock held."""
        problem = recovery.quick_check(self.conn)
        if problem is None:
            return None
        self.close()
        log.warning("quick_check of %s: %s", self.path, problem)  # the details; the notice says it plainly
        self.notice = recovery.salvage_or_set_aside(self.path, "its check found damaged pages", lock_held=True)
        self._open()
        return self.notice

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute(sql.SCHEMA_VERSION).fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        for i, script in enumerate(sql.MIGRATIONS[version:], start=version + 1):
            # executescript commits first; wrap each step so a crash mid-migration leaves the old schema.
            seed = sql.SEED_VECTORS_VERSION.format(now=time.time_ns() // 1000) if i == 1 else ""
            try:
                self.conn.executescript(f"BEGIN;\n{script}\n{seed}\nPRAGMA user_version = {i};\nCOMMIT;")
            except sqlite3.OperationalError:
                # Two processes opening a new database at once (the app and the CLI): the other one
                # migrated first and our step hit its tables. Start again from the version it left.
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if self.schema_version >= i:
                    self._migrate()
                    return
                raise

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one committed state (WAL): a query never mixes before and after a commit,
        e.g. a model switch's swap. Nested use joins the outer transaction."""
        if self.conn.in_transaction:
            yield
            return
        try:
            self.follow()
            self.conn.execute("BEGIN")
            try:
                yield
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")  # nothing was written: this only ends the snapshot
        except sqlite3.DatabaseError as exc:
            # A damaged page met mid-query: a reader says so (the writer repairs it), never a traceback.
            if self.readonly and recovery.is_corruption(exc):
                raise recovery.damaged_for_readers(self.path, exc) from exc
            raise

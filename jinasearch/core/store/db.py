"""The Store: one SQLite connection (through sqlite-utils), the source of truth for the whole index.

Its parts live beside it: `documents` (folders, documents, their text and passages), `passages`
(vectors in SQLite), `reads` (what searches and status views read); every SQL string is in `schema`.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import cjk
from . import recovery
from . import schema as sql
from .documents import Documents
from .passages import Passages
from .reads import Reads


class Store(Documents, Passages, Reads):
    """One connection. The indexer owns a writable Store; each searcher opens its own for reading."""

    def __init__(self, path: Path | str, *, readonly: bool = False, lock_held: bool = False) -> None:
        """Open (creating if needed). A damaged database is set aside and a fresh one started, never a
        crash loop: `notice` then says what happened. `lock_held`: the caller holds the indexer lock."""
        self.path = Path(path)
        self.readonly = readonly
        self.notice: str | None = None
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            if readonly or not recovery.is_corruption(exc):
                raise
            self.notice = recovery.set_aside(self.path, str(exc), lock_held=lock_held)
            self._open()

    def _open(self) -> None:
        import sqlite_utils

        if self.readonly:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None)
        else:
            conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        try:
            for pragma in sql.PRAGMAS:
                if self.readonly and "journal_mode" in pragma:
                    continue
                conn.execute(pragma)
            # Reading the schema touches the header and the first page: garbage fails here, at open.
            conn.execute(sql.TOUCH_SCHEMA).fetchone()
            # Passage inserts and the CJK migration fill the bigram columns through it (core/cjk.py).
            conn.create_function("cjk_grams", 1, cjk.grams, deterministic=True)
            self.db = sqlite_utils.Database(conn)
            if not self.readonly:
                self._migrate()
        except BaseException:
            conn.close()
            raise

    def recover_if_damaged(self) -> str | None:
        """Run SQLite's quick_check (reads every page: once per indexing run, not per query); a damaged
        database is set aside and this Store reopened on a fresh one. Call with the indexer lock held."""
        problem = recovery.quick_check(self.conn)
        if problem is None:
            return None
        self.close()
        self.notice = recovery.set_aside(self.path, problem, lock_held=True)
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
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")  # nothing was written: this only ends the snapshot

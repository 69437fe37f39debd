"""The connection every part of the Store shares, and its typed meta keys."""

from __future__ import annotations

import logging
import os
import sqlite3
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from . import schema as sql

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # imported by Store._open: not at app start (84 modules, 0.1 s before the window)
    import sqlite_utils


class Connected:
    """Base of the Store's parts: one sqlite-utils Database over one connection."""

    db: sqlite_utils.Database

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    # -- meta ------------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute(sql.GET_META, (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(sql.SET_META, (key, value))

    def delete_meta(self, key: str) -> None:
        self.conn.execute(sql.DELETE_META, (key,))

    def model(self) -> str | None:
        """The model_key the index's vectors come from (None: a new index)."""
        return self.get_meta(sql.META_MODEL)

    def server(self) -> tuple[str | None, str | None]:
        """Where a served model runs: the embedding server's URL and API ("" or None: asked of it)."""
        return self.get_meta(sql.META_SERVER), self.get_meta(sql.META_API) or None

    def dim(self) -> int | None:
        """The vectors' dimension (None until the first vector is about to be written)."""
        dim = self.get_meta(sql.META_DIM)
        return int(dim) if dim else None

    def set_model(self, name: str) -> None:
        self.set_meta(sql.META_MODEL, name)

    def recipe(self) -> str:
        """How the vectors were made (core/embed/late.py: Recipe.key); an index from before: naive."""
        return self.get_meta(sql.META_RECIPE) or "naive"

    def set_recipe(self, key: str) -> None:
        self.set_meta(sql.META_RECIPE, key)

    def set_dim(self, dim: int) -> None:
        self.set_meta(sql.META_DIM, str(dim))

    def vectors_version(self) -> int:
        return int(self.get_meta(sql.META_VECTORS_VERSION) or 0)

    def bump_vectors_version(self) -> None:
        self.conn.execute(sql.BUMP_VECTORS_VERSION)


def readonly_uri(path: Path, *, immutable: bool = False) -> str:
    """A `file:` URI that opens `path` read-only (SQLite's "URI filenames" section). On POSIX the name's
    bytes are percent-encoded as they are, so a directory whose name is not UTF-8 opens too."""
    if os.name == "nt":
        base = "file:" + urllib.request.pathname2url(str(path.absolute()))
    else:
        base = "file:" + urllib.parse.quote(os.fsencode(path.absolute()))
    return base + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


def connect_writer(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        for pragma in sql.PRAGMAS:
            conn.execute(pragma)
    except BaseException:
        conn.close()
        raise
    return conn


def connect_reader(path: Path) -> tuple[sqlite3.Connection, bool]:
    """A read-only connection, and whether it is `immutable`. Only the pragmas that write nothing.
    Reading a WAL database needs its `-shm` file, which SQLite cannot create in a read-only or full
    directory once the last connection removed it; the file is then opened `immutable` (no locks, no
    -shm), and `file_signature` tells the Store when that promise broke and it must reopen."""
    from . import recovery

    for immutable in (False, True):
        conn = sqlite3.connect(
            readonly_uri(path, immutable=immutable), uri=True, check_same_thread=False, isolation_level=None
        )
        try:
            for pragma in sql.READ_PRAGMAS:
                conn.execute(pragma)
            conn.execute(sql.TOUCH_SCHEMA).fetchone()
            return conn, immutable
        except sqlite3.OperationalError as exc:
            conn.close()
            if immutable or recovery.is_corruption(exc) or not recovery.cannot_share(exc):
                raise
            wal = path.with_name(path.name + "-wal")
            if wal.exists() and wal.stat().st_size > 0:
                log.warning(
                    "%s is read without its -wal file (no -shm can be made): its last commits are missing", path
                )
    raise AssertionError("unreachable")


def file_signature(path: Path, *, immutable: bool) -> tuple[int, ...]:
    """Which file a reader has open: (device, inode), and for an immutable one also its size, mtime and
    whether a -shm exists now (a writer came)."""
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1)
    if not immutable:
        return (st.st_dev, st.st_ino)
    shm = os.path.exists(f"{path}-shm")
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, int(shm))

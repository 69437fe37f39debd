"""The connection every part of the Store shares, and its typed meta keys."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from . import schema as sql

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

    def dim(self) -> int | None:
        """The vectors' dimension (None until the first vector is about to be written)."""
        dim = self.get_meta(sql.META_DIM)
        return int(dim) if dim else None

    def set_model(self, name: str) -> None:
        self.set_meta(sql.META_MODEL, name)

    def set_dim(self, dim: int) -> None:
        self.set_meta(sql.META_DIM, str(dim))

    def vectors_version(self) -> int:
        return int(self.get_meta(sql.META_VECTORS_VERSION) or 0)

    def bump_vectors_version(self) -> None:
        self.conn.execute(sql.BUMP_VECTORS_VERSION)

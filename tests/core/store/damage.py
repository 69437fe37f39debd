"""Damage a database on purpose: find a table's pages and overwrite them with noise."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

PAGE = 4096


def pages_of(db: Path, table: str) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,))]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find a table's pages")
    finally:
        conn.close()


def scribble(db: Path, pages: list[int], seed: int = 1) -> None:
    """Overwrite whole pages with noise (page numbers count from 1)."""
    rng = random.Random(seed)
    with open(db, "r+b") as f:
        for page in pages:
            f.seek((page - 1) * PAGE)
            f.write(bytes(rng.getrandbits(8) for _ in range(PAGE)))

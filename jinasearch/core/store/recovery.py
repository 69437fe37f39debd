"""Damage control for the data directory: tell corruption from busy or full, set a bad database aside."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import time
from pathlib import Path

from ..config import FAISS_NAME, LOCK_NAME
from ..errors import CorruptIndexError, DataDirError
from . import schema as sql

log = logging.getLogger(__name__)

SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 8, 10, 11, 13, 14, 26
_CORRUPT_WORDS = ("malformed", "not a database", "corrupt")


def is_corruption(exc: BaseException) -> bool:
    """Whether SQLite says the file itself is damaged (not merely locked, full or read-only)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)
    return any(w in str(exc).lower() for w in _CORRUPT_WORDS)


def disk_error(exc: BaseException, data_dir: Path) -> DataDirError | None:
    """A person-readable error for a full or read-only data directory; None for anything else."""
    code = getattr(exc, "sqlite_errorcode", None)
    code = code & 0xFF if code is not None else None
    if isinstance(exc, OSError):
        err = exc.errno
    elif isinstance(exc, sqlite3.DatabaseError):
        msg = str(exc).lower()
        err = (
            errno.ENOSPC
            if code == SQLITE_FULL or "disk is full" in msg
            else errno.EROFS
            if code == SQLITE_READONLY or "readonly" in msg
            else errno.EIO
            if code in (SQLITE_IOERR, SQLITE_CANTOPEN) or "disk i/o" in msg
            else None
        )
    else:
        return None
    kept = "everything indexed before this point is kept"
    if err in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return DataDirError(f"out of disk space in {data_dir}; {kept}. Free some space and index again to continue.")
    if err in (errno.EROFS, errno.EACCES, errno.EPERM):
        return DataDirError(
            f"the data directory {data_dir} is read-only; {kept}. Make it writable or choose "
            "another with --data-dir, then index again."
        )
    if err == errno.EIO:
        return DataDirError(f"cannot write to {data_dir} ({exc}); {kept}. Check the disk and index again.")
    return None


def set_aside(db_path: Path, reason: str, *, lock_held: bool) -> str:
    """Move a damaged database (with its WAL and the FAISS cache built from it) out of the way.

    Returns the notice to show the person. Refuses while another process holds the indexer lock:
    moving a database from under a live writer would only spread the damage.
    """
    from filelock import FileLock, Timeout

    lock = None
    if not lock_held:
        lock = FileLock(str(db_path.with_name(LOCK_NAME)))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise CorruptIndexError(
                f"the index database {db_path} is damaged ({reason}) and another jinasearch process is using it; "
                "close it and start again to rebuild the index"
            ) from None
    try:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = db_path.with_name(f"{db_path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = db_path.with_name(f"{db_path.name}.corrupt-{stamp}-{n}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(f"{db_path}{suffix}")
            if src.exists():
                os.replace(src, f"{aside}{suffix}")
        # The vector cache refers to passage ids of the damaged database: it must not meet the new one.
        faiss = db_path.with_name(FAISS_NAME)
        if faiss.exists():
            os.replace(faiss, f"{faiss}.corrupt-{stamp}")
    finally:
        if lock is not None:
            lock.release()
    notice = (
        f"the index database was damaged ({reason}); it was moved to {aside.name} and a fresh index "
        "was started. Index your folders again to rebuild it."
    )
    log.warning("%s", notice)
    return notice


def quick_check(conn: sqlite3.Connection) -> str | None:
    """None when SQLite's quick_check passes, else its first complaint."""
    try:
        rows = conn.execute(sql.QUICK_CHECK).fetchall()
    except sqlite3.DatabaseError as exc:
        if not is_corruption(exc):
            raise
        return str(exc)
    first = rows[0][0] if rows else "no answer"
    return None if first == "ok" else "; ".join(r[0] for r in rows)

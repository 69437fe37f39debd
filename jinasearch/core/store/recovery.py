"""Damage control for the data directory: tell corruption from busy or full, set a bad database aside."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import DB_NAME, FAISS_NAME, LOCK_NAME
from ..errors import CorruptIndexError, DataDirError
from ..lock import take_now
from . import schema as sql

log = logging.getLogger(__name__)

SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 8, 10, 11, 13, 14, 26
_CORRUPT_WORDS = ("malformed", "not a database", "corrupt")
# The names damaged files are set aside under: `index.sqlite3.corrupt-<time>`, `vectors.faiss.damaged-<time>`.
DAMAGED_MARK = ".corrupt-"
FAISS_DAMAGED_MARK = ".damaged-"
SALVAGE_SUFFIX = ".salvage"  # the database being rebuilt beside the damaged one
# Less free space than this where a write failed with an I/O error: the disk is full.
NEARLY_FULL_BYTES = 4 << 20


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
    if err == errno.EIO and _nearly_full(data_dir):
        # A full disk surfaces as SQLITE_IOERR where SQLite cannot grow the WAL or its -shm (not
        # SQLITE_FULL): the free space says which it was.
        err = errno.ENOSPC
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


def cannot_share(exc: sqlite3.OperationalError) -> bool:
    """Whether a read-only open failed only for want of a writable place for WAL's shared memory."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_FULL)
    msg = str(exc).lower()
    return any(w in msg for w in ("unable to open", "readonly", "disk i/o", "disk is full"))


def damaged_for_readers(db_path: Path, exc: BaseException) -> CorruptIndexError:
    """What a reader says of a damaged database: it never repairs or moves it, the writer does."""
    return CorruptIndexError(
        f"the index database {db_path} is damaged ({exc}); run 'jinasearch index' (or open the app) "
        "to repair it — what can be read is kept"
    )


def salvage_or_set_aside(db_path: Path, reason: str, *, lock_held: bool) -> str:
    """Rebuild a damaged database from its readable rows (salvage.py) into a file beside it, then move
    the damaged one aside and the new one into place; only when nothing can be read does a fresh index
    start. Returns the notice to show the person. Stopped midway (a kill, a full disk), nothing has
    moved: the next run salvages again.

    Refuses while another process holds the indexer lock: moving a database from under a live
    writer would only spread the damage."""
    from .salvage import NothingToSalvage, salvage

    target = db_path.with_name(db_path.name + SALVAGE_SUFFIX)
    with _writer_lock(db_path, reason, held=lock_held):
        _remove_database(target)  # what an interrupted salvage left
        try:
            kept = salvage(db_path, target)
        except NothingToSalvage as exc:
            log.warning("nothing could be salvaged from %s: %s", db_path, exc)
            kept = None
        except BaseException:
            _remove_database(target)  # a full disk, a Ctrl-C: the damaged database waits for the next run
            raise
        aside = _move_aside(db_path)
        if kept is None:
            _remove_database(target)
        else:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(f"{target}{suffix}"):
                    os.replace(f"{target}{suffix}", f"{db_path}{suffix}")
    if kept is None:
        notice = (
            f"the index database was damaged ({reason}) and nothing in it could be read; it was moved to "
            f"{aside.name} and a fresh index was started. Index your folders again to rebuild it."
        )
    else:
        notice = (
            f"the index database was damaged ({reason}); {kept.describe()} were kept, and the "
            f"{kept.reread} that lost a part are read again now. The damaged copy is {aside.name}, "
            "removed after the next complete run."
        )
    log.warning("%s", notice)
    return notice


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _nearly_full(data_dir: Path) -> bool:
    try:
        return shutil.disk_usage(data_dir).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def set_aside(db_path: Path, reason: str, *, lock_held: bool) -> str:
    """Move a damaged database aside and start a fresh one (salvage_or_set_aside tries first to keep it)."""
    with _writer_lock(db_path, reason, held=lock_held):
        aside = _move_aside(db_path)
    notice = (
        f"the index database was damaged ({reason}); it was moved to {aside.name} and a fresh index "
        "was started. Index your folders again to rebuild it."
    )
    log.warning("%s", notice)
    return notice


@contextmanager
def _writer_lock(db_path: Path, reason: str, *, held: bool) -> Iterator[None]:
    if held:
        yield
        return
    lock = take_now(db_path.with_name(LOCK_NAME))
    if lock is None:
        raise CorruptIndexError(
            f"the index database {db_path} is damaged ({reason}) and another jinasearch process is using it; "
            "close it and start again to repair the index"
        )
    try:
        yield
    finally:
        lock.release()


def _move_aside(db_path: Path) -> Path:
    """The database, its WAL and the FAISS cache built from it, renamed `*.corrupt-<time>`."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}{DAMAGED_MARK}{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = db_path.with_name(f"{db_path.name}{DAMAGED_MARK}{stamp}-{n}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{db_path}{suffix}")
        if src.exists():
            os.replace(src, f"{aside}{suffix}")
            # Set aside now (explicit times: the kernel's file clock is coarser than time.time()).
            os.utime(f"{aside}{suffix}", (time.time(), time.time()))
    # The vector cache refers to passage ids of the damaged database: it is rebuilt from the salvage.
    faiss = db_path.with_name(FAISS_NAME)
    if faiss.exists():
        os.replace(faiss, f"{faiss}{DAMAGED_MARK}{stamp}")
        os.utime(f"{faiss}{DAMAGED_MARK}{stamp}", (time.time(), time.time()))
    return aside


def leftovers(data_dir: Path) -> list[Path]:
    """Damaged copies set aside by earlier runs (databases, without their -wal and -shm, and FAISS
    files), oldest first. Only names this module gives: a data directory may hold other files."""
    marks = (f"{DB_NAME}{DAMAGED_MARK}", f"{FAISS_NAME}{DAMAGED_MARK}", f"{FAISS_NAME}{FAISS_DAMAGED_MARK}")
    found = []
    for p in data_dir.glob("*"):
        try:
            if p.name.startswith(marks) and not p.name.endswith(("-wal", "-shm")):
                found.append((p.stat().st_mtime, p))
        except OSError:
            continue  # removed meanwhile
    return [p for _, p in sorted(found)]


def remove_leftovers(data_dir: Path, *, before: float) -> int:
    """After a complete run: delete damaged copies set aside before it began; returns how many."""
    n = 0
    for p in leftovers(data_dir):
        try:
            if p.stat().st_mtime < before:
                _remove_database(p)  # with its -wal and -shm
                n += 1
        except OSError as exc:
            log.warning("could not remove the damaged copy %s: %s", p, exc)
    return n


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

"""The writer's session around a run: the one-writer lock, a damage check, and disk errors a person can read."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import Settings, ensure_data_dir
from ..errors import IndexBusyError
from ..lock import GRACE_S
from ..store import Store
from ..store.recovery import disk_error, remove_leftovers
from ..store.vectors import cleanup_temp_files

# Database path -> signature of its files when this process last finished a checked run on it.
_CHECKED: dict[str, tuple[tuple[int, int, int] | None, ...]] = {}


def _db_signature(path: Path) -> tuple[tuple[int, int, int] | None, ...]:
    """(inode, size, mtime in ns) of the database and its WAL: any outside write changes it."""
    sig: list[tuple[int, int, int] | None] = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            st = p.stat()
            sig.append((st.st_ino, st.st_size, st.st_mtime_ns))
        except OSError:
            sig.append(None)
    return tuple(sig)


class Session:
    """What a run holds while it writes: the Store, and what opening it had to say."""

    def __init__(self, store: Store, notice: str | None, started: float) -> None:
        self.store = store
        self.notice = notice
        self.clean = False  # set by the run when it ends normally: the database is then known sound
        # Set when the run read and embedded everything: damaged copies set aside before it began
        # (recovery.leftovers) have then been rebuilt from the files, and are removed.
        self.complete = False
        self.started = started  # before the Store opened: what opening it set aside is this run's


@contextmanager
def writing(settings: Settings) -> Iterator[Session]:
    """Hold the data directory's writer lock and a writable Store for the length of a run.

    quick_check reads every page, so it is skipped when the files are exactly as this process's
    last checked run left them (the app re-indexes on every watched change; nobody else writes
    them). A full or read-only disk becomes a DataDirError: SQLite rolled back the open transaction,
    so the last commit stands."""
    from filelock import FileLock, Timeout

    data_dir = ensure_data_dir(settings.data_dir)
    lock = FileLock(str(settings.lock_path))
    try:
        lock.acquire(timeout=GRACE_S)
    except Timeout:
        raise IndexBusyError(f"another jinasearch process is indexing into {data_dir}; wait for it to finish") from None
    db_path = settings.db_path
    started = time.time()
    store: Store | None = None
    session: Session | None = None
    try:
        unchanged = _CHECKED.get(str(db_path)) == _db_signature(db_path)
        store = Store(db_path, lock_held=True)
        notice = (None if unchanged else store.recover_if_damaged()) or store.notice
        cleanup_temp_files(data_dir, settings.faiss_path.name)
        session = Session(store, notice, started)
        yield session
    except (sqlite3.Error, OSError) as exc:
        err = disk_error(exc, data_dir)
        if err is None:
            raise
        raise err from exc
    finally:
        if store is not None:
            store.close()
        if session is not None and session.clean:
            _CHECKED[str(db_path)] = _db_signature(db_path)
            if session.complete:
                remove_leftovers(data_dir, before=session.started)
        else:
            _CHECKED.pop(str(db_path), None)
        lock.release()

"""The data directory's one-writer lock: a run holds it from start to end; a reader may ask whether one does."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import IndexEmptyError, IndexFillingError

if TYPE_CHECKING:
    from filelock import FileLock

# How long a writer waits for the lock before calling the index busy. A reader's probe (`held`) takes
# the lock for a few microseconds; without this wait a run starting in that instant would be turned away.
GRACE_S = 0.25


def held(lock_path: Path) -> bool:
    """Whether an indexing run (in this process or another) holds the writer lock now.

    File locks cannot be tested without taking them, so this takes it and lets go at once; writers
    wait GRACE_S for it, so the probe never costs a run its start."""
    if not lock_path.exists():
        return False  # no run ever started here (a run creates the file and leaves it)
    try:
        lock = take_now(lock_path)
    except OSError:
        return False  # a data directory we may not write: no run of ours can be writing it either
    if lock is None:
        return True
    lock.release()
    return False


def take_now(lock_path: Path) -> FileLock | None:
    """The writer lock, taken without waiting (release it when done); None when a run holds it. An
    OSError (a read-only directory) is the caller's to judge."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return None
    return lock


def empty_or_filling(lock_path: Path, message: str) -> IndexEmptyError:
    """Nothing to search: an IndexFillingError while a run holds the writer lock (its first commit is
    moments away), else IndexEmptyError(message)."""
    if held(lock_path):
        return IndexFillingError("indexing, nothing committed yet; try again in a moment")
    return IndexEmptyError(message)

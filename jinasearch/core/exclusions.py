"""The person's exclusion globs: what makes one unusable, whether one leaves a file out, and the holder
a front end changes while a run goes on (the run reads it at every file)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable

from .scan import is_excluded


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` would not do what it seems to (None when it is fine). A glob is matched against
    each name and each whole path the scan meets (core/scan.py: is_excluded), so one with a '/' inside
    must match a whole absolute path, and a trailing '/' matches nothing."""
    p = pattern.strip()
    if not p:
        return None
    if p.strip("*") == "" or p in ("*.*", os.sep + "*"):
        return f"'{p}' would exclude every file"
    if p.endswith(("/", os.sep)) and len(p) > 1:
        return f"'{p}' matches nothing: leave out the trailing '/' (e.g. {p.rstrip('/' + os.sep)})"
    if ("/" in p or os.sep in p) and not p.startswith(("*", "/", os.sep, "~")) and not _drive(p):
        return f"'{p}' matches nothing: a pattern with '/' is matched against the whole path; write */{p}"
    if p.count("[") != p.count("]"):
        return f"'{p}' has an unclosed '[': it would match only the literal characters"
    return None


def _drive(p: str) -> bool:
    return len(p) > 2 and p[1] == ":" and p[0].isalpha()  # C:\...


def excluded_below(path: str, root: str, patterns: Iterable[str]) -> bool:
    """Whether a scan of `root` with `patterns` would leave `path` (a file under it) out: a glob that
    matches the name or the whole path of the file or of a folder between `root` and it."""
    pats = tuple(patterns)
    if not pats:
        return False
    rel = os.path.relpath(path, root)
    if rel.startswith(os.pardir):
        return False
    here = root
    for name in rel.split(os.sep):
        here = os.path.join(here, name)
        if is_excluded(here, name, pats):
            return True
    return False


class LiveExcludes:
    """The exclusion globs as changed during a run: None until a front end sets them (the run then keeps
    the ones it was started with). Set from the front end's thread, read by the job's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._patterns: tuple[str, ...] | None = None

    def set(self, patterns: Iterable[str]) -> None:
        with self._lock:
            self._patterns = tuple(patterns)

    def clear(self) -> None:
        with self._lock:
            self._patterns = None

    def current(self) -> tuple[str, ...] | None:
        with self._lock:
            return self._patterns

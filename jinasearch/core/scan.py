"""Walk folders for indexable files: built-in and user exclusions, never loop, never open special files."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .config import EXCLUDED_FOLDER_NAMES, PYTHON_ENV_MARKERS
from .models import FileInfo
from .run_records import ExcludeRule, Skipped

OnError = Callable[[str, str], None]
OnSkip = Callable[[Skipped], None]

# A name that is not valid UTF-8 reaches Python as lone surrogates U+DC80..U+DCFF (PEP 383), which
# SQLite TEXT cannot hold. Records carry such paths with each surrogate moved to plane-16 private
# use (U+10FF80..U+10FFFF, which real names do not use); fs_path() maps back before any open().
_LOW, _HIGH, _SHIFT = 0xDC80, 0xDD00, 0x10FF80 - 0xDC80
_TO_RECORD = {c: c + _SHIFT for c in range(_LOW, _HIGH)}
_TO_FS = {c + _SHIFT: c for c in range(_LOW, _HIGH)}


def record_path(path: str) -> str:
    """The path as records and the database hold it: valid Unicode even for non-UTF-8 names."""
    return path.translate(_TO_RECORD)


def fs_path(path: str) -> str:
    """The path to open: undoes record_path (the identity for ordinary names)."""
    return path.translate(_TO_FS)


def _unsupported_name(path: str) -> bool:
    return any(ord(c) >= _LOW + _SHIFT for c in path)


def is_excluded(path: str, name: str, patterns: Iterable[str]) -> bool:
    """A glob matches either the bare name (`*.log`, `build`) or the whole path (`*/drafts/*`)."""
    return any(fnmatch.fnmatch(name, pat) or fnmatch.fnmatch(path, pat) for pat in patterns)


def scan(
    roots: Iterable[str | Path],
    *,
    excludes: Iterable[str] = (),
    accept: Callable[[str], bool] | None = None,
    on_error: OnError | None = None,
    default_excludes: bool = True,
    on_skip: OnSkip | None = None,
) -> Iterator[FileInfo]:
    """Yield regular files under `roots` (a root may itself be a file).

    The user's `excludes` globs are skipped in silence; unless `default_excludes` is False, so is what
    the built-in rules match (config.DEFAULT_EXCLUDE_RULES), each skip told to `on_skip`. Symlinks are
    followed, but every directory is entered at most once (keyed by device and inode), so a symlink
    loop ends instead of recursing. FIFOs, sockets and devices are never yielded: opening a FIFO would
    block the indexer forever.
    """
    walker = _Walker(tuple(excludes), accept, on_error, on_skip, rules=default_excludes)
    stack: list[tuple[str, bool]] = []
    for root in roots:
        root_s = os.path.abspath(os.fspath(root))
        try:
            st = os.stat(root_s)
        except OSError as exc:
            walker.report(root_s, f"cannot read: {exc.strerror or exc}")
            continue
        if stat.S_ISREG(st.st_mode):
            info = walker.file(root_s, st)
            if info is not None:
                yield info
        elif stat.S_ISDIR(st.st_mode):
            stack.append((root_s, True))
    while stack:
        folder, is_root = stack.pop()
        subdirs: list[str] = []
        yield from walker.folder(folder, subdirs, is_root=is_root)
        # Reverse so the stack pops folders in name order: a stable, readable walk.
        stack.extend((d, False) for d in reversed(subdirs))


class _Walker:
    """The state of one scan: what was seen (by device and inode), the patterns, where errors go."""

    def __init__(
        self,
        patterns: tuple[str, ...],
        accept: Callable[[str], bool] | None,
        on_error: OnError | None,
        on_skip: OnSkip | None = None,
        *,
        rules: bool = True,
    ) -> None:
        self.patterns, self.accept, self.on_error, self.on_skip = patterns, accept, on_error, on_skip
        self.rules = rules  # whether the built-in rules apply
        self.seen_dirs: set[tuple[int, int]] = set()
        self.seen_files: set[tuple[int, int]] = set()

    def report(self, path: str, reason: str) -> None:
        if self.on_error is not None:
            self.on_error(record_path(path), reason)

    def skip(self, path: str, rule: ExcludeRule) -> None:
        if self.on_skip is not None:
            self.on_skip(Skipped(record_path(path), rule))

    def file(self, path: str, st: os.stat_result) -> FileInfo | None:
        key = (st.st_dev, st.st_ino)
        if key in self.seen_files:
            return None
        self.seen_files.add(key)
        if self.accept is not None and not self.accept(path):
            return None
        if _unsupported_name(path):
            self.report(path, "unsupported file name (private-use characters U+10FF80..U+10FFFF)")
            return None
        if st.st_size == 0:
            self.skip(path, "empty")  # listed, not failed: a folder with an empty file has no errors
            return None
        return FileInfo(path=record_path(path), size=st.st_size, mtime=st.st_mtime)

    def folder(self, folder: str, subdirs: list[str], *, is_root: bool = False) -> Iterator[FileInfo]:
        """The files directly in `folder`; its subfolders are appended to `subdirs`."""
        try:
            st = os.stat(folder)
        except OSError as exc:
            self.report(folder, f"cannot read folder: {exc.strerror or exc}")
            return
        key = (st.st_dev, st.st_ino)
        if key in self.seen_dirs:
            return
        self.seen_dirs.add(key)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.report(folder, f"cannot read folder: {exc.strerror or exc}")
            return
        # A Python environment is known by what it holds, which only its own listing shows; a root is
        # indexed whatever it is, since the person chose it.
        if self.rules and not is_root and any(e.name in PYTHON_ENV_MARKERS for e in entries):
            self.skip(folder, "python-env")
            return
        for entry in entries:
            yield from self._entry(entry, subdirs)

    def _entry(self, entry: os.DirEntry[str], subdirs: list[str]) -> Iterator[FileInfo]:
        name = entry.name
        if is_excluded(entry.path, name, self.patterns):
            return
        if self.rules and name.startswith("."):
            self._skip_hidden(entry)
            return
        try:
            st = entry.stat(follow_symlinks=True)
        except OSError as exc:
            # A dangling symlink or a file that vanished since listing: nothing to index.
            if not entry.is_symlink():
                self.report(entry.path, f"cannot read: {exc.strerror or exc}")
            return
        if stat.S_ISDIR(st.st_mode):
            rule = EXCLUDED_FOLDER_NAMES.get(name) if self.rules else None
            if rule is not None:
                self.skip(entry.path, rule)
            else:
                subdirs.append(entry.path)
        elif stat.S_ISREG(st.st_mode):
            info = self.file(entry.path, st)
            if info is not None:
                yield info
        # Anything else (FIFO, socket, device) is skipped silently: it is not a document.

    def _skip_hidden(self, entry: os.DirEntry[str]) -> None:
        """Record a hidden folder, or a hidden file that would have been read (a `.DS_Store` would not:
        listing it would bury the skips that matter)."""
        try:
            is_dir = entry.is_dir()
        except OSError:
            return
        if is_dir or self.accept is None or self.accept(entry.path):
            self.skip(entry.path, "hidden")

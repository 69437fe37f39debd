"""Run extraction over many files, yielding results as they are ready.

The runner is where isolation lives: `InlineRunner` extracts in this process (tests, tiny jobs);
other runners can extract in worker processes with time and memory limits. Both hash each file,
so the indexer can tell "touched but unchanged" from "changed".
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path
from typing import Protocol

from ..errors import ExtractionError
from ..models import Extracted, FileInfo
from . import extract


@dataclass(frozen=True)
class Result:
    """One file's outcome: text, or a reason it failed; `content_hash` is None when unreadable."""

    file: FileInfo
    content_hash: str | None
    extracted: Extracted | None = None
    error: str | None = None


class Runner(Protocol):
    def run(self, files: Iterable[FileInfo], known_hashes: dict[str, str | None]) -> Iterator[Result]: ...

    def close(self) -> None: ...


def file_hash(path: str | Path) -> str:
    h = blake2b(digest_size=16)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def extract_one(info: FileInfo, known_hash: str | None) -> Result:
    """Hash, then extract unless the hash shows the content is what we already have.

    The file is stat'ed again after extraction: if it changed meanwhile, the text may be a mix
    of old and new, so the result is discarded as 'changed while reading' (the next run retries).
    """
    try:
        digest = file_hash(info.path)
    except OSError as exc:
        return Result(info, None, error=_os_reason(exc))
    if known_hash is not None and digest == known_hash:
        return Result(info, digest)
    try:
        extracted = extract(info.path)
    except ExtractionError as exc:
        return Result(info, digest, error=exc.reason)
    try:
        st = os.stat(info.path)
        if st.st_size != info.size or st.st_mtime != info.mtime:
            return Result(info, None, error="changed while being read; will retry")
    except OSError:
        return Result(info, None, error="file disappeared while being read")
    return Result(info, digest, extracted=extracted)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "file disappeared before it could be read"
    return f"cannot read: {exc.strerror or exc}"


class InlineRunner:
    """Extract in the calling process, one file at a time."""

    def run(self, files: Iterable[FileInfo], known_hashes: dict[str, str | None]) -> Iterator[Result]:
        for info in files:
            yield extract_one(info, known_hashes.get(info.path))

    def close(self) -> None:
        pass

"""The counts of one run, kept in one place, and the records made from them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

from ..run_records import IndexSummary, Phase, Progress, Task

# What committing one file's result came to.
Committed = Literal["indexed", "failed", "unchanged"]


@dataclass
class Tally:
    """Counts of a run. `skipped`: unchanged at the scan (size and mtime); `same`: read again because
    its mtime moved, but its bytes hashed the same."""

    started: float = field(default_factory=time.monotonic)
    scanned: int = 0
    skipped: int = 0
    removed: int = 0
    excluded: int = 0  # folders and files the built-in rules left out
    to_read: int = 0
    excluded_now: int = 0  # of those, left out by exclusions changed while the run went on
    indexed: int = 0
    failed: int = 0
    same: int = 0
    added: int = 0
    embedded: int = 0
    ocr_read: int = 0  # files the OCR pass read (indexing/ocr.py)
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.indexed + self.failed + self.same

    def count(self, path: str, committed: Committed, passages: int, error: str | None) -> None:
        if committed == "failed":
            self.failed += 1
            self.errors.append((path, error or "unknown error"))
        elif committed == "indexed":
            self.indexed += 1
            self.added += passages
        else:
            self.same += 1

    def progress(self, phase: Phase, *, task: Task = "index", **extra: object) -> Progress:
        """A Progress with this run's file counts (extra fields as given)."""
        fields: dict[str, object] = {
            "files_total": self.to_read - self.excluded_now,
            "files_done": self.read,
            "failed": self.failed,
            "skipped_unchanged": self.skipped,
            "removed": self.removed,
        }
        fields.update(extra)
        return Progress(phase=phase, task=task, **fields)  # type: ignore[arg-type]

    def embedding(self, task: Task, total: int, done: int, per_s: float, eta_s: float | None) -> Progress:
        """A Progress of the embedding phase, every file scanned counted as done."""
        return Progress(
            phase="embed",
            task=task,
            passages_total=total,
            passages_done=done,
            passages_per_s=per_s,
            eta_s=eta_s,
            files_total=self.scanned,
            files_done=self.scanned,
            failed=self.failed,
        )

    def summary(self) -> IndexSummary:
        return IndexSummary(
            scanned=self.scanned,
            unchanged=self.skipped + self.same,
            indexed=self.indexed,
            failed=self.failed,
            removed=self.removed,
            excluded=self.excluded,
            passages_added=self.added,
            passages_embedded=self.embedded,
            seconds=time.monotonic() - self.started,
            errors=tuple(self.errors),
            ocr_read=self.ocr_read,
        )

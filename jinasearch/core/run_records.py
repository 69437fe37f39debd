"""Frozen records of an indexing run and of what the index holds: progress, outcomes, folders, failed and left-out files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# -- indexing ---------------------------------------------------------------------------------------

Phase = Literal["scan", "extract", "embed", "save", "done"]
# What a run's phase works for: its own files, a model switch (stage the new model's vectors, then
# swap them in), a re-cut to a new passage size, reading unchanged files again for a newer extraction,
# or reading scanned pages by OCR once every text layer is in (core/indexing/ocr.py).
Task = Literal["index", "reembed", "swap", "recut", "refresh", "ocr"]


@dataclass(frozen=True)
class IndexSummary:
    """What a finished run did, for the CLI's closing line and the tests."""

    scanned: int = 0
    unchanged: int = 0
    indexed: int = 0
    failed: int = 0
    removed: int = 0
    excluded: int = 0  # folders and files the built-in rules left out (listed by `status`)
    passages_added: int = 0
    passages_embedded: int = 0
    seconds: float = 0.0
    errors: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    ocr_read: int = 0  # files whose scanned pages OCR read (after the text layers)


RunState = Literal["done", "cancelled", "keyword-only"]


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended, carried by its last Progress (phase "done")."""

    state: RunState
    summary: IndexSummary
    # Why the run indexed for keyword search only: the model could not be had.
    keyword_only: Exception | None = None
    # A damaged database was set aside at the start of the run: what to tell the person.
    notice: str | None = None
    # How long a model switch's swap transaction took (None: no swap this run).
    swap_seconds: float | None = None


@dataclass(frozen=True)
class Progress:
    """A snapshot of an indexing run, yielded often so a view can show it and a user can cancel."""

    phase: Phase
    task: Task = "index"
    files_total: int = 0
    files_done: int = 0
    passages_total: int = 0
    passages_done: int = 0
    current: str = ""
    passages_per_s: float = 0.0
    eta_s: float | None = None
    failed: int = 0
    skipped_unchanged: int = 0
    removed: int = 0
    # The run's ending; set on the last Progress only.
    outcome: RunOutcome | None = None


# -- what the index holds, for status views ------------------------------------------------------


@dataclass(frozen=True)
class FolderStats:
    id: int
    path: str
    files: int
    failed: int
    passages: int
    embed_data: bool = False  # the user's "also search data files by meaning" (indexing/budget.py)
    data_files: int = 0  # files read as data (logs, tables, dumps: core/textkind.py)
    pending: int = 0  # passages waiting for a vector (keyword-searchable meanwhile)
    keyword_only: int = 0  # passages kept for keyword search only by choice: data files, past a file's cap
    keyword_only_files: int = 0  # the files those are in
    ocr: bool = True  # the user's "read scanned pages and images" (core/indexing/ocr.py)
    ocr_waiting: int = 0  # pages without a text layer that OCR has not read (yet, or because it is off)


@dataclass(frozen=True)
class FailedFile:
    path: str
    reason: str


# The built-in rules that leave a folder or file out of a scan; what each means is in
# core/config.py (DEFAULT_EXCLUDE_RULES), which is also where they are switched off.
# "empty" is not a rule one switches off: an empty file has nothing to index, and is not a failure.
ExcludeRule = Literal["hidden", "python-env", "node_modules", "__pycache__", "site-packages", "empty"]


@dataclass(frozen=True)
class Skipped:
    """A folder or file a built-in rule left out of the index, with the rule. A user's own exclusion
    globs are not recorded: the person asked for those."""

    path: str
    rule: ExcludeRule

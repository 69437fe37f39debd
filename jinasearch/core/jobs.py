"""The app's job queue without Qt: what runs next, what is waiting, and the state of every folder.

The app's Controller is a thin QObject over this: it hands the next job to its worker thread and
turns outcomes into signals. Everything that decides (deduplicating a burst of watcher events,
which folders a running job covers, what a folder's state is) is here and tested without a window.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from .config import Settings
from .run_records import FailedFile, FolderStats, IndexSummary, RunOutcome, Skipped


@dataclass(frozen=True)
class IndexJob:
    settings: Settings
    paths: tuple[str, ...]
    reembed: bool = False
    rechunk: bool = False  # re-cut every document to the settings' passage size
    embed_data: bool | None = None  # switch the folders' "also search data files by meaning" (None: leave it)
    ocr: bool | None = None  # switch the folders' OCR of scanned pages and images (None: leave it)


@dataclass(frozen=True)
class RemoveJob:
    settings: Settings
    path: str


Job = IndexJob | RemoveJob


class JobState(str, enum.Enum):
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True)
class JobResult:
    """How a job ended: its run's outcome (index jobs), or the error that stopped it, as the object."""

    job: Job
    status: JobState
    outcome: RunOutcome | None = None
    error: Exception | None = None
    removed_files: int = 0  # remove jobs: how many files the folder held

    @property
    def summary(self) -> IndexSummary:
        return self.outcome.summary if self.outcome is not None else IndexSummary()

    @property
    def keyword_only(self) -> bool:
        """The run indexed for keyword search only: the model could not be had."""
        return self.outcome is not None and self.outcome.keyword_only is not None


class FolderState(str, enum.Enum):
    INDEXING = "indexing"
    PAUSED = "paused"
    QUEUED = "queued"
    UP_TO_DATE = "up to date"
    KEYWORD_ONLY = "keyword only"
    ERRORS = "errors"
    NOT_INDEXED = "not indexed"


@dataclass(frozen=True)
class FolderRow:
    path: str
    state: FolderState
    files: int = 0
    passages: int = 0
    failed: int = 0
    skipped: int = 0  # folders and files the built-in exclusion rules left out
    keyword_only: int = 0  # passages found by keyword only by choice (core/indexing/budget.py)
    data_files: int = 0  # files read as data (logs, tables, dumps)
    embed_data: bool = False  # the folder's "also search data files by meaning"
    ocr: bool = True  # the folder's OCR of scanned pages and images
    ocr_waiting: int = 0  # its pages without a text layer not read by OCR


@dataclass
class JobQueue:
    """Jobs waiting and the one running. Not thread-safe: the app touches it from its GUI thread only."""

    waiting: list[Job] = field(default_factory=list)
    running: Job | None = None
    paused: bool = False

    def add(self, job: Job) -> bool:
        """Queue `job` unless an equal or larger index job already waits (a burst of watcher events,
        a double drop); returns whether it was queued."""
        if isinstance(job, IndexJob) and any(_covers(q, job) for q in self.waiting):
            return False
        self.waiting.append(job)
        return True

    def start_next(self) -> Job | None:
        """The job to run now, if nothing runs and something waits."""
        if self.running is not None or not self.waiting:
            return None
        self.running = self.waiting.pop(0)
        return self.running

    def finished(self) -> None:
        self.running = None

    def clear(self) -> None:
        self.waiting.clear()

    def drop_folder(self, path: str) -> tuple[str, ...]:
        """Forget waiting jobs for `path` alone; returns the other folders of the running job when it
        covers `path` (it must be cancelled, and those folders queued again), else ()."""
        self.waiting = [j for j in self.waiting if not (isinstance(j, IndexJob) and j.paths == (path,))]
        if isinstance(self.running, IndexJob) and path in self.running.paths:
            return tuple(p for p in self.running.paths if p != path)
        return ()

    def with_settings(self, settings: Settings) -> None:
        """Waiting jobs run with new choices; the running one finishes with its own."""
        self.waiting = [replace(j, settings=settings) for j in self.waiting]

    def folder_rows(
        self, known: Sequence[str], stats: Iterable[FolderStats], skipped: Sequence[Skipped] = ()
    ) -> list[FolderRow]:
        by_path = {f.path: f for f in stats}
        running = set(self.running.paths) if isinstance(self.running, IndexJob) else set()
        queued = {p for j in self.waiting if isinstance(j, IndexJob) for p in j.paths}
        rows = []
        for path in known:
            st = by_path.get(path)
            rows.append(
                FolderRow(
                    path,
                    _state(path, st, running, queued, self.paused),
                    st.files if st else 0,
                    st.passages if st else 0,
                    st.failed if st else 0,
                    len(skipped_under(skipped, path)),
                    st.keyword_only if st else 0,
                    st.data_files if st else 0,
                    st.embed_data if st else False,
                    st.ocr if st else True,
                    st.ocr_waiting if st else 0,
                )
            )
        return rows


def _covers(queued: Job, job: IndexJob) -> bool:
    return (
        isinstance(queued, IndexJob)
        and set(job.paths) <= set(queued.paths)
        and queued.reembed >= job.reembed
        and queued.rechunk >= job.rechunk
        and job.embed_data in (None, queued.embed_data)
        and job.ocr in (None, queued.ocr)
    )


def _state(path: str, st: FolderStats | None, running: set[str], queued: set[str], paused: bool) -> FolderState:
    if path in running:
        return FolderState.PAUSED if paused else FolderState.INDEXING
    if path in queued:
        return FolderState.QUEUED
    if st is None:
        return FolderState.NOT_INDEXED
    if st.pending:
        # The model was not there (or the run was cancelled) before the vectors. This comes before
        # "errors": it says what search misses in the whole folder, while failed files keep their own
        # column and the "Failed files…" list.
        return FolderState.KEYWORD_ONLY
    if st.failed:
        return FolderState.ERRORS
    return FolderState.UP_TO_DATE


def failed_under(failed: Iterable[FailedFile], folder: str | None) -> list[FailedFile]:
    """The failed files under `folder` (all of them for None)."""
    if folder is None:
        return list(failed)
    prefix = folder.rstrip(os.sep) + os.sep
    return [f for f in failed if f.path.startswith(prefix)]


def skipped_under(skipped: Iterable[Skipped], folder: str | None) -> list[Skipped]:
    """What the built-in rules left out under `folder` (all of it for None)."""
    if folder is None:
        return list(skipped)
    prefix = folder.rstrip(os.sep) + os.sep
    return [s for s in skipped if s.path.startswith(prefix)]

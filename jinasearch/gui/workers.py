"""The two background workers: indexing (iterates the core's Progress generator) and search (own connection)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal, Slot

from ..core.config import Settings
from ..core.errors import IndexEmptyError, JinaSearchError, ModelUnavailableError
from ..core.models import IndexSummary
from .model import Cancelled, GatedEmbedder, ModelLoader, SharedEmbedder

log = logging.getLogger(__name__)

# The message of an index job, and the note of a search, when the model was not there: found by keyword only.
KEYWORD_ONLY = "keyword-only"

# The loaded (or loading) models by name: during a model switch the new one indexes while the old
# one keeps answering searches, so each job and each query picks the loader of its own model.
Loaders = Callable[[], list[ModelLoader]]


def loader_for(loaders: Loaders, name: str) -> ModelLoader | None:
    from ..core.indexer import model_key

    key = model_key(name)
    return next((m for m in loaders() if model_key(m.name) == key), None)


PROGRESS_INTERVAL_S = 0.1


@dataclass(frozen=True)
class IndexJob:
    settings: Settings
    paths: tuple[str, ...]
    reembed: bool = False
    rechunk: bool = False  # re-cut every document to the settings' passage size


@dataclass(frozen=True)
class RemoveJob:
    settings: Settings
    path: str


Job = IndexJob | RemoveJob


@dataclass(frozen=True)
class JobResult:
    job: Job
    status: str  # "done" | "cancelled" | "failed"
    message: str = ""
    summary: IndexSummary = field(default_factory=IndexSummary)


class IndexWorker(QObject):
    """Runs one job at a time on its thread. Pause and cancel are Events polled at every Progress the
    indexer yields (after each file and each embedding batch): a queued slot would wait for the run."""

    progress = Signal(object)  # core Progress
    paused = Signal()  # the worker has actually stopped pulling work
    finished = Signal(object)  # JobResult

    def __init__(self, loaders: Loaders) -> None:
        super().__init__()
        self._loaders = loaders
        self.stop = threading.Event()
        self.resume = threading.Event()
        self.resume.set()

    @Slot(object)
    def run(self, job: Job) -> None:
        try:
            result = self._remove(job) if isinstance(job, RemoveJob) else self._index(job)
        except Cancelled:
            result = JobResult(job, "cancelled", "cancelled")
        except JinaSearchError as exc:
            result = JobResult(job, "failed", str(exc))
        except Exception as exc:  # noqa: BLE001 - report, never kill the worker thread
            log.exception("indexing failed")
            result = JobResult(job, "failed", f"unexpected error: {type(exc).__name__}: {exc}")
        self.finished.emit(result)

    def _remove(self, job: RemoveJob) -> JobResult:
        from ..core.library import remove_folder

        n = remove_folder(job.settings, job.path)
        return JobResult(job, "done", f"removed {job.path} ({n} files)")

    def _index(self, job: IndexJob) -> JobResult:
        from ..core.extract.pool import default_runner
        from ..core.indexer import Indexer

        stop = self.stop.is_set

        def embedder(name: str, _device: str) -> GatedEmbedder:
            loader = loader_for(self._loaders, name)
            if loader is None:
                raise ModelUnavailableError(f"model '{name}' is not loaded")
            return GatedEmbedder(loader.wait(stop), self._checkpoint)

        # Extraction runs in worker processes: a hanging or crashing parser cannot take the app down.
        indexer = Indexer(
            job.settings,
            embedder_factory=embedder,
            runner=default_runner(),
            reembed=job.reembed,
            rechunk=job.rechunk,
            should_stop=stop,
        )
        gen = indexer.index(job.paths, excludes=job.settings.excludes)
        last_phase, last_emit = "", 0.0
        try:
            for prog in gen:
                # At most ~10 updates a second: thousands of queued updates would make the window lag
                # behind the worker (and delay the 'finished' signal queued after them).
                now = time.monotonic()
                if prog.phase != last_phase or now - last_emit >= PROGRESS_INTERVAL_S or prog.phase == "done":
                    self.progress.emit(prog)
                    last_phase, last_emit = prog.phase, now
                if not self._wait_while_paused():
                    break
        finally:
            gen.close()  # at a yield: every write so far is committed, the lock is released
        if self.stop.is_set():
            return JobResult(job, "cancelled", "cancelled", indexer.summary)
        return JobResult(job, "done", KEYWORD_ONLY if indexer.keyword_only else "done", indexer.summary)

    def _checkpoint(self) -> None:
        """Called between embedding slices: wait while paused, leave the run when cancelled."""
        if not self._wait_while_paused():
            raise Cancelled()

    def _wait_while_paused(self) -> bool:
        """False when the run must stop."""
        if self.stop.is_set():
            return False
        if not self.resume.is_set():
            self.paused.emit()
            while not self.resume.wait(0.05):
                if self.stop.is_set():
                    return False
        return not self.stop.is_set()


# Hits whose best sentences are found per model call: about one screenful of results.
SENTENCE_PAGE = 10


class SearchWorker(QObject):
    """Answers queries on its own thread with its own read connection; stale queries are skipped."""

    results = Signal(int, object, str)  # seq, list[Hit], note ("", "keyword-only", "no-index", "error: ...")
    sentences = Signal(int, object)  # seq, {passage_id: (start, end) or None}, following `results`
    preview = Signal(int, object)  # seq, document text or None
    status = Signal(object)  # core.library.LibraryStatus

    def __init__(self, settings: Settings, loaders: Loaders) -> None:
        super().__init__()
        self.settings = settings
        self._loaders = loaders
        self.latest = 0  # written by the GUI thread; an int store is atomic
        self._searcher = None

    @Slot(object)
    def reset(self, settings: Settings) -> None:
        """New settings: reopen on the next query."""
        self.settings = settings
        self.close()

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def _embedder_for(self, key: str) -> SharedEmbedder | None:
        """The loaded model the index records (asked at every query, so a model switch is followed)."""
        loader = loader_for(self._loaders, key)
        return loader.embedder() if loader is not None else None

    def _open(self):  # type: ignore[no-untyped-def]
        from ..core.search import Searcher

        if self._searcher is None:
            self._searcher = Searcher(self.settings, load_model=False, embedders=self._embedder_for)
        return self._searcher

    @Slot(int, str, object)
    def search(self, seq: int, query: str, filters: object) -> None:
        if seq < self.latest:
            return  # the user typed on; answer only the newest query
        try:
            searcher = self._open()
            # Hybrid falls back to keywords alone while the index's model is not (yet) loaded.
            # Results first (word highlights included); the best sentences, a model call over
            # every sentence of the hits, follow page by page below.
            hits = searcher.search(query, k=40, mode="hybrid", filters=filters, sentences=False)
            if searcher.embedder is not None:
                note = ""
            elif searcher.model is not None and loader_for(self._loaders, searcher.model) is None:
                note = "model-mismatch"  # an index of another model, and no switch to this one under way
            else:
                note = KEYWORD_ONLY
        except IndexEmptyError:
            hits, note = [], "no-index"
        except JinaSearchError as exc:
            hits, note = [], f"error: {exc}"
        except Exception as exc:  # noqa: BLE001
            log.exception("search failed")
            hits, note = [], f"error: {type(exc).__name__}: {exc}"
        self.results.emit(seq, hits, note)
        if hits:
            self._fill_sentences(seq, query, hits, semantic=not note)

    def _fill_sentences(self, seq: int, query: str, hits: list, *, semantic: bool) -> None:
        """Best sentences for the hits, the visible page first; dropped as soon as the user types on."""
        for start in range(0, len(hits), SENTENCE_PAGE):
            if seq < self.latest or self._searcher is None:
                return
            page = hits[start : start + SENTENCE_PAGE]
            try:
                spans = self._searcher.sentence_spans(query, [h.text for h in page], semantic=semantic)
            except Exception:  # noqa: BLE001 - shading a sentence is a nicety; the results stand
                log.exception("best sentences failed")
                return
            self.sentences.emit(seq, {h.passage_id: span for h, span in zip(page, spans)})

    @Slot(int, int)
    def load_preview(self, seq: int, doc_id: int) -> None:
        from ..core.library import document_text

        try:
            found = document_text(self.settings, doc_id)
        except Exception:  # noqa: BLE001 - a preview is best effort
            log.exception("preview failed")
            found = None
        self.preview.emit(seq, found[0] if found else None)

    @Slot()
    def refresh_status(self) -> None:
        from ..core.library import LibraryStatus, read_status

        try:
            st = read_status(self.settings)
        except Exception:  # noqa: BLE001
            log.exception("status failed")
            st = LibraryStatus()
        self.status.emit(st)

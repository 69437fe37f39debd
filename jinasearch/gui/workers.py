"""The two background workers: indexing (iterates the core's Progress generator) and search (own connection)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from ..core.config import Settings
from ..core.control import Control
from ..core.errors import IndexEmptyError, IndexFillingError, JinaSearchError, ModelUnavailableError
from ..core.jobs import IndexJob, Job, JobResult, JobState, RemoveJob
from ..core.models import Hit, SearchNote
from ..core.policy import model_key
from .model import ModelLoader, SharedEmbedder

log = logging.getLogger(__name__)

# The loaded (or loading) models by model key: during a model switch the new one indexes while the old
# one keeps answering searches, so each job and each query picks the loader of its own model.
Loaders = Callable[[], list[ModelLoader]]

PROGRESS_INTERVAL_S = 0.1
# The app lists this many files, each with its best passage; up to PER_FILE - 1 more of each wait
# behind "more from this file".
RESULT_FILES = 30
PER_FILE = 3
# Model work is cut into slices of about this long, so pause and cancel act within it.
SLICE_S = 0.25


def loader_for(loaders: Loaders, key: str) -> ModelLoader | None:
    """The loader of the model the index records as `key` (core/policy.py: model_key)."""
    key = model_key(key)
    return next((m for m in loaders() if m.key == key), None)


class IndexWorker(QObject):
    """Runs one job at a time on its thread. Pause and cancel go through `control`, which the indexer
    polls between files and between slices of model work (a queued slot would wait for the run)."""

    progress = Signal(object)  # core Progress
    paused = Signal()  # the worker has actually stopped pulling work
    finished = Signal(object)  # JobResult

    def __init__(self, loaders: Loaders) -> None:
        super().__init__()
        self._loaders = loaders
        self.control = Control(slice_s=SLICE_S, on_paused=self.paused.emit)

    @Slot(object)
    def run(self, job: Job) -> None:
        try:
            result = self._remove(job) if isinstance(job, RemoveJob) else self._index(job)
        except JinaSearchError as exc:
            result = JobResult(job, JobState.FAILED, error=exc)
        except Exception as exc:  # noqa: BLE001 - report, never kill the worker thread
            log.exception("indexing failed")
            result = JobResult(job, JobState.FAILED, error=exc)
        self.finished.emit(result)

    def _remove(self, job: RemoveJob) -> JobResult:
        from ..core.library import remove_folder

        return JobResult(job, JobState.DONE, removed_files=remove_folder(job.settings, job.path))

    def _index(self, job: IndexJob) -> JobResult:
        from ..core.extract import default_runner
        from ..core.indexer import Indexer

        control = self.control

        def embedder(name: str, _device: str) -> SharedEmbedder | None:
            # The indexer asks by the model's own name; its settings say whether a server runs it.
            loader = loader_for(self._loaders, model_key(name, served=job.settings.server is not None))
            if loader is None:
                raise ModelUnavailableError(f"model '{name}' is not loaded")
            return loader.wait(control)

        # Extraction runs in worker processes: a hanging or crashing parser cannot take the app down.
        indexer = Indexer(
            job.settings,
            embedder_factory=embedder,
            runner=default_runner(),
            reembed=job.reembed,
            rechunk=job.rechunk,
            control=control,
            embed_data=job.embed_data,
            ocr=job.ocr,
        )
        last_phase, last_emit, outcome = "", 0.0, None
        for prog in indexer.index(job.paths):
            # At most ~10 updates a second: thousands of queued updates would make the window lag
            # behind the worker (and delay the 'finished' signal queued after them).
            now = time.monotonic()
            if prog.phase != last_phase or now - last_emit >= PROGRESS_INTERVAL_S or prog.outcome is not None:
                self.progress.emit(prog)
                last_phase, last_emit = prog.phase, now
            outcome = prog.outcome or outcome
        state = JobState.CANCELLED if outcome is None or outcome.state == "cancelled" else JobState.DONE
        return JobResult(job, state, outcome)


# Hits whose best sentences are found per model call: about one screenful of results.
SENTENCE_PAGE = 10


class SearchWorker(QObject):
    """Answers queries on its own thread with its own read connection; stale queries are skipped."""

    results = Signal(int, object, str, object)  # seq, list[Hit], SearchNote, the error (note "error") or None
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

    def open_searcher(self):  # type: ignore[no-untyped-def]
        """The app's searcher, for others on this thread (the command line's questions: ask_service.py)."""
        return self._open()

    @Slot()
    def warm_up(self) -> None:
        """Once the model is in: bind it and load the FAISS cache now, on this idle thread, rather than
        inside the first search, which would wait for it (docs/benchmarks.md, "Search speed": the
        first search of a session)."""
        try:
            searcher = self._open()
            if searcher.embedder is not None:
                searcher.vectors()
        except JinaSearchError:
            pass  # no index yet, or another model's: the first search says so
        except Exception:  # noqa: BLE001 - the first search loads it then
            log.exception("loading the vector index ahead of the first search failed")

    @Slot(int, str, object)
    def search(self, seq: int, query: str, filters: object) -> None:
        if seq < self.latest:
            return  # the user typed on; answer only the newest query
        error: Exception | None = None
        note: SearchNote
        try:
            searcher = self._open()
            # Hybrid falls back to keywords alone while the index's model is not (yet) loaded.
            # Results first (word highlights included); the best sentences, a model call over
            # every sentence of the hits, follow page by page below.
            # Weak hits come too, marked: with nothing close, the window offers them behind "No close matches".
            hits = searcher.search(
                query, k=RESULT_FILES, per_file=PER_FILE, mode="hybrid", filters=filters, sentences=False, weak=True
            )
            if searcher.embedder is not None:
                note = "ok"
            elif searcher.model is not None and loader_for(self._loaders, searcher.model) is None:
                note = "model-mismatch"  # an index of another model, and no switch to this one under way
            else:
                note = "keyword-only"
        except IndexFillingError:
            hits, note = [], "indexing"
        except IndexEmptyError:
            hits, note = [], "no-index"
        except Exception as exc:  # noqa: BLE001 - shown in the window, never a crash
            if not isinstance(exc, JinaSearchError):
                log.exception("search failed")
            hits, note, error = [], "error", exc
        self.results.emit(seq, hits, note, error)
        if hits:
            self._fill_sentences(seq, query, _listed_first(hits), semantic=note == "ok")

    def _fill_sentences(self, seq: int, query: str, hits: list, *, semantic: bool) -> None:
        """Best sentences for the hits, in pages, in the order given; dropped as soon as the user types on."""
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
        self.preview.emit(seq, found.text if found else None)

    @Slot()
    def refresh_status(self) -> None:
        from ..core.library import LibraryStatus, read_status

        try:
            st = read_status(self.settings)
        except Exception:  # noqa: BLE001
            log.exception("status failed")
            st = LibraryStatus()
        self.status.emit(st)


def _listed_first(hits: list[Hit]) -> list[Hit]:
    """The hits in the order the list shows them: the close ones only when there are any (the weak
    wait behind "No close matches"), each file's first passage before those folded under "more"."""
    shown = [h for h in hits if h.close] or hits
    seen: set[int] = set()
    lead, folded = [], []
    for h in shown:
        (folded if h.doc_id in seen else lead).append(h)
        seen.add(h.doc_id)
    return lead + folded

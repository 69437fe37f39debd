"""The app's brain without widgets: job queue, worker threads, model loading, folder watching."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

from ..core.config import Settings
from ..core.jobs import FolderRow, IndexJob, Job, JobQueue, JobResult, RemoveJob, failed_under, skipped_under
from ..core.library import LibraryStatus
from ..core.models import Filters
from ..core.run_records import FailedFile, Progress, Skipped
from .model import EmbedderFactory
from .models_in_use import Models
from .prefs import RESCAN_FIELDS, Prefs, load_folders, load_prefs, save_folders, save_prefs
from .server_retry import ServerRetry
from .threads import start_worker, stop_thread
from .watching import Watching
from .workers import IndexWorker, SearchWorker

log = logging.getLogger(__name__)


class Controller(QObject):
    # The folder panel's counts follow a run at this pace (a status read: a few small queries, search thread).
    STATUS_EVERY_S = 2.0

    _run = Signal(object)  # to the workers (queued: they live on other threads)
    _search = Signal(int, str, object)
    _preview = Signal(int, int)
    _status = Signal()
    _reset = Signal(object)
    progress = Signal(object)  # to the views
    runStarted = Signal(object)
    runFinished = Signal(object)
    pausedChanged = Signal(bool)
    foldersChanged = Signal(object)  # list[FolderRow]
    statusChanged = Signal(object)  # LibraryStatus
    results = Signal(int, object, str, object)
    sentences = Signal(int, object)
    preview = Signal(int, object)
    modelLoading = Signal(str)
    modelLoaded = Signal(str)
    modelDownloading = Signal(str, int, int)  # name, bytes done, bytes total
    modelFailed = Signal(str, str)

    def __init__(
        self,
        qsettings: QSettings,
        data_dir: Path,
        *,
        embedder_factory: EmbedderFactory | None = None,
        watch: bool = True,
        debounce_s: float = 1.5,
    ) -> None:
        super().__init__()
        self.qsettings = qsettings
        self.data_dir = data_dir
        self.prefs: Prefs = load_prefs(qsettings)
        self.folders: list[str] = load_folders(qsettings)
        self.status = LibraryStatus()
        self.jobs = JobQueue()
        self.models = Models(embedder_factory)
        self.models.loading.connect(self.modelLoading)
        self.models.loaded.connect(self.modelLoaded)
        self.models.failed.connect(self.modelFailed)
        self.models.downloading.connect(self.modelDownloading)
        # Runs made during a first download, or while the server was down, were keyword only: add the vectors now.
        self.models.cameBack.connect(self._index_added_folders)
        self.server_retry = ServerRetry(  # a run the embedding server cut short, or a load it failed
            self._index_added_folders, self, reload=self.load_model, load_failed=lambda: bool(self.models.chosen.error)
        )

        self.indexer = IndexWorker(self.models.loaders)
        self.searcher = SearchWorker(self.settings, self.models.loaders)
        self.index_thread = start_worker(self.indexer, "jinasearch-index")
        self.search_thread = start_worker(self.searcher, "jinasearch-search")
        self._run.connect(self.indexer.run)
        self._search.connect(self.searcher.search)
        self._preview.connect(self.searcher.load_preview)
        self._status.connect(self.searcher.refresh_status)
        self._reset.connect(self.searcher.reset)
        self.indexer.progress.connect(self.progress)
        self.indexer.progress.connect(self._progressed)
        self._status_at = 0.0
        self.indexer.finished.connect(self._finished)
        self.searcher.results.connect(self.results)
        self.searcher.sentences.connect(self.sentences)
        self.searcher.preview.connect(self.preview)
        self.searcher.status.connect(self._got_status)
        self.watching = Watching(str(data_dir), debounce_s=debounce_s, enabled=watch)
        self.watching.changed.connect(self._on_changed)

    @property
    def settings(self) -> Settings:
        return self.prefs.settings(self.data_dir)

    @property
    def running(self) -> Job | None:
        return self.jobs.running

    @property
    def is_paused(self) -> bool:
        return self.jobs.paused

    # -- start and stop ---------------------------------------------------------------------------

    def start(self) -> None:
        """After the window is shown: load the model, catch up on changes made while the app was closed."""
        self.load_model()
        self.refresh_status()
        for path in self.folders:
            self.watching.watch(path)
        self._index_added_folders()

    def _index_added_folders(self) -> None:
        if existing := [p for p in self.folders if os.path.isdir(p)]:
            self.enqueue(IndexJob(self.settings, tuple(existing)))

    def load_model(self) -> None:
        self.models.load(self.prefs.embed_model, self.prefs.backend)

    def shutdown(self) -> None:
        """Stop everything and wait for the threads; what was committed stays committed. A model load may outlive
        the wait (a server's timeouts): from now on neither this nor its models say anything."""
        self.blockSignals(True)
        self.models.blockSignals(True)
        self.jobs.clear()
        self.indexer.control.cancel()
        self.watching.stop()
        stop_thread(self.index_thread)
        stop_thread(self.search_thread)
        self.searcher.close()
        self.models.join(timeout=2)
        self.models.close()

    # -- folders and jobs -------------------------------------------------------------------------

    def add_folders(self, paths: list[str]) -> list[str]:
        added = []
        for p in paths:
            p = os.path.abspath(os.path.expanduser(p))
            if p not in self.folders:
                self.folders.append(p)
                added.append(p)
            self.watching.watch(p)
        save_folders(self.qsettings, self.folders)
        if paths:
            self.enqueue(IndexJob(self.settings, tuple(os.path.abspath(p) for p in paths)))
        return added

    def remove_folder(self, path: str) -> None:
        if path in self.folders:
            self.folders.remove(path)
            save_folders(self.qsettings, self.folders)
        self.watching.unwatch(path)
        rest = self.jobs.drop_folder(path)
        if isinstance(self.running, IndexJob) and path in self.running.paths:
            self.cancel()
            if rest:
                self.jobs.add(IndexJob(self.settings, rest))
        self.enqueue(RemoveJob(self.settings, path))

    def set_embed_data(self, path: str, on: bool) -> None:  # "also search data files by meaning": a run switches it
        self.enqueue(IndexJob(self.settings, (path,), embed_data=on))

    def set_ocr(self, path: str, on: bool) -> None:  # "read scanned pages and images (OCR)": a run switches it
        self.enqueue(IndexJob(self.settings, (path,), ocr=on))

    def reindex_all(self, *, reembed: bool = False, rechunk: bool = False) -> None:
        roots = [p for p in self.known_folders() if os.path.isdir(p)]
        if roots or reembed or rechunk:
            self.enqueue(IndexJob(self.settings, tuple(roots), reembed=reembed, rechunk=rechunk))

    def known_folders(self) -> list[str]:
        """Folders the user added here plus those the index knows (e.g. indexed from the command line)."""
        out = list(self.folders)
        out += [f.path for f in self.status.folders if f.path not in out]
        return out

    def enqueue(self, job: Job) -> None:
        if self.jobs.add(job):
            self._dispatch()
            self._emit_folders()

    def _dispatch(self) -> None:
        job = self.jobs.start_next()
        if job is None:
            return
        self.indexer.control.reset()
        if not self.is_paused:
            self.indexer.control.resume()
        self.runStarted.emit(job)
        self._run.emit(job)

    def _finished(self, result: JobResult) -> None:
        self.jobs.finished()
        self.server_retry.after(result)
        self.runFinished.emit(result)
        self.refresh_status()
        self._dispatch()

    def pause(self, paused: bool = True) -> None:
        """Pause (or, with False, resume) the running job at its next step; queued ones wait meanwhile."""
        self.jobs.paused = paused
        self.indexer.control.pause() if paused else self.indexer.control.resume()
        self.pausedChanged.emit(paused)
        self._emit_folders()

    def resume(self) -> None:
        self.pause(False)

    def cancel(self) -> None:
        """Stop the running job at its next file or slice of model work; queued jobs stay queued."""
        if self.running is not None:
            self.indexer.control.cancel()
        if self.is_paused:
            self.jobs.paused = False
            self.pausedChanged.emit(False)

    # -- watching ---------------------------------------------------------------------------------

    def _on_changed(self, roots: set[str]) -> None:
        roots_known = [r for r in sorted(roots) if r in self.known_folders()]
        if roots_known:
            log.info("changes in %s", ", ".join(roots_known))
            self.enqueue(IndexJob(self.settings, tuple(roots_known)))

    # -- settings ---------------------------------------------------------------------------------

    def apply_prefs(self, prefs: Prefs) -> None:
        """Save new choices. A new model (a served one is another than a local one of the same name) or recipe
        re-embeds in the background, the old vectors answering until then; the same model elsewhere (a device, the
        server's URL) is only loaded again; a new passage size re-cuts; new exclusions, cap or recipe rescan."""
        old = self.prefs
        self.prefs = prefs
        save_prefs(self.qsettings, prefs)
        self._reset.emit(self.settings)
        # Queued jobs run with the new choices; one already running finishes with its own model, but leaves
        # out what new exclusions match from its next file on (the rescan queued below removes what they
        # match that is indexed already).
        self.jobs.with_settings(self.settings)
        self.indexer.control.excludes.set(prefs.excludes)
        new_model = prefs.model_key != old.model_key
        if new_model:
            self.models.switch(prefs.embed_model, prefs.backend, self.status.model)
        elif prefs.backend != old.backend or self.models.chosen.error is not None:
            self.load_model()  # OK in the settings tries a model that failed again
        rechunk = (prefs.chunk_tokens, prefs.overlap_tokens) != (old.chunk_tokens, old.overlap_tokens)
        if new_model or rechunk:
            self.reindex_all(reembed=new_model, rechunk=rechunk)
        elif any(getattr(prefs, k) != getattr(old, k) for k in RESCAN_FIELDS):
            self.reindex_all()

    # -- search and status ------------------------------------------------------------------------

    def search(self, seq: int, query: str, filters: Filters | None = None) -> None:
        self.searcher.latest = seq
        self._search.emit(seq, query, filters)

    def request_preview(self, seq: int, doc_id: int) -> None:
        self._preview.emit(seq, doc_id)

    def refresh_status(self) -> None:
        self._status.emit()

    def _progressed(self, p: Progress) -> None:
        now = time.monotonic()
        if p.phase in ("extract", "embed") and now - self._status_at >= self.STATUS_EVERY_S:
            self._status_at = now
            self.refresh_status()

    def _got_status(self, status: LibraryStatus) -> None:
        self.status = status
        self.models.follow(status, self.prefs.embed_model, self.prefs.backend)
        for f in status.folders:
            self.watching.watch(f.path)
        self.statusChanged.emit(status)
        self._emit_folders()

    def folder_rows(self) -> list[FolderRow]:
        return self.jobs.folder_rows(self.known_folders(), self.status.folders, self.status.skipped)

    def _emit_folders(self) -> None:
        self.foldersChanged.emit(self.folder_rows())

    def failed_files(self, folder: str | None = None) -> list[FailedFile]:
        return failed_under(self.status.failed, folder)

    def skipped_files(self, folder: str | None = None) -> list[Skipped]:
        return skipped_under(self.status.skipped, folder)

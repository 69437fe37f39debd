"""The main window: search bar, folder panel with indexing progress, results, preview; all work is delegated."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from ..core.jobs import IndexJob, JobResult, JobState
from ..core.library import LibraryStatus
from ..core.models import Hit, SearchNote
from ..core.run_records import Progress
from . import actions
from . import window_helpers as helpers
from .controller import Controller
from .dialogs import FailedFilesDialog, SettingsDialog, SkippedDialog
from .folders import FolderPanel
from .menu import build_menu
from .model import EmbedderFactory
from .preview import PreviewPane
from .progress import Banner, ProgressPanel
from .results_pane import ResultsPane
from .search_bar import SearchBar
from .session import SearchSession
from .status_where import WhereLabel


class MainWindow(QMainWindow):
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
        self.setWindowTitle("jinasearch")
        self.setAcceptDrops(True)
        self.qsettings = qsettings
        self.controller = Controller(
            qsettings, data_dir, embedder_factory=embedder_factory, watch=watch, debounce_s=debounce_s
        )
        self.session = SearchSession()
        self._build()
        self._connect()
        self._restore()
        self._closed = False

    # -- layout -----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.search_bar = SearchBar()
        self.banner = Banner()
        self.legend = QLabel(helpers.LEGEND)
        self.legend.setStyleSheet("color: #5f6368;")
        self.folders = FolderPanel()
        self.progress_panel = ProgressPanel()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.folders, 1)
        ll.addWidget(self.progress_panel)
        self.results = ResultsPane()
        self.preview = PreviewPane(siblings=self.session.same_file)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        for i, (pane, stretch) in enumerate(((left, 2), (self.results, 4), (self.preview, 3))):
            self.splitter.addWidget(pane)
            self.splitter.setStretchFactor(i, stretch)
        self.splitter.setSizes([330, 600, 470])
        central = QWidget()
        lay = QVBoxLayout(central)
        for w in (self.search_bar, self.banner, self.legend):
            lay.addWidget(w)
        lay.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.counts = QLabel("")
        self.where = WhereLabel(model_line=self.folders.model_line)
        self.statusBar().addPermanentWidget(self.counts)
        self.statusBar().addPermanentWidget(self.where)
        for key in ("Ctrl+K", "Ctrl+F"):
            QShortcut(QKeySequence(key), self, activated=self.focus_search)
        self.quit_action = build_menu(self)
        QShortcut(
            QKeySequence("Down"),
            self.search_bar.field,
            activated=self.results.focus_first,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.resize(*helpers.first_size(self.screen().availableGeometry().size() if self.screen() else None))
        self.update_empty_state()

    def _connect(self) -> None:
        c = self.controller
        self.search_bar.search.connect(self.run_search)
        self.search_bar.settingsRequested.connect(self.open_settings)
        self.folders.addRequested.connect(self.choose_folder)
        self.folders.removeRequested.connect(self.controller.remove_folder)
        self.folders.embedDataRequested.connect(self.controller.set_embed_data)
        self.folders.ocrRequested.connect(self.controller.set_ocr)
        self.folders.failedRequested.connect(self.show_failed)
        self.folders.skippedRequested.connect(self.show_skipped)
        self.progress_panel.pause_btn.clicked.connect(lambda: c.resume() if c.is_paused else c.pause())
        self.progress_panel.cancel_btn.clicked.connect(c.cancel)
        self.banner.action.clicked.connect(self._banner_action)
        self.results.selected.connect(self._selected)
        self.results.weakRequested.connect(lambda: self.results.show_hits(self.session.weak))
        self.results.activated.connect(lambda hit: actions.open_or_say(hit, self.banner))
        self.results.revealRequested.connect(lambda hit: actions.reveal_or_say(hit, self.banner))
        self.results.status.connect(self.statusBar().showMessage)
        self.preview.openRequested.connect(lambda hit: actions.open_or_say(hit, self.banner))
        self.preview.folderRequested.connect(lambda hit: actions.reveal_or_say(hit, self.banner))
        self.preview.copyRequested.connect(actions.copy_hit_path)
        c.progress.connect(self._progress)
        # Bound methods, not lambdas: a destroyed window's are dropped, so a late run or model load calls nothing.
        c.runStarted.connect(self._run_started)
        c.runFinished.connect(self._run_finished)
        c.pausedChanged.connect(self.progress_panel.set_paused)
        c.foldersChanged.connect(self._folders_changed)
        c.statusChanged.connect(self._status_changed)
        c.results.connect(self._results)
        c.sentences.connect(self._sentences)
        c.preview.connect(self._preview_ready)
        c.modelLoading.connect(self._model_loading)
        c.modelDownloading.connect(self.banner.model_downloading)
        c.modelLoaded.connect(self._model_loaded)
        c.modelFailed.connect(self._model_failed)

    def start(self) -> None:
        """Heavy work begins only now, after the window is on screen."""
        self.focus_search()
        self.controller.start()

    # -- search -----------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_bar.field.setFocus()
        self.search_bar.field.selectAll()

    def run_search(self, query: str) -> None:
        seq = self.session.new_query(query)
        if not query:
            self.results.show_hits([])
            self.preview.clear()
            self.update_empty_state()
            return
        self.results.searching()
        self.controller.search(seq, query, self.search_bar.filters())

    def _results(self, seq: int, hits: list[Hit], note: SearchNote, error: Exception | None) -> None:
        if not self.session.answered(seq, note, error):
            return
        shown = self.session.shown(hits)
        self.results.show_hits(shown)
        if note == "error":
            self.banner.show_error(self.session.error_text(), key="search")
        elif note == "model-mismatch":
            helpers.say_mismatch(self.banner, self.controller)
        if not shown:  # nothing listed (or only weak hits, behind a button): no stale document either
            self.preview.clear()
        self.update_empty_state()

    def _sentences(self, seq: int, spans: dict) -> None:  # type: ignore[type-arg]
        if seq != self.session.seq:
            return
        self.results.model.set_sentences(spans)
        if self.preview.hit is not None and self.preview.hit is self.session.preview_hit:
            changed = self.session.sentence_arrived(spans)
            if changed is not None:
                self.preview.show_hit(changed, self.preview.document)

    def update_empty_state(self) -> None:
        c = self.controller
        text = self.session.empty_text(
            has_folders=bool(c.known_folders()), busy=c.running is not None, away=self.where.away
        )
        self.results.show_empty(text, weak=len({h.doc_id for h in self.session.weak}))

    def _selected(self, hit: Hit) -> None:
        seq = self.session.preview(hit)
        self.preview.show_hit(hit, None)  # the passage at once; the whole document follows
        self.controller.request_preview(seq, hit.doc_id)

    def _preview_ready(self, seq: int, text: str | None) -> None:
        hit = self.session.preview_hit
        if seq == self.session.preview_seq and text is not None and hit is not None:
            self.preview.show_hit(hit, text)

    def current_hit(self) -> Hit | None:
        return self.results.current_hit()

    # -- folders and indexing ---------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    dragMoveEvent = dragEnterEvent  # type: ignore[assignment]  # the same answer while the drag moves

    def dropEvent(self, event: QDropEvent) -> None:
        folders, problems = helpers.classify_drop(list(event.mimeData().urls()))
        if folders:
            event.acceptProposedAction()
            self.add_folders(folders)
        if problems:
            self.banner.show_error("Not added: " + "; ".join(problems), key="drop")

    def add_folders(self, folders: list[str]) -> None:
        self.controller.add_folders(folders)
        self.statusBar().showMessage(f"Added {', '.join(folders)}", 3000)
        self.update_empty_state()

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder to search", str(Path.home()))
        if folder:
            self.add_folders([folder])

    def show_failed(self, folder: str | None) -> None:
        FailedFilesDialog(self.controller.failed_files(folder), folder, self).exec()

    def show_skipped(self, folder: str | None) -> None:
        SkippedDialog(self.controller.skipped_files(folder), folder, self).exec()

    def _progress(self, p: Progress) -> None:
        self.progress_panel.show_progress(p, self.controller.is_paused, self.controller.status)

    def _run_started(self, job: object) -> None:
        self.progress_panel.started(job, self.controller.is_paused)

    def _model_failed(self, name: str, msg: str) -> None:
        self.banner.model_failed(name, msg)
        self.where.model_failed()

    def _run_finished(self, result: JobResult) -> None:
        self.progress_panel.finished(result)
        if result.status == JobState.FAILED:
            helpers.say_failure(self.banner, self.controller, result.error)
        elif isinstance(result.job, IndexJob) and result.status == JobState.DONE:
            self.banner.clear("index", "settings", "mismatch")
            if result.outcome is not None and result.outcome.notice:
                notice = result.outcome.notice  # e.g. a damaged index repaired: what was kept
                self.banner.show_info(notice[:1].upper() + notice[1:], key="index")
        if self.session.query:
            self.run_search(self.session.query)  # new passages and vectors are committed now

    def _folders_changed(self, rows) -> None:  # type: ignore[no-untyped-def]
        self.folders.set_rows(rows)
        self.search_bar.set_folders([r.path for r in rows])
        self.update_empty_state()

    def _status_changed(self, st: LibraryStatus) -> None:
        self.counts.setText(helpers.counts_text(st))

    def _model_loading(self, name: str) -> None:
        self.where.show_for(self.controller.prefs)
        self.update_empty_state()
        self.banner.model_loading(name, served=self.controller.prefs.server is not None)

    def _model_loaded(self, _name: str) -> None:
        self.where.show_for(self.controller.prefs, self.controller.models.chosen.embedder())
        self.banner.clear("model")
        if self.session.query:
            self.run_search(self.session.query)

    def _banner_action(self) -> None:
        if self.banner.key in ("model", "settings"):
            self.open_settings()
        elif self.banner.key == "mismatch":  # the one banner whose action re-embeds
            self.banner.clear("mismatch")
            self.controller.reindex_all(reembed=True)
        elif self.banner.key == "open":
            actions.copy_said_path(self.banner)

    # -- settings and window state -------------------------------------------------------------------

    def open_settings(self) -> None:
        c = self.controller
        if (new := SettingsDialog.ask(c.prefs, str(c.data_dir), self, index=c.status.next_recipe)) is not None:
            c.apply_prefs(new)

    def _restore(self) -> None:
        helpers.restore_layout(self.qsettings, self, self.splitter)

    def save_state(self) -> None:
        helpers.save_layout(self.qsettings, self, self.splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.save_state()
        self.controller.shutdown()

"""The main window: search bar, folder panel with indexing progress, results, preview; all work is delegated."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QLabel,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.models import Hit, Progress
from . import opener
from .controller import Controller
from .dialogs import FailedFilesDialog, SettingsDialog
from .folders import FolderPanel
from .model import EmbedderFactory
from .preview import PreviewPane
from .progress import Banner, ProgressPanel
from .results import HitRole, ResultDelegate, ResultsModel
from .search_bar import SearchBar
from .workers import KEYWORD_ONLY, IndexJob, JobResult


def classify_drop(urls: list[QUrl]) -> tuple[list[str], list[str]]:
    """Dropped URLs -> (folders to index, reasons for what was refused). A file stands for its folder."""
    folders: list[str] = []
    problems: list[str] = []
    for url in urls:
        if not url.isLocalFile():
            problems.append(f"{url.toString()} is not a file or folder on this computer")
            continue
        path = os.path.abspath(url.toLocalFile())
        target = path if os.path.isdir(path) else os.path.dirname(path) if os.path.isfile(path) else None
        if target is None:
            problems.append(f"{path} does not exist" if not os.path.exists(path) else f"{path} is not a folder")
        elif not os.access(target, os.R_OK | os.X_OK):
            problems.append(f"cannot read {target}: permission denied")
        elif target not in folders:
            folders.append(target)
    return folders, problems


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
        self._seq = 0
        self._preview_seq = 0
        self._preview_hit: Hit | None = None
        self._note = ""
        self._query = ""
        self._build()
        self._connect()
        self._restore()
        self._closed = False

    # -- layout -----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.search_bar = SearchBar()
        self.banner = Banner()
        self.legend = QLabel(
            "Why it matched:  <span style='background:#ffb74d;color:#3e2000'><b>&nbsp;query words&nbsp;</b></span>"
            "&nbsp;&nbsp;<span style='background:#fff3b0'>&nbsp;sentence closest in meaning&nbsp;</span>"
            "&nbsp;&nbsp; found by: <span style='color:#1565c0'><b>keyword</b></span> · "
            "<span style='color:#7b1fa2'><b>semantic</b></span> · <span style='color:#2e7d32'><b>both</b></span>"
        )
        self.legend.setStyleSheet("color: #5f6368;")
        self.folders = FolderPanel()
        self.progress_panel = ProgressPanel()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.folders, 1)
        ll.addWidget(self.progress_panel)

        self.results = ResultsModel(self)
        self.list = QListView()
        self.list.setObjectName("results")
        self.list.setModel(self.results)
        self.delegate = ResultDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setUniformItemSizes(False)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #5f6368; font-size: 15pt; padding: 24px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.list)
        self.preview = PreviewPane()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([330, 600, 470])

        central = QWidget()
        lay = QVBoxLayout(central)
        lay.addWidget(self.search_bar)
        lay.addWidget(self.banner)
        lay.addWidget(self.legend)
        lay.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.counts = QLabel("")
        self.statusBar().addPermanentWidget(self.counts)
        for key in ("Ctrl+K", "Ctrl+F"):
            QShortcut(QKeySequence(key), self, activated=self.focus_search)
        QShortcut(
            QKeySequence("Down"),
            self.search_bar.field,
            activated=self.focus_results,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        for key in ("Return", "Enter"):
            QShortcut(
                QKeySequence(key), self.list, activated=self.open_current, context=Qt.ShortcutContext.WidgetShortcut
            )
        self.open_action = QAction("Open", self, triggered=self.open_current)
        self.reveal_action = QAction(
            "Open containing folder", self, triggered=lambda: self._with_hit(lambda h: opener.open_folder(h.path))
        )
        self.copy_action = QAction(
            "Copy path", self, triggered=lambda: self._with_hit(lambda h: opener.copy_path(h.path))
        )
        self.resize(*first_size(self.screen().availableGeometry().size() if self.screen() else None))
        self.update_empty_state()

    def _connect(self) -> None:
        c = self.controller
        self.search_bar.search.connect(self.run_search)
        self.search_bar.settingsRequested.connect(self.open_settings)
        self.folders.addRequested.connect(self.choose_folder)
        self.folders.removeRequested.connect(self.confirm_remove)
        self.folders.failedRequested.connect(self.show_failed)
        self.progress_panel.pause_btn.clicked.connect(lambda: c.resume() if c.is_paused else c.pause())
        self.progress_panel.cancel_btn.clicked.connect(c.cancel)
        self.banner.action.clicked.connect(self._banner_action)
        self.list.selectionModel().currentChanged.connect(lambda cur, _prev: self._selected(cur.row()))
        self.list.doubleClicked.connect(lambda _i: self.open_current())
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.preview.openRequested.connect(lambda h: opener.open_file(h.path, h.page))
        self.preview.folderRequested.connect(lambda h: opener.open_folder(h.path))
        self.preview.copyRequested.connect(lambda h: opener.copy_path(h.path))
        c.progress.connect(self._progress)
        c.runStarted.connect(lambda job: self.progress_panel.started(job, c.is_paused))
        c.runFinished.connect(self._run_finished)
        c.pausedChanged.connect(self.progress_panel.set_paused)
        c.foldersChanged.connect(self._folders_changed)
        c.statusChanged.connect(self._status_changed)
        c.results.connect(self._results)
        c.sentences.connect(self._sentences)
        c.preview.connect(self._preview_ready)
        c.modelLoading.connect(
            lambda name: self.banner.show_info(
                f"Loading the language model ({name})… keyword search works meanwhile; "
                "matches by meaning appear when it is ready.",
                key="model",
            )
        )
        c.modelDownloading.connect(self._model_downloading)
        c.modelLoaded.connect(self._model_loaded)
        c.modelFailed.connect(
            lambda name, msg: self.banner.show_error(
                f"Search by meaning is unavailable: {msg} Keyword search still works.", key="model", action="Settings…"
            )
        )

    def _model_downloading(self, name: str, done: int, total: int) -> None:
        amount = f"{done / total:.0%} of {total / 1e6:.0f} MB" if total else f"{done / 1e6:.0f} MB"
        self.banner.show_info(
            f"Downloading the language model ({name}) for the first time: {amount}. "
            "Keyword search works meanwhile; afterwards it works offline.",
            key="model",
        )

    def start(self) -> None:
        """Heavy work begins only now, after the window is on screen."""
        self.focus_search()
        self.controller.start()

    # -- search -----------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_bar.field.setFocus()
        self.search_bar.field.selectAll()

    def focus_results(self) -> None:
        if self.results.rowCount():
            self.list.setFocus()
            if not self.list.currentIndex().isValid():
                self.list.setCurrentIndex(self.results.index(0))

    def run_search(self, query: str) -> None:
        self._query = query
        self._seq += 1
        if not query:
            self.results.set_hits([])
            self.preview.clear()
            self.update_empty_state()
            return
        self.controller.search(self._seq, query, self.search_bar.filters())

    def _results(self, seq: int, hits: list[Hit], note: str) -> None:
        if seq != self._seq:
            return
        self._note = note
        self.results.set_hits(hits)
        if note.startswith("error:"):
            self.banner.show_error(note[6:].strip(), key="search")
        if hits:
            self.list.setCurrentIndex(self.results.index(0))
        else:
            self.preview.clear()
        self.update_empty_state()

    def _sentences(self, seq: int, spans: dict) -> None:
        if seq != self._seq:
            return
        self.results.set_sentences(spans)
        shown = self._preview_hit
        # Repaint the preview only when its hit's best sentence changed (a page of sentences usually
        # brings the same None the hit already has; a repaint re-lays out the whole document).
        if (
            shown is not None
            and self.preview.hit is shown
            and spans.get(shown.passage_id, shown.sentence_span) != shown.sentence_span
        ):
            self._preview_hit = replace(shown, sentence_span=spans[shown.passage_id])
            self.preview.show_hit(self._preview_hit, self.preview.document)

    def update_empty_state(self) -> None:
        if self.results.rowCount():
            self.stack.setCurrentWidget(self.list)
            return
        c = self.controller
        if not c.known_folders() and c.running is None:
            text = (
                "<b>Drag a folder here to search it.</b><br><br>Or use <i>Add folder…</i> on the left. "
                "Everything stays on this computer."
            )
        elif not self._query:
            text = "Type what you are looking for, in your own words."
        elif self._note == "no-index":
            text = "Nothing is indexed yet — the first files appear here as soon as they are read."
        else:
            text = f"No passages match <b>{_escape(self._query)}</b>."
            if self._note == KEYWORD_ONLY:
                text += "<br><br>The language model is still loading: only exact words are searched so far."
            elif self._note == "model-mismatch":
                text += "<br><br>The index was built with another model: only exact words are searched."
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)

    def _selected(self, row: int) -> None:
        hit = self.results.hit(row)
        if hit is None:
            return
        self._preview_seq += 1
        self.preview.show_hit(hit, None)  # the passage at once; the whole document follows
        self.controller.request_preview(self._preview_seq, hit.doc_id)
        self._preview_hit = hit

    def _preview_ready(self, seq: int, text: str | None) -> None:
        if seq == self._preview_seq and text is not None:
            self.preview.show_hit(self._preview_hit, text)

    def current_hit(self) -> Hit | None:
        idx = self.list.currentIndex()
        hit = idx.data(HitRole) if idx.isValid() else None
        return hit if isinstance(hit, Hit) else None

    def _with_hit(self, fn) -> None:  # type: ignore[no-untyped-def]
        hit = self.current_hit()
        if hit is not None:
            fn(hit)

    def open_current(self) -> None:
        self._with_hit(lambda h: opener.open_file(h.path, h.page))

    def _context_menu(self, pos: QPoint) -> None:
        idx = self.list.indexAt(pos)
        if not idx.isValid():
            return
        self.list.setCurrentIndex(idx)
        menu = QMenu(self)
        menu.addActions([self.open_action, self.reveal_action, self.copy_action])
        menu.exec(self.list.viewport().mapToGlobal(pos))

    # -- folders and indexing ---------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        folders, problems = classify_drop(list(event.mimeData().urls()))
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
        folder = QFileDialog.getExistingDirectory(self, "Add a folder to search")
        if folder:
            self.add_folders([folder])

    def confirm_remove(self, path: str) -> None:
        row = next((r for r in self.folders.rows if r.path == path), None)
        detail = f"its {row.files} files and {row.passages} passages" if row else "its data"
        answer = QMessageBox.question(
            self,
            "Remove folder",
            f"Forget {path}?\n\nThis removes {detail} from the index. The files themselves are not touched.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.remove_folder(path)

    def show_failed(self, folder: str | None) -> None:
        FailedFilesDialog(self.controller.failed_files(folder), folder, self).exec()

    def _progress(self, p: Progress) -> None:
        self.progress_panel.show_progress(p, self.controller.is_paused)

    def _run_finished(self, result: JobResult) -> None:
        self.progress_panel.finished(result)
        if result.status == "failed":
            action = "Re-embed" if "was built with model" in result.message else None
            self.banner.show_error(result.message, key="index", action=action)
        elif isinstance(result.job, IndexJob) and result.status == "done":
            self.banner.clear("index")
        if self._query:
            self.run_search(self._query)  # new passages and vectors are committed now

    def _folders_changed(self, rows) -> None:  # type: ignore[no-untyped-def]
        self.folders.set_rows(rows)
        self.search_bar.set_folders([r.path for r in rows])
        self.update_empty_state()

    def _status_changed(self, st) -> None:  # type: ignore[no-untyped-def]
        files = sum(f.files - f.failed for f in st.folders)
        switching = f" · switching to {os.path.basename(st.staged_model)}" if st.staged_model else ""
        self.counts.setText(f"{files:,} files · {st.passages:,} passages · {st.embedded:,} with vectors{switching}")

    def _model_loaded(self, _name: str) -> None:
        self.banner.clear("model")
        if self._query:
            self.run_search(self._query)

    def _banner_action(self) -> None:
        if self.banner.key == "model":
            self.open_settings()
        elif self.banner.key == "index":
            self.banner.clear("index")
            self.controller.reindex_all(reembed=True)

    # -- settings ---------------------------------------------------------------------------------

    def open_settings(self) -> None:
        c = self.controller
        dlg = SettingsDialog(c.prefs, str(c.data_dir), self)
        if dlg.exec() != SettingsDialog.DialogCode.Accepted:
            return
        new = dlg.prefs()
        if new.model != c.prefs.model:
            answer = QMessageBox.question(
                self,
                "Change model",
                f"Switching to {new.model} re-embeds every passage in the background. "
                "Until it is done, search keeps answering from the current index "
                "with the current model (files added meanwhile are found by their "
                "words); then the new model takes over. Continue?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        c.apply_prefs(new)

    # -- window state -----------------------------------------------------------------------------

    def _restore(self) -> None:
        qs = self.qsettings
        geo = qs.value("window/geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        split = qs.value("window/splitter")
        if split is not None:
            self.splitter.restoreState(split)

    def save_state(self) -> None:
        self.qsettings.setValue("window/geometry", self.saveGeometry())
        self.qsettings.setValue("window/splitter", self.splitter.saveState())
        self.qsettings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.save_state()
        self.controller.shutdown()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def first_size(available: object | None) -> tuple[int, int]:
    """The window's size before any saved geometry: roomy, but never larger than the screen (a 1280x800
    laptop must see the whole window)."""
    width, height = 1400, 860
    if available is not None:
        width = min(width, int(available.width() * 0.92))  # type: ignore[attr-defined]
        height = min(height, int(available.height() * 0.92))  # type: ignore[attr-defined]
    return max(width, 800), max(height, 560)

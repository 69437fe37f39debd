"""Indexing progress (bar, current file, rate, ETA, pause/resume/cancel) and the message banner."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from ..core.config import Settings
from ..core.jobs import IndexJob, JobResult, JobState
from ..core.library import LibraryStatus
from ..core.run_records import IndexSummary, Progress
from .switch_words import reembed_words
from .wrap_label import WrapLabel


def eta_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"about {max(1, round(seconds))} s left"
    if seconds < 3600:
        return f"about {round(seconds / 60)} min left"
    return f"about {seconds / 3600:.1f} h left"


def describe(p: Progress, reembed: str = "") -> tuple[str, int, int]:
    """(label, value, maximum) for a progress snapshot; maximum 0 means 'busy'. `reembed`: what a
    re-embed is for (switch_words.py: 'with late chunking', 'with MODEL'), "" when not known."""
    if p.phase == "scan":
        return (f"Looking for files… {p.files_total:,} found" if p.files_total else "Looking for files…"), 0, 0
    if p.phase == "extract":
        name = os.path.basename(p.current)
        failed = f" · {p.failed} failed" if p.failed else ""
        if p.task == "ocr":  # the pass after every other file (core/indexing/ocr.py): why the index is still busy
            return (
                f"Reading scanned pages (OCR) {p.files_done:,} / {p.files_total:,} files{failed}\n{name}",
                p.files_done,
                p.files_total,
            )
        return f"Reading files {p.files_done:,} / {p.files_total:,}{failed}\n{name}", p.files_done, p.files_total
    if p.phase == "embed":
        rate = f" · {p.passages_per_s:.0f} passages/s" if p.passages_per_s else ""
        eta = f" · {eta_text(p.eta_s)}" if p.eta_s is not None else ""
        counts = f"{p.passages_done:,} / {p.passages_total:,}"
        if p.task == "reembed":  # a line each in a narrow panel: what for, how far (the time left over the rate)
            text = (
                f"Re-embedding {reembed or 'every passage'}\n{counts}{eta}\nSearch answers as before until it is done."
            )
        else:
            text = f"Embedding passages {counts}{rate}{eta}"
        return text, p.passages_done, p.passages_total
    if p.phase == "save":
        return (
            ("Switching to the new vectors…" if p.task == "swap" else "Saving the vector index…"),
            0,
            0,
        )
    return "Done", 1, 1


def did_work(s: IndexSummary) -> bool:
    """Whether a run changed anything: read, failed, removed or embedded something."""
    return any((s.indexed, s.failed, s.removed, s.passages_added, s.passages_embedded, s.ocr_read))


def run_text(s: IndexSummary, worked: IndexSummary | None, *, vectors: bool = True) -> str:
    """The 'Last run' words for run `s`; `worked`: the last run before it that changed something;
    `vectors`: say how many passages were embedded (not for a keyword-only run). A run
    that only found everything unchanged (a second job for the same folder: one the settings listed at
    start and one named on the command line, a double drop, a watcher's burst) tells the earlier run's
    figures, not '0 files read, 2 unchanged' right after reading them."""
    shown = s if did_work(s) or worked is None else worked
    text = f"Last run: {shown.indexed:,} files read, {shown.unchanged:,} unchanged, {shown.failed:,} failed"
    if vectors:
        text += f", {shown.passages_embedded:,} passages embedded in {shown.seconds:.1f} s"
    return text if shown is s else f"{text}. Checked again since: nothing changed"


class ProgressPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = WrapLabel("Index up to date.")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.pause_btn = QPushButton("Pause")
        self.cancel_btn = QPushButton("Cancel")
        buttons = QHBoxLayout()
        buttons.addWidget(self.pause_btn)
        buttons.addWidget(self.cancel_btn)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addLayout(buttons)
        self.last: Progress | None = None
        self._settings: Settings | None = None  # the running index job's
        self._status = LibraryStatus()
        # The last run of this session that changed something, with what it ran over (data folder and
        # folders): a later run borrows its figures only when it ran over some of the same folders.
        self._worked: tuple[str, frozenset[str], IndexSummary] | None = None
        self._idle()

    def _idle(self) -> None:
        self.bar.hide()
        self.pause_btn.hide()
        self.cancel_btn.hide()

    def started(self, job: object, paused: bool) -> None:
        self.bar.show()
        self.pause_btn.show()
        self.cancel_btn.show()
        self.bar.setRange(0, 0)
        self._settings = job.settings if isinstance(job, IndexJob) else None
        what = "Removing a folder…" if not isinstance(job, IndexJob) else "Starting…"
        self.label.setText(what)
        self.set_paused(paused)

    def show_progress(self, p: Progress, paused: bool, status: LibraryStatus | None = None) -> None:
        """`status`: the index as last read, which says what a re-embed is for."""
        self.last = p
        self._status = status or self._status
        text, value, maximum = describe(p, reembed_words(self._status, self._settings) if p.task == "reembed" else "")
        self.bar.setRange(0, maximum)
        if maximum:
            self.bar.setValue(value)
        self.label.setText(("Paused — " if paused else "") + text)

    def set_paused(self, paused: bool) -> None:
        self.pause_btn.setText("Resume" if paused else "Pause")
        if self.last is not None and self.bar.isVisible():
            self.show_progress(self.last, paused)

    def finished(self, result: JobResult) -> None:
        self._idle()
        self.last = None
        s = result.summary
        if result.status == JobState.CANCELLED:
            self.label.setText("Indexing cancelled. What was read so far is kept and searchable.")
        elif result.status == JobState.FAILED:
            self.label.setText("Indexing stopped: see the message above.")
        elif isinstance(result.job, IndexJob):
            where, paths = str(result.job.settings.data_dir), frozenset(result.job.paths)
            w = self._worked
            earlier = w[2] if w is not None and w[0] == where and paths <= w[1] else None
            run = run_text(s, earlier, vectors=not result.keyword_only)
            if did_work(s):
                self._worked = (where, paths, s)
            if result.keyword_only:
                self.label.setText(f"Searchable by keyword. {run}. Search by meaning waits for the model.")
            else:
                self.label.setText(f"Up to date. {run}.")
        else:
            self.label.setText(f"removed {result.job.path} ({result.removed_files} files)")


class Banner(QFrame):
    """One line of news at the top (model loading, a refused drop, an error), with an optional action."""

    STYLES = {
        "info": "background:#e8f0fe; color:#174ea6; border-radius:4px;",
        "error": "background:#fce8e6; color:#a50e0e; border-radius:4px;",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.action = QPushButton()
        self.close_btn = QPushButton("✕")
        self.close_btn.setFlat(True)
        self.close_btn.setFixedWidth(28)
        self.close_btn.clicked.connect(lambda: self.clear(self.key))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 4, 4)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.action)
        lay.addWidget(self.close_btn)
        self.key = ""
        self.cleared: set[str] = set()  # keys once cleared: closed by the person, acted on, or resolved
        self.hide()

    def _show(self, kind: str, text: str, key: str, action: str | None) -> None:
        self.key = key
        self.setStyleSheet(f"QFrame {{{self.STYLES[kind]}}}")
        self.text.setText(text)
        self.action.setVisible(bool(action))
        self.action.setText(action or "")
        self.show()

    def show_info(self, text: str, key: str = "", action: str | None = None) -> None:
        self._show("info", text, key, action)

    def show_error(self, text: str, key: str = "", action: str | None = None) -> None:
        self._show("error", text, key, action)

    def clear(self, *keys: str) -> None:
        if self.key in keys:
            self.cleared.add(self.key)
            self.key = ""
            self.hide()

    # -- news about the model ---------------------------------------------------------------------

    def model_loading(self, name: str, *, served: bool = False) -> None:
        what = f"Asking the embedding server for {name}…" if served else f"Loading the language model ({name})…"
        self.show_info(
            f"{what} keyword search works meanwhile; matches by meaning appear when it is ready.", key="model"
        )

    def model_downloading(self, name: str, done: int, total: int) -> None:
        amount = f"{done / total:.0%} of {total / 1e6:.0f} MB" if total else f"{done / 1e6:.0f} MB"
        self.show_info(
            f"Downloading the language model ({name}) for the first time: {amount}. "
            "Keyword search works meanwhile; afterwards it works offline.",
            key="model",
        )

    def model_mismatch(self, recorded: str, chosen: str, *, by_env: bool) -> None:
        """The index's vectors are another model's than the one in use (a model named by $JINASEARCH_MODEL,
        a model folder that moved): the results alone do not show it. Shown again after another banner
        took its place, until the person closes it or asks for the re-embed."""
        if "mismatch" in self.cleared:
            return
        where = " (named by $JINASEARCH_MODEL)" if by_env else ""
        self.show_info(
            f"The index was built with {recorded}, but the app now uses {chosen}{where}, so search by meaning "
            "is off: only exact words are searched. Re-embed every passage with the model in use (this takes a "
            "while; search keeps working meanwhile), or choose the index's model in Settings.",
            key="mismatch",  # its action re-embeds (MainWindow._banner_action)
            action="Re-embed",
        )

    def model_failed(self, _name: str, msg: str) -> None:
        end = "" if msg.endswith((".", "?", "!")) else "."  # the server's messages are clauses
        self.show_error(
            f"Search by meaning is unavailable: {msg}{end} Keyword search still works.", key="model", action="Settings…"
        )

"""Small helpers of the main window: what a drop adds, how a failure reads, the status counts, the
window's size and layout between runs."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtWidgets import QSplitter, QWidget

from ..core.config import ENV_MODEL
from ..core.errors import JinaSearchError, ModelMismatchError, RecipeUnsupportedError
from ..core.jobs import IndexJob
from ..core.library import LibraryStatus
from .recipe_box import LATE_LABEL
from .switch_words import reembed_words

if TYPE_CHECKING:
    from .controller import Controller
    from .progress import Banner

# The line above the results that says what the colours and labels mean.
LEGEND = (
    "Why it matched:  <span style='background:#ffb74d;color:#3e2000'><b>&nbsp;query words&nbsp;</b></span>"
    "&nbsp;&nbsp;<span style='background:#fff3b0'>&nbsp;sentence closest in meaning&nbsp;</span>"
    "&nbsp;&nbsp; found by: <span style='color:#1565c0'><b>keyword</b></span> · "
    "<span style='color:#7b1fa2'><b>semantic</b></span> · <span style='color:#2e7d32'><b>both</b></span>"
)


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


def failure_text(exc: Exception | None) -> str:
    """A failed job's error as a person reads it (our own errors already are, but for the command line's
    options some name; others get their type)."""
    if isinstance(exc, RecipeUnsupportedError):
        return (
            "Late chunking needs the model's vector of every token, and this model does not give them (a model "
            f"on an embedding server never does). Untick “{LATE_LABEL}” in the settings; search keeps answering "
            "with the index as it is."
        )
    if exc is None or isinstance(exc, JinaSearchError):
        return str(exc or "")
    return f"unexpected error: {type(exc).__name__}: {exc}"


def failure_banner(exc: Exception | None) -> tuple[str, str, str | None]:
    """The banner for a failed job: text, key (what its button does, MainWindow._banner_action), button."""
    if isinstance(exc, RecipeUnsupportedError):
        return failure_text(exc), "settings", "Settings…"
    return failure_text(exc), "index", None


def say_failure(banner: Banner, controller: Controller, exc: Exception | None) -> None:
    """A failed job in the banner; a run refused for another model's index says what search says of it."""
    if isinstance(exc, ModelMismatchError):
        say_mismatch(banner, controller, exc.recorded)
    else:
        banner.show_error(*failure_banner(exc))


def say_mismatch(banner: Banner, controller: Controller, recorded: str | None = None) -> None:
    """The index is another model's (`recorded`, else the last status read's): which one, which is in
    use, and the way out, unless the re-embed to the one in use is already running."""
    job = controller.running
    if isinstance(job, IndexJob) and job.reembed:
        return
    chosen = controller.prefs.embed_model
    recorded = recorded or controller.status.model or "another model"
    banner.model_mismatch(recorded, chosen, by_env=os.environ.get(ENV_MODEL) == chosen)


def first_size(available: object | None) -> tuple[int, int]:
    """The window's size before any saved geometry: roomy, but never larger than the screen (a 1280x800
    laptop must see the whole window)."""
    width, height = 1400, 860
    if available is not None:
        width = min(width, int(available.width() * 0.92))  # type: ignore[attr-defined]
        height = min(height, int(available.height() * 0.92))  # type: ignore[attr-defined]
    return max(width, 800), max(height, 560)


def counts_text(st: LibraryStatus) -> str:
    """The status bar's counts: files searchable, passages, those with vectors, those found by their words
    only by choice (core/indexing/budget.py: not waiting for anything), a re-embed under way (another
    model, late chunking or both)."""
    files = sum(f.files - f.failed for f in st.folders)
    switching = f" · re-embedding {reembed_words(st) or 'every passage'}" if st.switch is not None else ""
    words = f" · {st.keyword_only:,} by words only (data, long files)" if st.keyword_only else ""
    names = f"{files:,} file{'' if files == 1 else 's'} · {st.passages:,} passage{'' if st.passages == 1 else 's'}"
    return f"{names} · {st.embedded:,} with vectors{words}{switching}"


def restore_layout(qs: QSettings, window: QWidget, splitter: QSplitter) -> None:
    geo = qs.value("window/geometry")
    if geo is not None:
        window.restoreGeometry(geo)  # type: ignore[arg-type]
    split = qs.value("window/splitter")
    if split is not None:
        splitter.restoreState(split)  # type: ignore[arg-type]


def save_layout(qs: QSettings, window: QWidget, splitter: QSplitter) -> None:
    qs.setValue("window/geometry", window.saveGeometry())
    qs.setValue("window/splitter", splitter.saveState())
    qs.sync()

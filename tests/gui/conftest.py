"""GUI fixtures: an isolated window (own QSettings file, data dir, fake model) and a thread-leak check."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QCoreApplication, QEvent, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from jinasearch.gui.threads import running_threads  # noqa: E402
from jinasearch.gui.window import MainWindow  # noqa: E402
from tests.fakes import FakeEmbedder  # noqa: E402


@pytest.fixture(autouse=True)
def no_threads_left() -> Iterator[None]:
    """Fail any test that leaves one of our QThreads (or the model, watch, embedding or extraction-dispatch
    threads: every plain thread we start is named jinasearch-…) running."""
    yield
    left = running_threads()
    left += [t.name for t in threading.enumerate() if t.name.startswith("jinasearch-") and t.is_alive()]
    assert left == [], f"threads still running after the test: {left}"


@pytest.fixture(autouse=True)
def delete_qt_leftovers() -> Iterator[None]:
    """Delete what a test leaves of Qt on the GUI thread, now: pytest-qt's deleteLater of the test's widgets
    is never run by the bare processEvents between tests, and a window's parentless QObjects (its Controller,
    the workers) wait for Python's cycle collector, which may run on any thread, tests later. A window freed
    on another thread corrupts Qt's state: the full suite crashed in pytest-qt's processEvents before a
    non-GUI test, long after the GUI tests had run."""
    yield  # torn down last (autouse, set up first): after make_window's shutdown and pytest-qt's close
    for w in QApplication.topLevelWidgets():
        if w.parent() is not None:  # a menu or popup: deleted with its window
            continue
        w.close()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()  # the wrappers' cycles, on this thread: what they own is deleted here, not on a worker
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, tmp_path: Path, qsettings: QSettings, monkeypatch) -> Iterator[Callable[..., MainWindow]]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JINASEARCH_MODEL", "fake-embedder")
    for name in ("JINASEARCH_SERVER", "JINASEARCH_API"):  # a developer's own server stays out of the tests
        monkeypatch.delenv(name, raising=False)
    windows: list[MainWindow] = []

    def make(
        *,
        embedder=None,
        factory=None,
        watch: bool = False,
        start: bool = True,  # type: ignore[no-untyped-def]
        debounce_s: float = 0.2,
    ) -> MainWindow:
        emb = embedder or FakeEmbedder()
        w = MainWindow(
            qsettings,
            tmp_path / "data",
            embedder_factory=factory or (lambda _name, _device: emb),
            watch=watch,
            debounce_s=debounce_s,
        )
        qtbot.addWidget(w)
        windows.append(w)
        w.show()
        if start:
            with qtbot.waitSignal(w.controller.modelLoaded, timeout=10_000):
                w.start()
        return w

    yield make
    for w in windows:
        w.shutdown()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A small folder with distinct topics, a failing file and a nested folder."""
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    (root / "garden.txt").write_text(
        "Tomatoes need full sun and regular watering. Prune the side shoots every week.\n\n"
        "Compost improves heavy clay soil and feeds the plants slowly.",
        encoding="utf-8",
    )
    (root / "invoice.md").write_text(
        "# Invoice INV-2043\n\nPayment is due within thirty days. Late payments incur a fee of two percent.",
        encoding="utf-8",
    )
    (root / "sub" / "travel.txt").write_text(
        "The train to Lisbon leaves at nine. Bring your passport and a warm jacket for the evening.", encoding="utf-8"
    )
    (root / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    return root

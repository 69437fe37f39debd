"""Watched folders re-index on their own; settings and window layout survive a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from jinasearch.gui.dialogs import SettingsDialog
from jinasearch.gui.prefs import DEVICES, Prefs, load_prefs
from tests.gui.helpers import index_folder, search


def test_files_added_and_deleted_while_running_are_picked_up(qtbot, make_window, docs: Path) -> None:
    w = make_window(watch=True, debounce_s=0.2)
    index_folder(qtbot, w, docs)
    with qtbot.waitSignal(w.controller.runFinished, timeout=30_000) as done:
        (docs / "new.txt").write_text("The violin lesson moved to Thursday afternoon.", encoding="utf-8")
    assert done.args[0].summary.indexed == 1
    assert search(qtbot, w, "violin lesson")[0].path == str(docs / "new.txt")
    with qtbot.waitSignal(w.controller.runFinished, timeout=30_000) as done:
        (docs / "new.txt").unlink()
    assert done.args[0].summary.removed == 1
    assert all(h.path != str(docs / "new.txt") for h in search(qtbot, w, "violin lesson"))


def test_settings_dialog_round_trip_persists(qtbot, make_window, qsettings, monkeypatch) -> None:
    monkeypatch.delenv("JINASEARCH_MODEL")
    prefs = Prefs(
        model="/models/my-model", chunk_tokens=300, overlap_tokens=40, excludes=("*.log", "*/drafts/*"), device="cpu"
    )
    dlg = SettingsDialog(prefs, "/data")
    qtbot.addWidget(dlg)
    assert dlg.prefs() == prefs
    dlg.model.setCurrentIndex(1)  # Jina base
    assert dlg.prefs().model == "jinaai/jina-embeddings-v2-base-en"

    w = make_window()
    w.controller.apply_prefs(Prefs(model=w.controller.prefs.model, chunk_tokens=128, excludes=("*.log",)))
    assert load_prefs(qsettings).chunk_tokens == 128
    assert load_prefs(qsettings).excludes == ("*.log",)


def test_window_geometry_and_splitter_are_restored(qtbot, make_window) -> None:
    w = make_window(start=False)
    w.resize(w.minimumSizeHint().width() + 3, 555)  # the offscreen screen is small: stay inside it
    size = (w.width(), w.height())
    w.splitter.setSizes([150, 300, 220])
    sizes = w.splitter.sizes()
    w.shutdown()
    w2 = make_window(start=False)
    assert (w2.width(), w2.height()) == size
    assert w2.splitter.sizes() == sizes


def test_model_failure_shows_a_clear_message_and_keyword_search_still_works(qtbot, make_window, docs: Path) -> None:
    from jinasearch.core.errors import ModelUnavailableError
    from jinasearch.gui.window import MainWindow

    w = make_window()
    index_folder(qtbot, w, docs)
    w.shutdown()

    def offline(name: str, device: str):  # type: ignore[no-untyped-def]
        raise ModelUnavailableError(f"model '{name}' is not downloaded yet and could not be fetched.")

    w2 = MainWindow(w.qsettings, w.controller.data_dir, embedder_factory=offline, watch=False)
    qtbot.addWidget(w2)
    w2.show()
    try:
        with qtbot.waitSignal(w2.controller.modelFailed, timeout=10_000):
            w2.controller.load_model()
        assert w2.banner.isVisible() and "not downloaded yet" in w2.banner.text.text()
        assert "Keyword search still works" in w2.banner.text.text()
        hits = search(qtbot, w2, "invoice payment")
        assert hits and hits[0].sources == ("keyword",)
    finally:
        w2.shutdown()


def test_first_run_offline_still_indexes_for_keyword_search(qtbot, make_window, docs: Path) -> None:
    """No model could be had on the very first run: dropped folders still become searchable by keyword
    (before, the run failed and there was nothing to search)."""
    from jinasearch.core.errors import ModelUnavailableError

    def offline(name: str, device: str):  # type: ignore[no-untyped-def]
        raise ModelUnavailableError(f"model '{name}' is not downloaded yet and could not be fetched.")

    w = make_window(factory=offline, start=False)
    with qtbot.waitSignal(w.controller.modelFailed, timeout=10_000):
        w.start()
    result = index_folder(qtbot, w, docs)
    assert result.status == "done" and result.summary.indexed > 0
    hits = search(qtbot, w, "invoice payment")
    assert hits and hits[0].sources == ("keyword",)
    assert "Keyword search still works" in w.banner.text.text()
    assert w.where.model_line is not None and "(not available: words only)" in w.where.model_line.text()
    assert "Search by meaning waits for the model" in w.progress_panel.label.text()
    # Both folders say what search by meaning misses, `docs` too although it holds a failing file
    # (its failure stays in the Failed column).
    clean = docs.parent / "clean"
    clean.mkdir()
    (clean / "note.txt").write_text("The boiler service is booked for Tuesday.", encoding="utf-8")
    index_folder(qtbot, w, clean)
    qtbot.waitUntil(
        lambda: (
            {r.path: (r.state, r.failed) for r in w.controller.folder_rows()}
            == {str(docs): ("keyword only", 1), str(clean): ("keyword only", 0)}
        ),
        timeout=10_000,
    )


def test_a_first_download_does_not_hold_keyword_search_back(qtbot, make_window, docs: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """While the model downloads, a dropped folder is indexed for keyword search at once; when the
    download is done the app runs again and the passages get their vectors."""
    import threading

    from jinasearch.gui import model as model_mod
    from tests.fakes import FakeEmbedder

    release = threading.Event()

    def downloading(name: str, device: str, on_progress=None):  # type: ignore[no-untyped-def]
        on_progress(1_000, 50_000_000)  # the first bytes of a long download
        release.wait(30)
        return FakeEmbedder()

    # The loader reports download progress for its default factory only: stand in for that one.
    monkeypatch.setattr(model_mod, "default_factory", downloading)
    w = make_window(factory=downloading, start=False)
    try:
        with qtbot.waitSignal(w.controller.modelDownloading, timeout=10_000):
            w.start()
        result = index_folder(qtbot, w, docs)
        assert result.status == "done" and result.summary.indexed > 0 and result.summary.passages_embedded == 0
        hits = search(qtbot, w, "invoice payment")
        assert hits and hits[0].sources == ("keyword",)
        with qtbot.waitSignal(w.controller.runFinished, timeout=30_000) as blocker:
            release.set()
        assert blocker.args[0].status == "done"
        w.controller.refresh_status()
        qtbot.waitUntil(lambda: w.controller.status.embedded == w.controller.status.passages > 0, timeout=10_000)
        qtbot.waitUntil(lambda: [f.pending for f in w.controller.status.folders] == [0], timeout=10_000)
    finally:
        release.set()


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU")
def test_settings_offer_only_devices_this_machine_has(qtbot) -> None:  # type: ignore[no-untyped-def]
    """On the CPU build, cuda is greyed out with the reason, and a saved 'cuda' opens as auto."""
    dlg = SettingsDialog(Prefs(device="cuda"), "/data")
    qtbot.addWidget(dlg)
    item = dlg.device.model().item(DEVICES.index("cuda"))
    assert not item.isEnabled() and "CUDA" in item.toolTip()
    assert dlg.device.model().item(DEVICES.index("cpu")).isEnabled()
    assert dlg.prefs().device == "auto"

"""The folder panel: names cut in the middle (the folder's own name stays), an empty file is skipped not an
error, and the model in use with where it runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from jinasearch.core.jobs import FolderState
from jinasearch.gui.prefs import Prefs
from jinasearch.gui.status_where import WhereLabel
from tests.gui.helpers import folder_state, index_folder


def test_a_long_folder_name_is_cut_in_the_middle_so_its_end_stays(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "Quarterly reports and board minutes 2019-2024 final"
    folder.mkdir()
    (folder / "a.txt").write_text("Board minutes of the spring meeting.", encoding="utf-8")
    w = make_window()
    index_folder(qtbot, w, folder)
    tree = w.folders.tree
    assert tree.textElideMode() == Qt.TextElideMode.ElideMiddle
    item = tree.topLevelItem(0)
    assert item.text(0) == folder.name and item.toolTip(0) == str(folder)
    shown = QFontMetrics(tree.font()).elidedText(item.text(0), tree.textElideMode(), tree.columnWidth(0) - 8)
    assert shown != folder.name and shown.startswith("Quarter") and shown.endswith("final")


def test_a_folder_holding_only_an_empty_file_is_not_red(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "blank"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    w = make_window()
    index_folder(qtbot, w, folder)
    qtbot.waitUntil(lambda: bool(w.folders.rows) and w.folders.rows[0].skipped == 1, timeout=10_000)
    assert folder_state(w, str(folder)) == FolderState.UP_TO_DATE
    row = w.folders.rows[0]
    assert (row.failed, row.skipped) == (0, 1)
    assert w.folders.tree.topLevelItem(0).foreground(1).color().name() == "#2e7d32"  # green, not the errors red
    assert w.controller.skipped_files(str(folder))[0].rule == "empty"


def test_the_panel_names_the_model_and_where_it_runs(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    line = w.folders.model_line
    qtbot.waitUntil(lambda: "(loading)" not in line.text() and line.text() != "", timeout=10_000)
    assert line.text().startswith("Model: fake-embedder · on this computer") and line.isVisible()

    served = Prefs(where="server", server_url="http://127.0.0.1:11434", server_model="nomic-embed-text", api="ollama")
    label = WhereLabel(model_line=line)
    label.show_for(served)
    assert line.text() == "Model: nomic-embed-text (loading) · on 127.0.0.1:11434 (Ollama)"
    label.show_for(Prefs(model="/models/my-minilm", device="cpu"))
    assert line.text() == "Model: models/my-minilm (loading) · on this computer (cpu)"
    assert "/models/my-minilm" in line.toolTip()

"""The folder panel lists what the built-in rules skipped, with the rule; a setting switches the rules off."""

from __future__ import annotations

from pathlib import Path

from jinasearch.gui.dialogs import SettingsDialog, SkippedDialog
from jinasearch.gui.prefs import Prefs, load_prefs
from tests.gui.helpers import index_folder


def with_junk(docs: Path) -> Path:
    (docs / "node_modules" / "pkg").mkdir(parents=True)
    (docs / "node_modules" / "pkg" / "readme.md").write_text("Left padding for strings.", encoding="utf-8")
    (docs / "env").mkdir()  # a person's own folder called env: no pyvenv.cfg, so it is indexed
    (docs / "env" / "kiln.txt").write_text("The kiln reaches cone six by midnight.", encoding="utf-8")
    return docs


def test_the_skipped_list_shows_each_folder_with_its_rule(qtbot, make_window, docs: Path, monkeypatch) -> None:
    shown: list[SkippedDialog] = []
    monkeypatch.setattr(SkippedDialog, "exec", lambda self: shown.append(self) or 0)
    w = make_window()
    index_folder(qtbot, w, with_junk(docs))
    # The counts follow the run; wait for the status read after its end (env/kiln.txt among the files).
    qtbot.waitUntil(lambda: any(r.path == str(docs) and r.files == 5 for r in w.folders.rows), timeout=10_000)
    row = next(r for r in w.folders.rows if r.path == str(docs))
    assert row.skipped == 1 and w.folders.skipped_btn.isEnabled()
    assert w.folders.tree.topLevelItem(0).text(5) == "1"
    w.folders.skipped_btn.click()
    table = shown[0].table
    assert table.rowCount() == 1
    assert table.item(0, 0).text() == str(docs / "node_modules")
    assert table.item(0, 1).text().startswith("node_modules: folders named node_modules")


def test_the_setting_round_trips_and_switching_it_off_indexes_what_was_skipped(
    qtbot, make_window, qsettings, docs: Path
) -> None:  # type: ignore[no-untyped-def]
    prefs = Prefs(default_excludes=False)
    dlg = SettingsDialog(prefs, "/data")
    qtbot.addWidget(dlg)
    assert not dlg.default_excludes.isChecked() and dlg.prefs() == prefs

    w = make_window()
    index_folder(qtbot, w, with_junk(docs))
    c = w.controller
    with qtbot.waitSignal(c.runFinished, timeout=30_000) as done:
        c.apply_prefs(Prefs(model=c.prefs.model, default_excludes=False))
    assert done.args[0].summary.indexed == 1  # node_modules/pkg/readme.md
    assert load_prefs(qsettings).default_excludes is False
    qtbot.waitUntil(lambda: not w.folders.skipped_btn.isEnabled(), timeout=10_000)
    assert c.skipped_files() == []

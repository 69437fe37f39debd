"""The folder panel's "also search data files by meaning" switch, the counts it shows, and the cap setting."""

from __future__ import annotations

from pathlib import Path

from jinasearch.gui.dialogs import SettingsDialog
from jinasearch.gui.prefs import Prefs, load_prefs, save_prefs
from jinasearch.gui.window_helpers import counts_text
from tests.core.datafiles import write_log
from tests.gui.helpers import index_folder


def test_a_folders_log_is_found_by_words_until_the_switch_embeds_it(qtbot, make_window, docs: Path) -> None:
    write_log(docs / "server.log", 0.03)
    w = make_window()
    index_folder(qtbot, w, docs)
    qtbot.waitUntil(lambda: any(r.data_files == 1 for r in w.folders.rows), timeout=10_000)
    row = next(r for r in w.folders.rows if r.path == str(docs))
    assert row.keyword_only > 0 and not row.embed_data
    assert "by words only" in counts_text(w.controller.status)
    w.folders.tree.topLevelItem(0).setSelected(True)
    switch = w.folders.embed_data
    assert switch.isEnabled() and not switch.isChecked()
    assert (
        w.folders.data_note.text()
        == f"1 data file (logs, tables, dumps): {row.keyword_only:,} passages found by their words only."
    )
    assert "by their words only" in w.folders.tree.topLevelItem(0).toolTip(3)
    with qtbot.waitSignal(w.controller.runFinished, timeout=30_000) as done:
        switch.click()
    assert done.args[0].summary.passages_embedded == row.keyword_only
    qtbot.waitUntil(lambda: any(r.embed_data and r.keyword_only == 0 for r in w.folders.rows), timeout=10_000)
    assert w.folders.embed_data.isChecked() and w.folders.data_note.isHidden()
    assert "by words only" not in counts_text(w.controller.status)


def test_the_cap_setting_round_trips_with_no_limit_as_zero(qtbot, qsettings) -> None:
    for cap in (500, None):
        prefs = Prefs(embed_cap=cap)
        dlg = SettingsDialog(prefs, "/data")
        qtbot.addWidget(dlg)
        assert dlg.prefs().embed_cap == cap
        save_prefs(qsettings, prefs)
        assert load_prefs(qsettings).embed_cap == cap
        assert prefs.settings(Path("/data")).embed_cap == cap
    assert dlg.embed_cap.text() == "no limit"


def test_the_status_bar_counts_one_file_in_the_singular() -> None:
    from jinasearch.core.library import LibraryStatus
    from jinasearch.core.run_records import FolderStats

    one = LibraryStatus(folders=(FolderStats(1, "/d", files=1, failed=0, passages=1),), passages=1, embedded=1)
    assert counts_text(one).startswith("1 file · 1 passage · 1 with vectors")
    two = LibraryStatus(folders=(FolderStats(1, "/d", files=3, failed=1, passages=7),), passages=7, embedded=7)
    assert counts_text(two).startswith("2 files · 7 passages")

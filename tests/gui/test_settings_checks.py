"""Nothing is saved until every setting passes its check; the reason shows beside the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.gui.prefs import Prefs
from jinasearch.gui.settings_checks import problems
from jinasearch.gui.settings_dialog import SettingsDialog


def test_each_unusable_setting_has_its_reason(tmp_path: Path) -> None:
    assert problems(Prefs()) == {}
    assert "half the passage size (100 tokens)" in problems(Prefs(chunk_tokens=200, overlap_tokens=150))["overlap"]
    bad = problems(Prefs(excludes=("*.log", "drafts/", "notes/*.txt")))["excludes"].splitlines()
    assert len(bad) == 2 and "'drafts/'" in bad[0] and "*/notes/*.txt" in bad[1]
    assert "no folder" in problems(Prefs(model=str(tmp_path / "missing-model")))["model"]
    assert problems(Prefs(model=str(tmp_path))) == {}  # a folder that exists: the load says whether it is a model
    assert problems(Prefs(model="", where="server", server_url="http://127.0.0.1:9", server_model="m")) == {}


@pytest.fixture
def dialog(qtbot):  # type: ignore[no-untyped-def]
    dlg = SettingsDialog(Prefs(), "/data")
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_a_bad_exclusion_keeps_the_dialog_open_with_the_reason_beside_it(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.excludes.setPlainText("*.log\ndrafts/")
    dialog.accept()
    assert dialog.chosen is None and dialog.isVisible()
    note = dialog.errors["excludes"]
    assert note.isVisible() and "'drafts/' matches nothing" in note.text()
    dialog.excludes.setPlainText("*.log\ndrafts")  # mended: the reason goes as it is typed
    assert not note.isVisible()
    dialog.accept()
    assert dialog.chosen is not None and dialog.chosen.excludes == ("*.log", "drafts")


def test_an_overlap_over_half_the_passage_is_refused_not_quietly_cut(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.chunk.setValue(100)
    dialog.overlap.setValue(80)
    dialog.accept()
    assert dialog.chosen is None and "at most half".lower() in dialog.errors["overlap"].text().lower()
    dialog.overlap.setValue(50)
    assert not dialog.errors["overlap"].isVisible()
    dialog.accept()
    assert dialog.chosen is not None and dialog.chosen.overlap_tokens == 50


def test_a_model_folder_that_is_not_there_is_named(qtbot, dialog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog.model.setEditText(str(tmp_path / "nowhere"))
    dialog.accept()
    assert dialog.chosen is None and "There is no folder" in dialog.errors["model"].text()
    dialog.model.setEditText("")
    assert "Give a model" in dialog.errors["model"].text()

"""Late chunking in the app's settings: saved between runs, checked before saving, greyed out for a served
model, and a change runs a re-embed whose Settings carry the recipe (core/indexing/reembed.py stages it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from jinasearch.core.config import DEFAULT_LATE_WINDOW, Recipe, default_recipe
from jinasearch.core.library import LibraryStatus, SwitchStatus, read_status
from jinasearch.core.run_records import Progress
from jinasearch.gui.prefs import Prefs, load_prefs, save_prefs
from jinasearch.gui.progress import describe
from jinasearch.gui.settings_checks import problems
from jinasearch.gui.settings_dialog import SettingsDialog
from jinasearch.gui.switch_words import reembed_words
from jinasearch.gui.window_helpers import counts_text
from tests.gui.helpers import index_folder, search

LATE = Recipe(late=True, window=1024)


def test_the_recipe_round_trips_through_the_saved_settings(qsettings: QSettings) -> None:
    assert load_prefs(qsettings).recipe is None  # never chosen: the index's own recipe holds
    save_prefs(qsettings, Prefs(recipe=LATE))
    assert load_prefs(QSettings(qsettings.fileName(), QSettings.Format.IniFormat)).recipe == LATE
    bare = Recipe(late=True, window=1024, place_lines=False)
    save_prefs(qsettings, Prefs(recipe=bare))
    assert load_prefs(QSettings(qsettings.fileName(), QSettings.Format.IniFormat)).recipe == bare
    save_prefs(qsettings, Prefs(recipe=Recipe()))
    assert load_prefs(qsettings).recipe == Recipe()
    save_prefs(qsettings, Prefs(recipe=None))
    assert load_prefs(qsettings).recipe is None
    qsettings.setValue("late_chunking", "maybe")  # a hand-edited file: no choice, not a crash
    assert load_prefs(qsettings).recipe is None
    qsettings.setValue("late_chunking", "true")
    qsettings.setValue("late_window", "lots")
    assert load_prefs(qsettings).recipe == Recipe(late=True, window=DEFAULT_LATE_WINDOW)


def test_runs_ask_for_the_chosen_recipe_and_a_served_model_for_none_it_cannot_make(tmp_path: Path) -> None:
    assert Prefs(recipe=LATE).settings(tmp_path).recipe == LATE
    assert Prefs().settings(tmp_path).recipe is None
    served = Prefs(recipe=LATE, where="server", server_url="http://127.0.0.1:9", server_model="m")
    assert served.settings(tmp_path).recipe == Recipe()  # kept in the prefs for this computer's model
    assert served.recipe == LATE


def test_a_window_out_of_bounds_or_no_longer_than_a_passage_is_refused() -> None:
    assert problems(Prefs(recipe=LATE)) == {}
    assert "Between 64 and 8,192" in problems(Prefs(recipe=Recipe(late=True, window=32)))["late_window"]
    assert "Between 64 and 8,192" in problems(Prefs(recipe=Recipe(late=True, window=9000)))["late_window"]
    assert "Larger than the passage size" in problems(Prefs(chunk_tokens=200, recipe=Recipe(True, 200)))["late_window"]
    assert problems(Prefs(recipe=Recipe(late=False, window=32))) == {}  # no late chunking: the window is unused


@pytest.fixture
def dialog(qtbot):  # type: ignore[no-untyped-def]
    def make(prefs: Prefs | None = None, index: Recipe | None = None) -> SettingsDialog:
        dlg = SettingsDialog(prefs or Prefs(), "/data", index=index)
        qtbot.addWidget(dlg)
        dlg.show()
        return dlg

    return make


def test_the_box_shows_the_default_for_a_new_index_and_the_index_own_recipe_otherwise(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    fresh = dialog()
    assert fresh.recipe.late.isChecked() == default_recipe(fresh.prefs().model_key).late
    assert fresh.recipe.window.value() == DEFAULT_LATE_WINDOW
    assert fresh.recipe.cost.isVisible() and "re-embeds every passage" in fresh.recipe.cost.text()
    fresh.accept()
    assert fresh.chosen is not None and fresh.chosen.recipe is None  # untouched: nothing pinned

    made_late = dialog(index=LATE)
    assert made_late.recipe.late.isChecked() and made_late.recipe.window.value() == 1024
    assert made_late.recipe.place_lines.isChecked() and made_late.recipe.place_lines.isEnabled()
    made_late.recipe.place_lines.setChecked(False)
    assert made_late.recipe.chosen() == Recipe(late=True, window=1024, place_lines=False)
    made_late.recipe.place_lines.setChecked(True)
    made_late.recipe.late.setChecked(False)
    assert not made_late.recipe.window.isEnabled() and not made_late.recipe.place_lines.isEnabled()
    made_late.accept()
    assert made_late.chosen is not None and made_late.chosen.recipe == Recipe(late=False, window=1024)


def test_a_bad_window_keeps_the_dialog_open_with_the_reason_beside_it(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    dlg = dialog(Prefs(recipe=Recipe()))
    dlg.recipe.late.setChecked(True)
    dlg.recipe.window.setValue(32)
    dlg.accept()
    note = dlg.errors["late_window"]
    assert dlg.chosen is None and note.isVisible() and "Between 64" in note.text()
    dlg.recipe.window.setValue(1024)  # mended: the reason goes as it is typed
    assert not note.isVisible()
    dlg.accept()
    assert dlg.chosen is not None and dlg.chosen.recipe == LATE


def test_a_served_model_greys_the_box_out_with_the_reason_and_keeps_the_local_choice(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    dlg = dialog(Prefs(recipe=LATE))
    dlg.on_server.setChecked(True)
    box = dlg.recipe
    assert not box.late.isEnabled() and not box.late.isChecked() and not box.window.isEnabled()
    assert box.served_note.isVisible() and "embedding server" in box.served_note.text()
    assert dlg.prefs().recipe == LATE  # this computer's choice, for when the person comes back to it
    dlg.on_computer.setChecked(True)
    assert box.late.isEnabled() and box.late.isChecked() and not box.served_note.isVisible()


def test_the_progress_and_the_status_bar_say_what_a_re_embed_is_for() -> None:
    late_switch = LibraryStatus(model="m", recipe=Recipe(), switch=SwitchStatus("m", 0, 9, LATE))
    assert reembed_words(late_switch) == "with late chunking"
    off = LibraryStatus(model="m", recipe=LATE, switch=SwitchStatus("m", 0, 9, Recipe()))
    assert reembed_words(off) == "without late chunking"
    model_switch = LibraryStatus(model="m", recipe=Recipe(), switch=SwitchStatus("org/new-model", 0, 9, Recipe()))
    assert reembed_words(model_switch) == "with new-model"
    both = LibraryStatus(model="m", recipe=Recipe(), switch=SwitchStatus("org/new-model", 0, 9, LATE))
    assert reembed_words(both) == "with new-model and late chunking"
    step = Progress(phase="embed", task="reembed", passages_total=9, passages_done=3)
    label, *_ = describe(step, reembed_words(late_switch))
    assert label == "Re-embedding with late chunking\n3 / 9\nSearch answers as before until it is done."
    assert "re-embedding with late chunking" in counts_text(late_switch)
    assert "re-embedding with new-model" in counts_text(model_switch)


def test_before_the_status_catches_up_the_run_settings_say_it(tmp_path: Path) -> None:
    st = LibraryStatus(model="fake-embedder", recipe=Recipe())
    settings = Prefs(model="fake-embedder", recipe=LATE).settings(tmp_path)
    assert reembed_words(st, settings) == "with late chunking"
    assert reembed_words(st, Prefs(model="fake-embedder").settings(tmp_path)) == ""


def test_ticking_late_chunking_runs_a_job_whose_settings_ask_for_it(qtbot, make_window, docs: Path) -> None:  # type: ignore[no-untyped-def]
    """The fake model gives no token vectors: the run fails, and the banner says why in the app's words."""
    w = make_window()
    c = w.controller
    index_folder(qtbot, w, docs)
    with qtbot.waitSignal(c.runFinished, timeout=30_000) as done:
        c.apply_prefs(type(c.prefs)(model=c.prefs.model, recipe=LATE))
    result = done.args[0]
    assert result.job.settings.recipe == LATE and result.status == "failed"
    assert w.banner.isVisible() and w.banner.key == "settings" and w.banner.action.text() == "Settings…"
    assert "Late chunking needs the model's vector of every token" in w.banner.text.text()
    assert "--no-late-chunking" not in w.banner.text.text()  # the command line's option means nothing here
    assert read_status(c.settings).model == "fake-embedder"  # the index keeps answering as it was


@pytest.mark.model
def test_the_real_model_re_embeds_with_late_chunking_while_search_answers(
    qtbot, make_window, docs: Path, minilm, minilm_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JINASEARCH_MODEL", minilm_path)
    w = make_window(embedder=minilm)
    c = w.controller
    assert index_folder(qtbot, w, docs, timeout=120_000).status == "done"
    assert read_status(c.settings).recipe == Recipe()
    with qtbot.waitSignal(c.runFinished, timeout=120_000) as done:
        c.apply_prefs(type(c.prefs)(model=c.prefs.model, recipe=Recipe(late=True, window=512)))
    assert done.args[0].status == "done", done.args[0].error
    st = read_status(c.settings)
    assert st.recipe == Recipe(late=True, window=512) and st.switch is None and st.embedded == st.passages
    hits = search(qtbot, w, "what should I pack for my trip abroad", timeout=60_000)
    assert hits[0].path == str(docs / "sub" / "travel.txt") and "semantic" in hits[0].sources

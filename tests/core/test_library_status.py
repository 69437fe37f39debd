"""library.read_status carries how the index's vectors are made, and a re-embed's recipe, as typed fields."""

from __future__ import annotations

from pathlib import Path

from jinasearch.core.config import Recipe
from jinasearch.core.library import read_status
from jinasearch.core.store import Store
from jinasearch.core.store.staging import Staging
from tests.core.helpers import run_index, settings_for, write
from tests.fakes import FakeEmbedder


def test_the_recipe_and_a_staged_one_are_records_not_keys(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    assert read_status(settings).recipe is None  # no index yet
    write(tmp_path / "docs" / "volcano.txt", "Volcanoes erupt molten lava.")
    run_index(settings, [tmp_path / "docs"], FakeEmbedder())
    st = read_status(settings)
    assert st.recipe == Recipe() and st.switch is None and st.next_recipe == Recipe()
    store = Store(settings.db_path)
    try:
        store.set_recipe("late:2048")
        Staging(store).begin("fake-embedder", "late:512")
    finally:
        store.close()
    st = read_status(settings, switch_counts=True)
    assert st.recipe == Recipe(late=True, window=2048)
    assert st.switch is not None and st.switch.recipe == Recipe(late=True, window=512) and st.switch.remaining > 0
    assert st.next_recipe == Recipe(late=True, window=512)

"""What the built-in exclusion rules leave out is recorded per folder, replaced by each scan, and shown in status."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from jinasearch.core.library import read_status, remove_folder
from jinasearch.core.run_records import Skipped
from tests.core.helpers import run_index, settings_for, write
from tests.fakes import FakeEmbedder


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    write(root / "notes.txt", "The kiln reaches cone six by midnight.")
    write(root / "env" / "plan.txt", "The glaze recipe for the spring firing.")  # a user's folder, not a venv
    write(root / "node_modules" / "pkg" / "readme.md", "A package readme about left padding.")
    write(root / ".venv" / "pyvenv.cfg", "home = /usr/bin")
    return root


def test_status_lists_each_skip_with_its_rule_and_the_users_env_folder_is_indexed(tmp_path: Path) -> None:
    root = project(tmp_path)
    settings = settings_for(tmp_path)
    summary, _ = run_index(settings, [root], FakeEmbedder())
    assert summary.indexed == 2 and summary.excluded == 2
    st = read_status(settings)
    assert st.skipped == (
        Skipped(str(root / ".venv"), "hidden"),
        Skipped(str(root / "node_modules"), "node_modules"),
    )
    assert st.indexed == 2


def test_switching_the_rules_off_indexes_what_they_skipped_and_clears_the_list(tmp_path: Path) -> None:
    root = project(tmp_path)
    settings = settings_for(tmp_path)
    run_index(settings, [root], FakeEmbedder())
    summary, _ = run_index(replace(settings, default_excludes=False), [root], FakeEmbedder())
    assert summary.indexed == 2 and summary.excluded == 0  # the readme and .venv's pyvenv.cfg
    assert read_status(settings).indexed == 4
    assert read_status(settings).skipped == ()
    # Back on: the list returns and what it skips leaves the index.
    summary, _ = run_index(settings, [root], FakeEmbedder())
    assert summary.removed == 2 and len(read_status(settings).skipped) == 2


def test_removing_a_folder_forgets_its_skips(tmp_path: Path) -> None:
    root = project(tmp_path)
    settings = settings_for(tmp_path)
    run_index(settings, [root], FakeEmbedder())
    remove_folder(settings, str(root))
    assert read_status(settings).skipped == ()


def test_an_empty_file_is_listed_as_skipped_not_failed(tmp_path: Path) -> None:
    """An empty file is not an error (a folder with one must not stay red): skipped, with its reason,
    whatever the rules say; once it has text it is indexed."""
    root = tmp_path / "docs"
    write(root / "notes.txt", "The kiln reaches cone six by midnight.")
    write(root / "todo.md", "")
    settings = settings_for(tmp_path)
    for rules in (True, False):
        summary, _ = run_index(replace(settings, default_excludes=rules), [root], FakeEmbedder())
        st = read_status(settings)
        assert st.failed == () and st.folders[0].failed == 0
        assert st.skipped == (Skipped(str(root / "todo.md"), "empty"),)
    write(root / "todo.md", "Buy more glaze.")
    summary, _ = run_index(settings, [root], FakeEmbedder())
    assert summary.indexed == 1 and read_status(settings).skipped == ()

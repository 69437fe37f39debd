"""Exclusions changed while a run goes on reach it at its next file; the patterns a person types are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.control import Control
from jinasearch.core.exclusions import LiveExcludes, excluded_below, pattern_problem
from jinasearch.core.extract import READER_VERSION, default_runner
from jinasearch.core.indexer import Indexer
from jinasearch.core.store import Store
from tests.core.helpers import run_index, settings_for, write
from tests.fakes import FakeEmbedder


def test_excluded_below_matches_names_and_paths_under_the_root_only() -> None:
    assert excluded_below("/r/drafts/a.txt", "/r", ["drafts"])
    assert excluded_below("/r/x/a.log", "/r", ["*.log"])
    assert excluded_below("/r/x/drafts/b/a.txt", "/r", ["*/drafts/*"])
    assert not excluded_below("/drafts/r/a.txt", "/drafts/r", ["drafts"])  # the root itself is the person's choice
    assert not excluded_below("/r/a.txt", "/r", [])


@pytest.mark.parametrize(
    ("pattern", "why"),
    [("*", "every file"), ("drafts/", "trailing"), ("drafts/*.txt", "whole path"), ("[ab.txt", "unclosed")],
)
def test_patterns_that_would_not_do_what_they_seem_are_explained(pattern: str, why: str) -> None:
    problem = pattern_problem(pattern)
    assert problem is not None and why in problem


@pytest.mark.parametrize("pattern", ["*.log", "drafts", "*/drafts/*", "/home/me/private", "~$*", "[ab]*.txt"])
def test_ordinary_patterns_pass(pattern: str) -> None:
    assert pattern_problem(pattern) is None


def test_the_holder_starts_empty_and_takes_a_change() -> None:
    live = LiveExcludes()
    assert live.current() is None
    live.set(["*.log"])
    assert live.current() == ("*.log",)
    live.clear()
    assert live.current() is None


@pytest.mark.parametrize("runner", ["inline", "processes"])
def test_an_exclusion_set_mid_run_leaves_out_the_files_still_to_read(tmp_path: Path, runner: str) -> None:
    root = tmp_path / "docs"
    for i in range(12):
        write(root / f"a{i:02}.txt", f"Alpha note {i}: the harbour ferry leaves at nine.")
    for i in range(4):
        write(root / f"skip-{i}.txt", f"Skipped note {i}: the harbour ferry leaves at ten.")
    settings = settings_for(tmp_path)
    control = Control()
    indexer = Indexer(
        settings,
        embedder=FakeEmbedder(),
        control=control,
        runner=default_runner() if runner == "processes" else None,
    )
    outcome = None
    for progress in indexer.index([root]):
        if progress.phase == "extract" and control.excludes.current() is None:
            control.excludes.set(["skip-*"])  # as the app does when the person saves new exclusions
        outcome = progress.outcome or outcome
    assert outcome is not None and outcome.state == "done"
    store = Store(settings.db_path, readonly=True)
    try:
        paths = sorted(Path(p).name for p in store.documents_in(store.folders()[0].id))
    finally:
        store.close()
    assert paths == [f"a{i:02}.txt" for i in range(12)]
    assert outcome.summary.indexed == 12


@pytest.mark.parametrize("runner", ["inline", "processes"])
def test_an_exclusion_set_mid_run_holds_for_the_files_a_newer_reader_reads_again(tmp_path: Path, runner: str) -> None:
    root = tmp_path / "docs"
    for i in range(20):
        write(root / f"a{i:02}.txt", f"Alpha note {i}: the harbour ferry leaves at nine.")
    for i in range(4):
        write(root / f"skip-{i}.txt", f"Skipped note {i}: the harbour ferry leaves at ten.")
    settings = settings_for(tmp_path)
    run_index(settings, [root], FakeEmbedder())
    store = Store(settings.db_path)
    store.conn.execute("UPDATE documents SET reader = 0")  # as if an older extraction had read them all
    store.close()
    control = Control()
    # Set as the app does when the person saves new exclusions while this run goes on (nothing to read
    # but the stale files: the refresh is the run's first reading).
    control.excludes.set(["skip-*"])
    indexer = Indexer(
        settings, embedder=FakeEmbedder(), control=control, runner=default_runner() if runner == "processes" else None
    )
    done = [p.files_done for p in indexer.index([root]) if p.task == "refresh"]
    assert done and done[-1] == 20
    store = Store(settings.db_path, readonly=True)
    try:
        readers = dict(store.conn.execute("SELECT path, reader FROM documents").fetchall())
    finally:
        store.close()
    refreshed = sorted(Path(p).name for p, reader in readers.items() if reader == READER_VERSION)
    assert refreshed == [f"a{i:02}.txt" for i in range(20)]  # not read nor committed again

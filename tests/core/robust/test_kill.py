"""SIGKILL at any moment: the next start needs no manual step, resumes, and ends equal to a clean run."""

from __future__ import annotations

import random
import shutil
import signal
import time
from pathlib import Path

import pytest

from tests.core.store.check import check_at_rest, check_finished, passage_keys

from . import proc
from .files import make_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("kill") / "corpus", n_text=24)


@pytest.fixture(scope="module")
def clean(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("clean") / "data"
    proc.index(data, corpus)
    assert check_finished(proc.settings(data)) == []
    return data


def assert_resumes_to_clean(data: Path, corpus: Path, clean: Path) -> None:
    s = proc.settings(data)
    assert check_at_rest(s) == []
    committed = proc.committed_files(data, corpus)
    summary = proc.index(data, corpus).summary  # the next start, here in this process
    # Files committed before the kill are not extracted again; everything else is.
    assert summary.unchanged == committed
    assert summary.indexed + summary.failed == summary.scanned - committed
    assert check_finished(s) == []
    assert passage_keys(s) == passage_keys(proc.settings(clean))
    assert proc.top_results(data) == proc.top_results(clean)


@pytest.mark.parametrize("point", ["scan:3", "commit:7", "embed:2", "faiss"])
def test_killed_at_each_write_boundary(point: str, corpus: Path, clean: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    if point == "faiss":  # a finished index, then a change, then death between FAISS temp write and rename
        corpus = Path(shutil.copytree(corpus, tmp_path / "corpus"))
        proc.index(data, corpus)
        (corpus / "d0" / "note000.txt").write_text("Note 0 about volcano\n\nLava lava crater ash magma.")
        clean = tmp_path / "clean"
        proc.index(clean, corpus)
    # Sandboxed workers for one point (they must die with the indexer), in-process extraction for the rest.
    extra = () if point == "commit:7" else ("--inline",)
    p = proc.run_killed(data, corpus, "--kill-at", point, *extra)
    assert p.returncode == -signal.SIGKILL, p.stderr[-2000:]
    assert_resumes_to_clean(data, corpus, clean)


def test_killed_at_random_moments(corpus: Path, clean: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    rng = random.Random(1234)
    tag = f"kill-{rng.random()}"
    for _ in range(3):
        p = proc.start(data, corpus, "--embed-delay", "0.02", tag=tag)
        # Kill only once the database has its schema: an earlier kill leaves nothing to check.
        assert proc.wait_for_schema(data, p, timeout=60), "the child never created its database"
        time.sleep(rng.uniform(0.1, 2.0))
        p.kill()
        p.communicate()
        assert proc.schema_version(data) > 0 and check_at_rest(proc.settings(data)) == []
    deadline = time.monotonic() + 10
    while proc.processes_tagged(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert proc.processes_tagged(tag) == [], "extraction workers outlived the killed indexer"
    assert_resumes_to_clean(data, corpus, clean)

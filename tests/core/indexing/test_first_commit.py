"""The first file a run reads is committed alone, at once: searchable before the runner hands over a second."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from jinasearch.core.chunk import Chunking
from jinasearch.core.config import Settings
from jinasearch.core.extract.runner import Result, cut, extract_one, ready_batches
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.indexing.reading import COMMIT_FILES, commit_limit
from jinasearch.core.models import FileInfo
from jinasearch.core.search import Searcher
from tests.core.helpers import settings_for, write
from tests.fakes import FakeEmbedder


class _OneThenWatch:
    """A runner that always claims more results are waiting (as when every worker finishes at once),
    and, before handing over each further file, records which files keyword search finds already."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.searcher: Searcher | None = None  # opened once there is an index to open
        self.seen_before: list[set[str]] = []  # before the 2nd, 3rd, ... file: the files search found

    def run(
        self, files: Iterable[FileInfo], known: dict[str, str | None], chunking: Chunking | None = None
    ) -> Iterator[Result]:
        for i, info in enumerate(files):
            if i > 0:
                self.searcher = self.searcher or Searcher(self.settings, embedder=FakeEmbedder())
                hits = self.searcher.search("heron", k=50, mode="keyword")
                self.seen_before.append({Path(h.path).name for h in hits})
            yield cut(extract_one(info, known.get(info.path)), chunking)

    def ready(self) -> bool:
        return True

    def close(self) -> None:
        pass


def test_the_first_file_is_searchable_before_the_second_is_handed_over(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    for i in range(6):
        write(root / f"n{i}.txt", f"The heron number {i} stood in the reeds for hours.")
    settings = settings_for(tmp_path)
    runner = _OneThenWatch(settings)
    try:
        outcome = run_to_end(Indexer(settings, embedder=FakeEmbedder(), runner=runner).index([root]))
    finally:
        if runner.searcher is not None:
            runner.searcher.close()
    assert outcome.summary.indexed == 6
    # A runner with results waiting would have filled the first batch; the first file went in alone.
    assert len(runner.seen_before[0]) == 1
    # Later commits grow (2, then 4): still never more than what was waiting.
    assert [len(s) for s in runner.seen_before] == [1, 1, 3, 3, 3]


def test_commit_limit_starts_at_one_file_and_doubles_to_the_cap() -> None:
    assert [commit_limit(n) for n in range(7)] == [1, 2, 4, 8, 16, 16, 16]
    assert commit_limit(10_000) == COMMIT_FILES


class _AlwaysReady:
    def ready(self) -> bool:
        return True


def test_ready_batches_follow_the_limit_per_batch() -> None:
    results = (Result(FileInfo(f"/f{i}", 1, 0.0), None) for i in range(40))
    sizes = [len(b) for b in ready_batches(results, _AlwaysReady(), commit_limit)]  # type: ignore[arg-type]
    assert sizes == [1, 2, 4, 8, 16, 9]

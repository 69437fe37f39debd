"""Runners cut passages where they extract; results match the indexer's own cutting exactly."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from jinasearch.core.chunk import Chunking, chunk_text
from jinasearch.core.extract.pool import ProcessRunner
from jinasearch.core.extract.runner import InlineRunner, Result, ready_batches
from jinasearch.core.models import FileInfo
from jinasearch.core.scan import scan
from tests.fakes import WordTokenizer

PROSE = "Sentence number {i} talks about glaciers and volcanoes. " * 30


def corpus(folder: Path, n: int = 6) -> list[FileInfo]:
    for i in range(n):
        (folder / f"n{i}.txt").write_text(PROSE.format(i=i))
    (folder / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    return list(scan([folder]))


def expected(result: Result, chunking: Chunking) -> tuple:  # type: ignore[type-arg]
    assert result.extracted is not None
    return tuple(
        chunk_text(
            result.extracted, chunking.tokenizer, max_tokens=chunking.max_tokens, overlap_tokens=chunking.overlap_tokens
        )
    )


@pytest.mark.parametrize("runner", [InlineRunner(), ProcessRunner(2)], ids=["inline", "sandboxed"])
def test_runners_cut_passages(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    chunking = Chunking(WordTokenizer(), max_tokens=40, overlap_tokens=8)
    results = {Path(r.file.path).name: r for r in runner.run(corpus(tmp_path), {}, chunking)}
    assert results["bad.pdf"].error and results["bad.pdf"].chunks is None
    for i in range(6):
        r = results[f"n{i}.txt"]
        assert r.chunks is not None and len(r.chunks) > 5
        assert r.chunks == expected(r, chunking)
    # Without a chunking, nothing is cut (the indexer's rechunk path and old callers).
    assert all(r.chunks is None for r in runner.run(corpus(tmp_path), {}))


@pytest.mark.model
def test_the_real_tokenizer_travels_to_the_workers(tmp_path: Path, minilm) -> None:  # type: ignore[no-untyped-def]
    chunking = Chunking(minilm.tokenizer, max_tokens=30, overlap_tokens=5)
    results = {Path(r.file.path).name: r for r in ProcessRunner(2).run(corpus(tmp_path, 2), {}, chunking)}
    assert sorted(results) == ["bad.pdf", "n0.txt", "n1.txt"]
    assert results["bad.pdf"].error and results["bad.pdf"].chunks is None
    for name in ("n0.txt", "n1.txt"):  # both files were cut in the workers, exactly as here
        r = results[name]
        assert r.chunks is not None and len(r.chunks) > 5 and r.chunks == expected(r, chunking)


class _Unpicklable(WordTokenizer):
    def __init__(self) -> None:
        self.lock = threading.Lock()  # cannot be pickled: the runner must fall back, not fail


def test_a_tokenizer_that_cannot_travel_leaves_cutting_to_the_indexer(tmp_path: Path) -> None:
    results = list(ProcessRunner(2).run(corpus(tmp_path, 2), {}, Chunking(_Unpicklable(), 40, 8)))
    assert len(results) == 3 and all(r.chunks is None for r in results)


class _Exploding(WordTokenizer):
    def count(self, texts):  # type: ignore[no-untyped-def]
        if any("number 1 " in t for t in texts):
            raise ValueError("tokenizer bug")
        return super().count(texts)


def test_a_cutting_failure_fails_that_file_only(tmp_path: Path) -> None:
    results = {Path(r.file.path).name: r for r in InlineRunner().run(corpus(tmp_path, 3), {}, Chunking(_Exploding()))}
    assert results["n1.txt"].error == "could not cut into passages (ValueError)"
    assert results["n1.txt"].extracted is None and results["n1.txt"].content_hash
    assert results["n0.txt"].chunks and results["n2.txt"].chunks


class _Ready:
    """A runner stand-in whose `ready` answers from a script."""

    def __init__(self, answers: list[bool]) -> None:
        self.answers = answers

    def ready(self) -> bool:
        return self.answers.pop(0)


def _results(n: int) -> Iterator[Result]:
    for i in range(n):
        yield Result(FileInfo(f"/f{i}", 1, 0.0), None)


def test_batches_group_only_results_already_waiting() -> None:
    # After each result: is another waiting? yes, no -> [2]; yes, yes, (limit) -> [3];
    # no -> [1]; yes, yes, then the results end -> [2].
    runner = _Ready([True, False, True, True, False, True, True])
    sizes = [len(b) for b in ready_batches(_results(8), runner, limit=3)]  # type: ignore[arg-type]
    assert sizes == [2, 3, 1, 2] and runner.answers == []

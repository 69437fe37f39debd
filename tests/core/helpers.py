"""Small helpers for engine tests: run an index to completion, build settings for a temp data dir."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from jinasearch.core.config import Settings
from jinasearch.core.indexer import Indexer
from jinasearch.core.models import Chunk
from jinasearch.core.run_records import IndexSummary, Progress
from jinasearch.core.search import Searcher
from tests.fakes import FakeEmbedder


def settings_for(tmp_path: Path, model: str = "fake-embedder", **kw: object) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        model=model,
        chunk_tokens=kw.pop("chunk_tokens", 40),  # type: ignore[arg-type]
        overlap_tokens=kw.pop("overlap_tokens", 8),
        **kw,
    )  # type: ignore[arg-type]


def run_index(
    settings: Settings, paths: Sequence[Path], embedder: FakeEmbedder, excludes: Sequence[str] = ()
) -> tuple[IndexSummary, list[Progress]]:
    indexer = Indexer(replace(settings, excludes=tuple(excludes)), embedder=embedder)
    progress = list(indexer.index(paths))
    outcome = progress[-1].outcome
    assert outcome is not None
    return outcome.summary, progress


@contextmanager
def indexed_searcher(tmp_path: Path, root: Path) -> Iterator[Searcher]:
    """`root` indexed with the fake embedder, and a searcher of it (closed after)."""
    settings = settings_for(tmp_path)
    run_index(settings, [root], FakeEmbedder())
    s = Searcher(settings, embedder=FakeEmbedder())
    try:
        yield s
    finally:
        s.close()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def joined_chunks(parts: Sequence[str], sep: str = "\n") -> tuple[str, list[Chunk]]:
    """A document's text made of `parts` joined by `sep`, and one Chunk per part at its offsets."""
    chunks, pos = [], 0
    for i, part in enumerate(parts):
        chunks.append(Chunk(ordinal=i, text=part, char_start=pos, char_end=pos + len(part)))
        pos += len(part) + len(sep)
    return sep.join(parts), chunks

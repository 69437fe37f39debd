"""Indexing schedule: keyword-searchable on commit, embedding overlapped with extraction, no text embedded twice."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from jinasearch.core.config import Settings
from jinasearch.core.indexer import Indexer
from jinasearch.core.search import Searcher
from tests.fakes import FakeEmbedder


class ThreadRecordingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.threads: set[str] = set()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.threads.add(threading.current_thread().name)
        return super().encode(texts)


WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar".split()


def _corpus(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        words = " ".join(WORDS[(i + j) % len(WORDS)] for j in range(12))
        body = f"File number {i} mentions token{i}. {words}.\n\nShared footer: all rights reserved."
        (folder / f"f{i:03d}.txt").write_text(body)
    (folder / "copy.txt").write_text((folder / "f007.txt").read_text())  # an exact duplicate


def _settings(tmp_path: Path, n_files: int) -> Settings:
    """A corpus of `n_files` under tmp_path/docs and settings for an index beside it."""
    _corpus(tmp_path / "docs", n_files)
    return Settings(data_dir=tmp_path / "data", model="fake", chunk_tokens=20, overlap_tokens=0)


def _extract_until(run, files_done: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """Advance an indexing run until `files_done` files (None: all of them) are committed."""
    for p in run:
        if p.phase == "extract" and p.files_done == (p.files_total if files_done is None else files_done):
            return


def test_overlap_embeds_each_text_once_and_finishes(tmp_path: Path) -> None:
    settings = _settings(tmp_path, 120)
    emb = ThreadRecordingEmbedder()
    phases = [p.phase for p in Indexer(settings, embedder=emb).index([tmp_path / "docs"])]
    assert phases[-1] == "done"
    # Each distinct passage text went through the model exactly once (footer and duplicate included).
    counts = Counter(emb.encoded)
    assert counts and max(counts.values()) == 1
    assert counts["Shared footer: all rights reserved."] == 1
    s = Searcher(settings, embedder=emb)
    c = s.store.counts()
    assert c.passages == c.embedded > 0
    # Some windows were embedded on the helper thread while files were still being extracted.
    assert any(t.startswith("jinasearch-embed") for t in emb.threads)
    s.close()


def test_keyword_search_works_before_embedding(tmp_path: Path) -> None:
    settings = _settings(tmp_path, 40)
    emb = FakeEmbedder()
    run = Indexer(settings, embedder=emb).index([tmp_path / "docs"])
    _extract_until(run)  # every file committed; embedding may still be pending
    s = Searcher(settings, embedder=emb)
    hits = s.search("token33", mode="keyword", k=3)
    assert hits and hits[0].path.endswith("f033.txt")
    s.close()
    for _ in run:
        pass


def test_cancel_mid_extraction_leaves_a_consistent_index(tmp_path: Path) -> None:
    settings = _settings(tmp_path, 120)
    emb = FakeEmbedder()
    run = Indexer(settings, embedder=emb).index([tmp_path / "docs"])
    _extract_until(run, 80)
    run.close()  # cancel: a window in flight is dropped, not waited for
    for _ in Indexer(settings, embedder=emb).index([tmp_path / "docs"]):
        pass
    s = Searcher(settings, embedder=emb)
    c = s.store.counts()
    assert c.indexed == 121 and c.passages == c.embedded
    s.close()

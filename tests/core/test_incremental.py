"""Re-indexing: unchanged embeds nothing, a changed file alone is re-embedded, deleted files vanish."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from tests.core.helpers import run_index, settings_for, write
from tests.fakes import FakeEmbedder

TOPICS = {
    "volcano.txt": "Volcanoes erupt molten lava. Basalt forms when lava cools. Ash clouds travel far.",
    "garden.txt": "Tomatoes need sun and water. Basil grows well beside them. Prune the vines weekly.",
    "ocean.md": "Tides follow the moon. Coral reefs shelter fish. Whales migrate across oceans.",
}


@pytest.fixture
def indexed(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = tmp_path / "docs"
    for name, text in TOPICS.items():
        write(root / name, text)
    settings = settings_for(tmp_path)
    summary, _ = run_index(settings, [root], FakeEmbedder())
    assert summary.indexed == 3
    return settings, root


def test_unchanged_reindex_embeds_nothing(indexed) -> None:  # type: ignore[no-untyped-def]
    settings, root = indexed
    emb = FakeEmbedder()
    summary, _ = run_index(settings, [root], emb)
    assert (summary.unchanged, summary.indexed, summary.passages_added, summary.passages_embedded) == (3, 0, 0, 0)
    assert emb.calls == 0 and emb.encoded == []


def test_modified_file_alone_is_reembedded(indexed) -> None:  # type: ignore[no-untyped-def]
    settings, root = indexed
    new = "Tomatoes need sun and water. Basil grows well beside them. Compost feeds hungry soil."
    write(root / "garden.txt", new)
    os.utime(root / "garden.txt", (1e9, 1e9))  # a distinct mtime even on coarse file systems
    emb = FakeEmbedder()
    summary, _ = run_index(settings, [root], emb)
    assert (summary.indexed, summary.unchanged) == (1, 2)
    assert emb.encoded and all(t in new for t in emb.encoded)
    searcher = Searcher(settings, embedder=FakeEmbedder())
    hits = searcher.search("compost", mode="keyword")
    assert [Path(h.path).name for h in hits] == ["garden.txt"]
    assert searcher.search("prune vines", mode="keyword") == []
    searcher.close()


def test_unchanged_passages_of_a_modified_file_reuse_vectors(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    paras = [f"Paragraph {i} describes the history of town number {i} in detail." for i in range(12)]
    write(root / "a.txt", "\n\n".join(paras))
    settings = settings_for(tmp_path, chunk_tokens=12, overlap_tokens=0)
    run_index(settings, [root], FakeEmbedder())
    write(root / "a.txt", "\n\n".join(paras + ["A brand new closing paragraph about rivers."]))
    os.utime(root / "a.txt", (2e9, 2e9))
    emb = FakeEmbedder()
    summary, _ = run_index(settings, [root], emb)
    assert summary.indexed == 1
    # Identical passages take their stored vector by text hash: only the new text is embedded.
    assert emb.encoded == ["A brand new closing paragraph about rivers."]


def test_deleted_file_is_gone_from_results(indexed) -> None:  # type: ignore[no-untyped-def]
    settings, root = indexed
    (root / "volcano.txt").unlink()
    summary, _ = run_index(settings, [root], FakeEmbedder())
    assert summary.removed == 1
    searcher = Searcher(settings, embedder=FakeEmbedder())
    for mode in ("hybrid", "semantic", "keyword"):
        assert all(not h.path.endswith("volcano.txt") for h in searcher.search("lava basalt", mode=mode))  # type: ignore[arg-type]
    assert len(searcher.vectors() or []) == searcher.store.counts().embedded
    searcher.close()


def test_touched_but_same_content_is_not_reextracted(indexed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings, root = indexed
    os.utime(root / "ocean.md", (3e9, 3e9))
    calls: list[str] = []
    import jinasearch.core.extract.runner as runner

    real = runner.extract
    monkeypatch.setattr(runner, "extract", lambda p: calls.append(str(p)) or real(p))
    emb = FakeEmbedder()
    summary, _ = run_index(settings, [root], emb)
    assert calls == [] and emb.calls == 0
    assert (summary.unchanged, summary.indexed) == (3, 0)
    store = Store(settings.db_path)
    row = store.document(str(root / "ocean.md"))
    store.close()
    assert row is not None and row.mtime == 3e9  # remembered: the next run does not even hash it
    calls.clear()
    monkeypatch.setattr(runner, "file_hash", lambda p: calls.append(str(p)) or "x")
    run_index(settings, [root], FakeEmbedder())
    assert calls == []


def test_failed_file_is_retried_only_when_it_changes(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    write(root / "ok.txt", "fine words")
    (root / "bad.txt").write_bytes(b"\x00\x01binary")
    settings = settings_for(tmp_path)
    s1, _ = run_index(settings, [root], FakeEmbedder())
    s2, _ = run_index(settings, [root], FakeEmbedder())
    assert s1.failed == 1 and s2.failed == 0 and s2.unchanged == 2
    write(root / "bad.txt", "now it is text")
    os.utime(root / "bad.txt", (4e9, 4e9))
    s3, _ = run_index(settings, [root], FakeEmbedder())
    assert s3.indexed == 1 and s3.failed == 0
    store = Store(settings.db_path)
    assert store.failed() == []
    store.close()


def test_a_file_an_older_reader_failed_on_is_tried_again_once(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    write(root / "ok.txt", "A healthy note about kettles.")
    (root / "odd.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    settings = settings_for(tmp_path)
    first, _ = run_index(settings, [root], FakeEmbedder())
    assert first.failed == 1
    store = Store(settings.db_path)
    store.conn.execute("UPDATE documents SET reader = 0 WHERE path LIKE '%odd.pdf'")  # failed under an old reader
    store.close()
    again, _ = run_index(settings, [root], FakeEmbedder())
    assert (again.failed, again.unchanged) == (1, 1)  # read once more with the current reader
    third, _ = run_index(settings, [root], FakeEmbedder())
    assert (third.failed, third.unchanged) == (0, 2)  # and not again until it changes

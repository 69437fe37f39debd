"""Indexer with the fake embedder: the pipeline end to end, failures recorded, cancel, model checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.control import Control
from jinasearch.core.errors import IndexBusyError, ModelMismatchError, PathMissingError
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.store import Store
from jinasearch.core.store.vectors import read_header
from tests.core.docgen import write_docx, write_pdf
from tests.core.helpers import run_index, settings_for, write
from tests.fakes import FakeEmbedder


def corpus(root: Path) -> Path:
    write(root / "notes.txt", "Volcanoes erupt molten rock. Lava cools into basalt.\n\nGlaciers carve valleys slowly.")
    write(root / "readme.md", "# Baking\n\nBread needs flour, water, salt and yeast. Knead it well.")
    write(root / "page.html", "<html><script>var x=1</script><body><p>Tides follow the moon.</p></body></html>")
    write_pdf(root / "book.pdf", ["Chapter one: deserts are dry.", "Chapter two: rainforests are wet."])
    write_docx(root / "memo.docx", ["Budget meeting moved to Friday."])
    (root / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (root / "image.png").write_bytes(b"\x89PNG damaged")
    (root / "drawing.xcf").write_bytes(b"gimp xcf file: not a format the app reads")
    write(root / ".git" / "config.txt", "hidden junk")
    return root


def test_indexes_every_format_and_records_failures(tmp_path: Path) -> None:
    root = corpus(tmp_path / "docs")
    settings = settings_for(tmp_path)
    emb = FakeEmbedder()
    summary, progress = run_index(settings, [root], emb)
    assert (summary.scanned, summary.indexed, summary.failed, summary.unchanged) == (7, 5, 2, 0)
    errors = dict((Path(p).name, why) for p, why in summary.errors)
    assert "PDF" in errors["broken.pdf"] and "image" in errors["image.png"]
    assert summary.passages_added == summary.passages_embedded > 0
    assert [p.phase for p in progress][0] == "scan" and progress[-1].phase == "done"
    assert {"extract", "embed", "save"} <= {p.phase for p in progress}

    store = Store(settings.db_path)
    try:
        c = store.counts()
        assert c.indexed == 5 and c.failed == 2 and c.passages == c.embedded == summary.passages_added
        assert store.get_meta("model") == "fake-embedder" and store.get_meta("dim") == "32"
        pages = {
            r[0]
            for r in store.conn.execute(
                "SELECT p.page FROM passages p JOIN documents d ON d.id = p.doc_id WHERE d.path LIKE '%book.pdf'"
            )
        }
        assert pages == {1, 2}
        # Every passage's offsets point into its document's stored text.
        for doc_id, text, cs, ce in store.conn.execute("SELECT doc_id, text, char_start, char_end FROM passages"):
            full = store.doc_text(doc_id)
            assert full is not None and full.text[cs:ce] == text
        header = read_header(settings.faiss_path)
        assert header is not None and header["n"] == c.embedded and header["version"] == store.vectors_version()
    finally:
        store.close()


def test_passages_respect_chunk_size(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "long.txt", " ".join(f"Sentence {i} talks about item {i}." for i in range(300)))
    settings = settings_for(tmp_path, chunk_tokens=30, overlap_tokens=5)
    summary, _ = run_index(settings, [tmp_path / "docs"], FakeEmbedder())
    assert summary.passages_added > 40
    store = Store(settings.db_path)
    lens = [len(r[0].split()) for r in store.conn.execute("SELECT text FROM passages")]
    store.close()
    assert max(lens) <= 30


def test_missing_path_raises_before_touching_data(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    with pytest.raises(PathMissingError, match="does not exist"):
        list(Indexer(settings, embedder=FakeEmbedder()).index([tmp_path / "nope"]))
    assert not settings.db_path.exists()


def test_model_mismatch_refused_unless_reembed(tmp_path: Path) -> None:
    root = corpus(tmp_path / "docs")
    settings = settings_for(tmp_path)
    run_index(settings, [root], FakeEmbedder())
    other = settings_for(tmp_path, model="other-model")
    with pytest.raises(ModelMismatchError, match="fake-embedder"):
        list(Indexer(other, embedder=FakeEmbedder(dim=16, name="other-model")).index([root]))
    emb16 = FakeEmbedder(dim=16, name="other-model")
    summary = run_to_end(Indexer(other, embedder=emb16, reembed=True).index([root])).summary
    assert summary.passages_embedded > 0 and summary.indexed == 0
    store = Store(settings.db_path)
    assert store.get_meta("model") == "other-model" and store.get_meta("dim") == "16"
    assert store.count_pending() == 0
    store.close()
    assert read_header(settings.faiss_path)["dim"] == 16  # type: ignore[index]


def test_second_indexer_on_same_data_dir_is_refused(tmp_path: Path) -> None:
    root = corpus(tmp_path / "docs")
    settings = settings_for(tmp_path)
    first = Indexer(settings, embedder=FakeEmbedder()).index([root])
    next(first)  # holds the lock now
    try:
        with pytest.raises(IndexBusyError):
            list(Indexer(settings, embedder=FakeEmbedder()).index([root]))
    finally:
        first.close()
    run_index(settings, [root], FakeEmbedder())  # lock released by close()


def test_cancel_keeps_a_consistent_index_that_the_next_run_completes(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    for i in range(30):
        write(root / f"f{i:02}.txt", f"File {i} is about topic {i}. " * 20)
    settings = settings_for(tmp_path)
    control = Control()
    outcome = None
    for p in Indexer(settings, embedder=FakeEmbedder(), control=control).index([root]):
        if p.phase == "extract" and p.files_done == 10:
            control.cancel()
        outcome = p.outcome or outcome
    assert outcome is not None and outcome.summary.passages_embedded == 0
    store = Store(settings.db_path)
    assert store.counts().indexed == 10
    store.close()
    emb = FakeEmbedder()
    summary, _ = run_index(settings, [root], emb)
    assert summary.unchanged == 10 and summary.indexed == 20
    store = Store(settings.db_path)
    assert store.counts().indexed == 30 and store.count_pending() == 0
    store.close()


def test_exclusions_are_honoured(tmp_path: Path) -> None:
    root = corpus(tmp_path / "docs")
    write(root / "drafts" / "d.txt", "draft text")
    summary, _ = run_index(settings_for(tmp_path), [root], FakeEmbedder(), excludes=["*.pdf", "drafts"])
    assert (summary.scanned, summary.indexed) == (5, 4)  # txt, md, html, docx (and a damaged png): no PDFs, no drafts


def test_database_check_runs_again_only_after_an_outside_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jinasearch.core.store import recovery

    calls: list[int] = []
    real = recovery.quick_check
    monkeypatch.setattr(recovery, "quick_check", lambda conn: calls.append(1) or real(conn))
    root = corpus(tmp_path / "docs")
    settings = settings_for(tmp_path)
    run_index(settings, [root], FakeEmbedder())
    run_index(settings, [root], FakeEmbedder())  # files exactly as this process left them: no re-check
    assert len(calls) == 1
    store = Store(settings.db_path)  # an outside writer
    store.set_meta("touched", "yes")
    store.close()
    run_index(settings, [root], FakeEmbedder())
    assert len(calls) == 2

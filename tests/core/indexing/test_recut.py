"""A new passage size re-cuts indexed documents from their stored text; search never loses a document."""

from __future__ import annotations

from pathlib import Path

from jinasearch.core.config import Settings
from jinasearch.core.control import Control
from jinasearch.core.indexer import Indexer
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from jinasearch.core.store.schema import META_RECUT_TO as RECHUNK_TO
from tests.core.helpers import run_index, settings_for, write
from tests.core.store.check import check_finished
from tests.fakes import FakeEmbedder


def docs_by_passages(settings: Settings) -> dict[str, list[str]]:
    store = Store(settings.db_path)
    try:
        out: dict[str, list[str]] = {}
        for path, text in store.conn.execute(
            "SELECT d.path, p.text FROM passages p JOIN documents d ON d.id = p.doc_id ORDER BY d.path, p.ord"
        ):
            out.setdefault(Path(path).name, []).append(text)
        return out
    finally:
        store.close()


def test_recut_replaces_passages_document_by_document_with_vectors_throughout(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    for i in range(70):
        write(
            root / f"d{i:02}.txt", " ".join(f"Sentence {j} of file {i} mentions river {i * 7 + j}." for j in range(12))
        )
    settings = settings_for(tmp_path, chunk_tokens=60, overlap_tokens=8)
    run_index(settings, [root], FakeEmbedder())
    before = docs_by_passages(settings)
    small = settings_for(tmp_path, chunk_tokens=20, overlap_tokens=0)

    control = Control()
    first = FakeEmbedder()
    indexer = Indexer(small, embedder=first, rechunk=True, control=control)
    for p in indexer.index([root]):
        if p.task == "recut" and p.files_done > 0:
            control.cancel()  # after the first group of documents
    mid = docs_by_passages(settings)
    changed = [name for name in mid if mid[name] != before[name]]
    assert 0 < len(changed) < len(mid)
    store = Store(settings.db_path)
    assert store.count_pending() == 0  # every passage, re-cut or not, has its vector: semantic search sees all
    assert store.get_meta(RECHUNK_TO) == "20/0"
    n_mid = store.passage_count()
    store.close()
    searcher = Searcher(settings, embedder=FakeEmbedder())
    assert searcher.search("river 490", mode="semantic") and searcher.search("river", mode="keyword")
    vi = searcher.vectors()
    assert vi is not None and len(vi) == n_mid

    # A plain run with the same settings continues the re-cut, embedding only texts never seen.
    second = FakeEmbedder()
    list(Indexer(small, embedder=second).index([root]))
    after = docs_by_passages(settings)
    assert all(after[name] != before[name] for name in after) and after.keys() == before.keys()
    assert not set(first.encoded) & set(second.encoded)
    assert all(len(FakeEmbedder().tokenizer.offsets(t)) <= 20 for texts in after.values() for t in texts)
    store = Store(settings.db_path)
    assert store.get_meta(RECHUNK_TO) is None and store.count_pending() == 0
    for doc_id, text, cs, ce in store.conn.execute("SELECT doc_id, text, char_start, char_end FROM passages"):
        full = store.doc_text(doc_id)
        assert full is not None and full.text[cs:ce] == text  # offsets still point into the stored text
    store.close()
    assert check_finished(small) == []
    hits = searcher.search("river 490", mode="semantic")  # the open searcher follows the re-cut
    vi = searcher.vectors()
    assert hits and vi is not None and len(vi) == sum(len(t) for t in after.values())
    searcher.close()

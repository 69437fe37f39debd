"""Searcher with the fake embedder: modes, sources, filters, the per-file cap, highlights, errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jinasearch.core.errors import IndexEmptyError, IndexFillingError, ModelMismatchError
from jinasearch.core.indexer import Indexer
from jinasearch.core.models import Filters
from jinasearch.core.search import Searcher, candidate_terms, fts_query
from tests.core.helpers import indexed_searcher, run_index, settings_for, write
from tests.fakes import FakeEmbedder


@pytest.fixture
def searcher(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = tmp_path / "docs"
    write(root / "geo" / "volcano.txt", "Volcanoes erupt molten lava. Basalt forms when lava cools.")
    write(root / "geo" / "glacier.md", "Glaciers carve deep valleys. Ice moves slowly downhill.")
    write(root / "food" / "bread.txt", "Bread needs flour and yeast. Knead the dough until smooth.")
    write(root / "food" / "soup.html", "<p>Soup simmers with lava-hot peppers and onions.</p>")
    # One long file about lava: it must not fill the whole result list.
    write(root / "long" / "lava.txt", "\n\n".join(f"Lava flow report {i}: the lava advanced again." for i in range(20)))
    os.utime(root / "geo" / "volcano.txt", (1_000_000_000, 1_000_000_000))  # 2001
    os.utime(root / "food" / "soup.html", (1_600_000_000, 1_600_000_000))  # 2020
    settings = settings_for(tmp_path, chunk_tokens=12, overlap_tokens=0)
    run_index(settings, [root], FakeEmbedder())
    s = Searcher(settings, embedder=FakeEmbedder())
    s.root = root  # type: ignore[attr-defined]
    yield s
    s.close()


def names(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [Path(h.path).name for h in hits]


def test_modes_and_sources(searcher: Searcher) -> None:
    kw = searcher.search("basalt", mode="keyword")
    assert names(kw) == ["volcano.txt"] and kw[0].sources == ("keyword",)
    sem = searcher.search("basalt", mode="semantic", k=3)
    assert names(sem)[0] == "volcano.txt" and all(h.sources == ("semantic",) for h in sem)
    assert len(sem) == 3  # dense always returns neighbours, even without shared words
    hyb = searcher.search("basalt", mode="hybrid", k=3)
    assert names(hyb)[0] == "volcano.txt" and hyb[0].sources == ("semantic", "keyword")
    assert [h.score for h in hyb] == sorted((h.score for h in hyb), reverse=True)
    with pytest.raises(ValueError):
        searcher.search("x", mode="fuzzy")  # type: ignore[arg-type]
    assert searcher.search("   ") == []


def test_results_are_grouped_by_file(searcher: Searcher) -> None:
    # By default one passage per file: the first results cover as many files as there are.
    files = names(searcher.search("lava", k=10, mode="keyword"))
    assert len(files) == len(set(files)) and {"lava.txt", "volcano.txt", "soup.html"} <= set(files)
    # With more per file, each file's passages follow its best one, and k still counts files.
    grouped = names(searcher.search("lava", k=10, mode="keyword", per_file=3))
    assert grouped.count("lava.txt") == 3 and len(set(grouped)) == len(set(files))
    runs = [n for i, n in enumerate(grouped) if i == 0 or grouped[i - 1] != n]
    assert len(runs) == len(set(runs))  # each file's passages are together
    assert names(searcher.search("lava", k=2, mode="keyword", per_file=3)).count("lava.txt") <= 3


def test_filters_folder_type_date(searcher: Searcher) -> None:
    root = searcher.root  # type: ignore[attr-defined]
    for mode in ("hybrid", "semantic", "keyword"):
        hits = searcher.search("lava", mode=mode, filters=Filters(folder=str(root / "geo")))  # type: ignore[arg-type]
        assert hits and all(Path(h.path).parent == root / "geo" for h in hits)
        hits = searcher.search("lava", mode=mode, filters=Filters(exts=("html",)))  # type: ignore[arg-type]
        assert names(hits) == ["soup.html"]
        hits = searcher.search("lava", mode=mode, filters=Filters(modified_before=1_500_000_000))  # type: ignore[arg-type]
        assert names(hits) == ["volcano.txt"]
        hits = searcher.search("lava", mode=mode, filters=Filters(modified_after=1_500_000_000.0, exts=("txt",)))  # type: ignore[arg-type]
        # Only recent .txt files: lava.txt (and bread.txt, a weak dense neighbour without the word).
        assert "lava.txt" in names(hits) and set(names(hits)) <= {"lava.txt", "bread.txt"}
    assert searcher.search("lava", filters=Filters(folder=str(root / "nowhere"))) == []


def test_hits_carry_highlights_and_offsets(searcher: Searcher) -> None:
    # Keyword mode: the fake tokenizer knows every word whole, so nothing here is a handle and the
    # toy vectors alone would not put this passage first in hybrid.
    [hit] = searcher.search("basalt lava", k=1, mode="keyword")
    assert hit.text.count("lava") == 2
    assert [hit.text[s:e] for s, e in hit.term_spans] == ["lava", "Basalt", "lava"]
    assert hit.sentence_span is not None and hit.sentence_span in set(hit.highlights)
    found = searcher.store.doc_text(hit.doc_id)
    doc = found.text if found else None
    assert doc is not None and doc[hit.char_start : hit.char_end] == hit.text
    assert hit.page is None and hit.mtime == 1_000_000_000


def test_keyword_query_syntax_is_never_parsed(searcher: Searcher) -> None:
    for q in ('lava AND "', "NOT lava -basalt", "lava:*", "(lava", "parse_header()"):
        searcher.search(q, mode="keyword")  # no sqlite3.OperationalError
    assert fts_query('say "hi" AND err_42') == '"say" OR "hi" OR "err 42"'
    assert fts_query("the of") == '"the" OR "of"'
    assert fts_query("!!!") is None


def test_searcher_sees_new_commits(searcher: Searcher, tmp_path: Path) -> None:
    write(searcher.root / "geo" / "new.txt", "Fumaroles vent sulphur gases.")  # type: ignore[attr-defined]
    run_index(searcher.settings, [searcher.root], FakeEmbedder())  # type: ignore[attr-defined]
    assert names(searcher.search("fumaroles", mode="semantic", k=1)) == ["new.txt"]


def test_errors_for_missing_and_empty_index_and_model(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    with pytest.raises(IndexEmptyError, match="no index"):
        Searcher(settings, embedder=FakeEmbedder())
    (tmp_path / "empty").mkdir()
    run_index(settings, [tmp_path / "empty"], FakeEmbedder())
    s = Searcher(settings, embedder=FakeEmbedder())
    with pytest.raises(IndexEmptyError, match="empty"):
        s.search("anything")
    s.close()
    with pytest.raises(ModelMismatchError, match="fake-embedder"):
        Searcher(settings, model="some/other-model", embedder=FakeEmbedder())


def test_a_first_run_that_has_committed_nothing_yet_says_so(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    write(tmp_path / "docs" / "volcano.txt", "Volcanoes erupt molten lava. Basalt forms when lava cools.")
    run = Indexer(settings, embedder=FakeEmbedder()).index([tmp_path / "docs"])
    assert next(run).phase == "scan"  # the run holds the writer lock and has opened the database
    s = Searcher(settings, embedder=FakeEmbedder())
    try:
        with pytest.raises(IndexFillingError, match="indexing, nothing committed yet; try again in a moment"):
            s.search("basalt")
        for _ in run:  # the run goes on to commit: the same searcher finds the file
            pass
        assert names(s.search("basalt", mode="keyword")) == ["volcano.txt"]
    finally:
        s.close()


def test_no_database_yet_while_a_run_holds_the_lock(tmp_path: Path) -> None:
    from filelock import FileLock

    settings = settings_for(tmp_path)
    settings.data_dir.mkdir()
    with FileLock(str(settings.lock_path)):  # a run that has taken the lock and not yet created the database
        with pytest.raises(IndexFillingError):
            Searcher(settings, embedder=FakeEmbedder())
    with pytest.raises(IndexEmptyError, match="no index") as err:
        Searcher(settings, embedder=FakeEmbedder())
    assert not isinstance(err.value, IndexFillingError)


def test_candidate_terms_drop_only_words_too_common_to_rank_by() -> None:
    freqs = {"lava": 9000, "basalt": 3, "dough": 40}
    assert candidate_terms(["lava", "basalt", "dough"], freqs, cap=5000) == ["basalt", "dough"]
    # A query of common words only keeps them all: it must still find passages.
    assert candidate_terms(["lava"], freqs, cap=5000) == ["lava"]


def test_hybrid_candidates_skip_common_words_but_keyword_mode_keeps_them(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jinasearch.core.retrieval import keyword

    # 'lava' is in most passages of this small index: with a cap of 2 it counts as too common.
    monkeypatch.setattr(keyword, "DF_CAP", 2)
    hyb = searcher.search("lava basalt", mode="hybrid", k=5)
    kw_sources = [Path(h.path).name for h in hyb if "keyword" in h.sources]
    assert kw_sources == ["volcano.txt"]  # found by its rare word; lava-only passages came from dense
    kw = searcher.search("lava basalt", mode="keyword", k=10)
    assert "lava.txt" in names(kw)  # keyword mode searches every word it was given


def test_best_sentences_can_follow_the_results(searcher: Searcher) -> None:
    full = searcher.search("lava cools into basalt", k=4)
    fast = searcher.search("lava cools into basalt", k=4, sentences=False)
    assert [h.passage_id for h in fast] == [h.passage_id for h in full]
    assert all(h.sentence_span is None for h in fast)
    assert [h.term_spans for h in fast] == [h.term_spans for h in full]  # word highlights come at once
    later = searcher.sentence_spans("lava cools into basalt", [h.text for h in fast])
    assert later == [h.sentence_span for h in full] and any(s is not None for s in later)
    lexical = searcher.sentence_spans("lava cools into basalt", [h.text for h in fast], semantic=False)
    assert len(lexical) == len(fast)


def test_a_file_is_found_by_its_name(tmp_path: Path) -> None:
    """The words of a file's name are searchable even when its text never says them."""
    root = tmp_path / "docs"
    write(root / "garden-journal.txt", "Tomatoes went in on Saturday; the basil is struggling in the shade.")
    write(root / "notes.txt", "A journal of the trip: we saw a garden and a lake. Nothing else to report.")
    write(root / "recipes.md", "Lentil soup with cumin, simmered for forty minutes.")
    with indexed_searcher(tmp_path, root) as s:
        for mode in ("keyword", "hybrid"):
            hits = s.search("garden-journal", mode=mode)  # type: ignore[arg-type]
            assert hits and Path(hits[0].path).name == "garden-journal.txt", (mode, names(hits))


def test_a_long_document_filling_the_candidates_still_leaves_room_for_k_files(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    write(
        root / "manual.txt", "\n\n".join(f"Section {i}: the pump valve needs cleaning, step {i}." for i in range(400))
    )
    for i in range(12):
        write(root / f"note{i:02}.txt", f"Note {i}: the pump in room {i} was checked.")
    settings = settings_for(tmp_path, chunk_tokens=16, overlap_tokens=0)
    # 400 lines of one template read as data (core/textkind.py): embedded all the same, as a folder
    # switched to "also search data files by meaning" has them, since the pool is what is tested here.
    list(Indexer(settings, embedder=FakeEmbedder(), embed_data=True).index([root]))
    s = Searcher(settings, embedder=FakeEmbedder())
    try:
        for mode in ("keyword", "hybrid", "semantic"):
            files = names(s.search("pump valve cleaning", k=10, mode=mode))  # type: ignore[arg-type]
            assert len(files) == 10 and files.count("manual.txt") == 1, (mode, files)
    finally:
        s.close()

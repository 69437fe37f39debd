"""A model switch: re-embedding goes to staging while the old model keeps answering; one swap; resume; undo.

Two fake embedders of different dimensions stand for the old and the new model (no quality is claimed
here): a query or passage vector of the wrong model would not even have the right length.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from jinasearch.core.config import Settings
from jinasearch.core.control import Control
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from jinasearch.core.store.staging import Staging
from jinasearch.core.store.vectors import read_header
from tests.core.helpers import run_index, settings_for, write
from tests.core.store.check import check_finished
from tests.fakes import FakeEmbedder

OLD, NEW = "fake-embedder", "new-model"
TOPICS = ["volcano lava basalt", "bread flour yeast", "tides moon ocean", "desert sand dune", "glacier ice valley"]


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Settings, Path]:
    root = tmp_path / "docs"
    for i in range(40):
        topic = TOPICS[i % len(TOPICS)]
        write(root / f"f{i:02}.txt", f"Note {i} is about {topic}. It adds detail number {i} on {topic}.")
    boiler = "This shared disclaimer paragraph appears in several files word for word."
    for i in range(3):
        write(root / f"dup{i}.txt", boiler)
    settings = settings_for(tmp_path, model=OLD)
    run_index(settings, [root], FakeEmbedder(dim=32, name=OLD))
    return settings, root


def new_settings(settings: Settings) -> Settings:
    return Settings(
        data_dir=settings.data_dir,
        model=NEW,
        chunk_tokens=settings.chunk_tokens,
        overlap_tokens=settings.overlap_tokens,
    )


def stage_partly(settings: Settings, root: Path, emb: FakeEmbedder, *, reembed: bool = True) -> None:
    """Run a re-embed with the new model and stop it after its first staged batch."""
    control = Control()
    progress = []
    for p in Indexer(new_settings(settings), embedder=emb, reembed=reembed, control=control).index([root]):
        if p.phase == "embed" and p.passages_done > 0:
            control.cancel()
        progress.append(p)
    outcome = progress[-1].outcome
    assert outcome is not None and outcome.swap_seconds is None


def query_embedders() -> dict[str, FakeEmbedder]:
    """Query-side models by recorded name, as a front end shares its loaded models with a Searcher."""
    return {OLD: FakeEmbedder(dim=32, name=OLD), NEW: FakeEmbedder(dim=16, name=NEW)}


def assert_scores_from(settings: Settings, hits: list, emb: FakeEmbedder, query: str) -> None:
    """Each semantic hit's score is the cosine of `emb`'s query vector with the passage's stored vector."""
    q = emb.encode_query(query)
    store = Store(settings.db_path)
    try:
        for h in hits:
            (blob,) = store.conn.execute("SELECT vector FROM passages WHERE id = ?", (h.passage_id,)).fetchone()
            vec = np.frombuffer(blob, dtype=np.float32)
            # FAISS keeps float16 copies (scores within ~1e-4); another model's vectors would be far off.
            assert vec.shape == q.shape and h.score == pytest.approx(float(vec @ q), abs=1e-3)
    finally:
        store.close()


def test_old_model_answers_until_the_swap_then_the_same_searcher_follows(indexed) -> None:  # type: ignore[no-untyped-def]
    settings, root = indexed
    queries = query_embedders()
    searcher = Searcher(settings, embedders=queries.get)
    assert searcher.search("lava basalt", mode="semantic")  # opened before the switch, FAISS loaded

    first = FakeEmbedder(dim=16, name=NEW)
    stage_partly(settings, root, first)
    store = Store(settings.db_path)
    staging = Staging(store)
    assert (store.get_meta("model"), store.get_meta("dim"), staging.model, staging.dim) == (OLD, "32", NEW, 16)
    assert staging.count_staged() > 0 and staging.count_unstaged() > 0
    assert store.count_pending() == 0  # the old vectors are all still there
    assert read_header(settings.faiss_path)["dim"] == 32  # type: ignore[index]
    store.close()

    # The already open searcher and a fresh one both answer by meaning, with the old model only.
    fresh = Searcher(settings, embedders=queries.get)
    for s in (searcher, fresh):
        hits = s.search("lava basalt", mode="semantic")
        assert hits and all("semantic" in h.sources for h in hits)
        assert_scores_from(settings, hits, queries[OLD], "lava basalt")
        assert s.search("yeast", mode="keyword")
        assert any("semantic" in h.sources for h in s.search("volcano lava", mode="hybrid"))
    assert queries[NEW].calls == 0
    fresh.close()

    # Resumed without --reembed (the switch was already asked for): only texts not yet staged are embedded.
    second = FakeEmbedder(dim=16, name=NEW)
    outcome = run_to_end(Indexer(new_settings(settings), embedder=second).index([root]))
    assert outcome.swap_seconds is not None
    assert second.encoded and not set(first.encoded) & set(second.encoded)
    store = Store(settings.db_path)
    distinct = store.conn.execute("SELECT COUNT(DISTINCT text) FROM passages").fetchone()[0]
    assert len(first.encoded + second.encoded) == distinct  # the duplicated disclaimer embedded once
    staging = Staging(store)
    assert (store.get_meta("model"), store.get_meta("dim"), staging.model, staging.count_staged()) == (
        NEW,
        "16",
        None,
        0,
    )
    store.close()
    assert check_finished(new_settings(settings)) == []
    assert read_header(settings.faiss_path)["model"] == NEW  # type: ignore[index]

    # The same searcher instance, still open, now embeds queries with the new model against new vectors.
    old_calls = queries[OLD].calls
    hits = searcher.search("lava basalt", mode="semantic")
    assert hits and searcher.model == NEW and queries[NEW].calls > 0 and queries[OLD].calls == old_calls
    assert_scores_from(settings, hits, queries[NEW], "lava basalt")
    vi = searcher.vectors()
    assert vi is not None and vi.dim == 16 and vi.model == NEW
    searcher.close()


def test_switching_back_before_the_swap_discards_the_staging(indexed) -> None:  # type: ignore[no-untyped-def]
    settings, root = indexed
    stage_partly(settings, root, FakeEmbedder(dim=16, name=NEW))
    old = FakeEmbedder(dim=32, name=OLD)
    summary, _ = run_index(settings, [root], old)
    assert old.encoded == [] and summary.passages_embedded == 0  # nothing of the old model was lost
    store = Store(settings.db_path)
    staging = Staging(store)
    assert (store.get_meta("model"), staging.model, staging.dim, staging.count_staged()) == (OLD, None, None, 0)
    store.close()
    assert check_finished(settings) == []


def test_files_changed_during_the_switch_are_staged_and_keyword_only_until_the_swap(indexed) -> None:  # type: ignore[no-untyped-def]
    settings, root = indexed
    stage_partly(settings, root, FakeEmbedder(dim=16, name=NEW))
    write(root / "new.txt", "Penguins huddle together against the antarctic wind.")
    stage_partly(settings, root, FakeEmbedder(dim=16, name=NEW), reembed=False)
    queries = query_embedders()
    searcher = Searcher(settings, embedders=queries.get)
    # No old-model vector for the new text (the indexer holds only the new model): found by its words.
    assert [Path(h.path).name for h in searcher.search("penguins antarctic", mode="keyword")] == ["new.txt"]
    # Without a vector it ranks by its words among the fakes' near-equal cosines (see fusion.combine).
    hits = searcher.search("penguins antarctic", mode="hybrid", k=20)
    found = [h for h in hits if Path(h.path).name == "new.txt"]
    assert found and found[0].sources == ("keyword",)  # in hybrid results, found by its words only
    assert all(Path(h.path).name != "new.txt" for h in searcher.search("penguins antarctic", mode="semantic"))

    list(Indexer(new_settings(settings), embedder=FakeEmbedder(dim=16, name=NEW)).index([root]))
    hits = searcher.search("penguins antarctic", mode="semantic")
    assert Path(hits[0].path).name == "new.txt" and searcher.model == NEW
    searcher.close()


def test_a_switch_of_an_index_without_vectors_is_immediate(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.txt", "Only words so far.")
    settings = settings_for(tmp_path, model=OLD)
    settings.data_dir.mkdir(parents=True)
    store = Store(settings.db_path)
    store.set_meta("model", OLD)  # recorded, but never embedded anything (no dim)
    store.close()
    emb = FakeEmbedder(dim=16, name=NEW)
    list(Indexer(new_settings(settings), embedder=emb, reembed=True).index([tmp_path / "docs"]))
    store = Store(settings.db_path)
    assert (store.get_meta("model"), store.get_meta("dim"), Staging(store).model) == (NEW, "16", None)
    store.close()


def test_an_embedder_given_before_the_index_records_its_model_is_kept(tmp_path: Path) -> None:
    # A searcher opened while the first indexing run has created the database but not yet recorded
    # its model (the app and a CLI run starting together) keeps the embedder it was given.
    settings = settings_for(tmp_path)
    root = tmp_path / "docs"
    write(root / "a.txt", "Volcanoes erupt molten lava.")
    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    Store(settings.db_path).close()  # the database exists, no model recorded yet
    emb = FakeEmbedder()
    searcher = Searcher(settings, embedder=emb, load_model=False)
    try:
        assert searcher.model is None
        run_index(settings, [root], FakeEmbedder())
        hits = searcher.search("lava", mode="semantic")
        assert hits and searcher.embedder is emb
    finally:
        searcher.close()

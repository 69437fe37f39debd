"""Late chunking in the indexing pipeline, with the real MiniLM: a passage's vector is the mean of the
model's own token vectors over its span, a document longer than the window is read in several
windows with no passage left out, the background embedder agrees with the end of the run, no vector a
search computed for a passage alone is adopted, and a model that gives no token vectors (one on an
embedding server) is refused before anything is written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import jinasearch.core.indexer as indexer_mod
from jinasearch.core.config import Recipe, Settings
from jinasearch.core.control import Control
from jinasearch.core.embed.late import MARGIN_SHARE, plan_windows
from jinasearch.core.errors import RecipeUnsupportedError
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.indexing import reembed
from jinasearch.core.indexing.embedding import make_encoder
from jinasearch.core.indexing.late import DocPassages, LateRunner, LateWork
from jinasearch.core.store import Store
from jinasearch.core.store.sidecar import SideVectors
from tests.core.indexing.late_helpers import (
    ByHand,
    Traced,
    meta,
    stored_passages,
    unembedded,
    write_long_note,
    write_subject_notes,
)
from tests.fakes import FakeEmbedder

PASSAGES = [
    "notes.txt\nThe Harrow lighthouse stands on a granite spur at the mouth of the bay.",
    "notes.txt\nIts lamp was lit by hand every evening until the keepers left in 1962.",
    "notes.txt\nShips still steer by the beam, which now turns without anyone inside.",
    "notes.txt\nIn winter the path to it floods, and the tower can only be reached by boat.",
]


@pytest.fixture(scope="module")
def by_hand(minilm_path: str) -> ByHand:
    return ByHand.load(minilm_path)


def late_settings(tmp_path: Path, model: str, window: int = 512) -> Settings:
    recipe = Recipe(late=True, window=window)
    return Settings(data_dir=tmp_path / "data", model=model, chunk_tokens=64, overlap_tokens=8, recipe=recipe)


@pytest.mark.model
def test_runner_vectors_are_the_models_token_vectors_averaged_over_each_passage(minilm, by_hand: ByHand) -> None:  # type: ignore[no-untyped-def]
    hashes = ("h0", "h1", "h2", "h3")
    runner = LateRunner(minilm, Control(), 512)
    got = runner.run(LateWork(hashes, (DocPassages(hashes, tuple(PASSAGES), (0, 1, 2, 3)),)))

    ids = by_hand.ids(PASSAGES)
    flat = [t for p in ids for t in p]
    lengths = [len(p) for p in ids]
    expected = by_hand.pooled(lengths, flat, 0, len(flat), range(4))  # one window: the whole document
    assert got is not None and got.shape == (4, minilm.dim)
    np.testing.assert_allclose(got, expected, atol=1e-5)
    # Not what each passage alone gives: the others' tokens were read with it.
    naive = minilm.encode(PASSAGES)
    assert np.all(np.sum(got * naive, axis=1) < 0.99)

    # Asked for two of them (in another order), the other two still give their context.
    part = runner.run(LateWork(("h3", "h1"), (DocPassages(hashes, tuple(PASSAGES), (1, 3)),)))
    assert part is not None
    np.testing.assert_allclose(part, expected[[3, 1]], atol=1e-5)


@pytest.mark.model
def test_a_document_longer_than_the_window_is_read_in_several_windows_none_left_out(  # type: ignore[no-untyped-def]
    minilm, minilm_path: str, by_hand: ByHand, tmp_path: Path
) -> None:
    write_long_note(tmp_path / "docs" / "ledger.txt", paragraphs=20)
    traced = Traced(minilm)
    settings = late_settings(tmp_path, minilm_path, window=128)
    outcome = run_to_end(Indexer(settings, embedder=traced).index([tmp_path / "docs"]))

    passages = stored_passages(settings.db_path)
    assert outcome.summary.passages_embedded == len(passages) >= 10
    assert unembedded(settings.db_path) == 0 and all(p.vector is not None for p in passages)
    assert meta(settings.db_path, "recipe") == "late:128"

    # The windows the model read are those planned for the whole document: many, none past 128 tokens.
    budget = 128 - minilm.specials.count
    ids = [t[:budget] for t in by_hand.ids([p.model_input for p in passages])]
    lengths, flat = [len(t) for t in ids], [tok for t in ids for tok in t]
    plan = plan_windows(lengths, range(len(passages)), budget, budget // MARGIN_SHARE)
    assert len(plan) >= 5 and sum(lengths) > 4 * 128
    assert sorted(traced.windows) == sorted(w.end - w.start + 2 for w in plan) and max(traced.windows) <= 128

    # Each stored vector is its window's token vectors pooled by hand, and differs from the naive one.
    stored = np.stack([p.vector for p in passages])  # type: ignore[misc]
    for w in plan:
        expected = by_hand.pooled(lengths, flat, w.start, w.end, w.pooled)
        np.testing.assert_allclose(stored[list(w.pooled)], expected, atol=1e-5)
    cosines = np.sum(stored * minilm.encode([p.model_input for p in passages]), axis=1)
    assert cosines.max() < 0.999 and cosines.mean() < 0.97


@pytest.mark.model
@pytest.mark.parametrize("background", [False, True])
def test_without_place_lines_the_window_reads_the_passages_own_text(  # type: ignore[no-untyped-def]
    minilm, minilm_path: str, by_hand: ByHand, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, background: bool
) -> None:
    """config.Recipe.place_lines False: the model reads the passages' bare text, still pooled per passage;
    a passage keeps its identity (the hash of its title, section and text), so dedup is unchanged."""
    monkeypatch.setattr(indexer_mod, "BACKGROUND_EMBEDDING", background)
    note = write_long_note(tmp_path / "docs" / "ledger.md", paragraphs=4)
    note.write_text("# The harbour ledger\n\n" + note.read_text())  # a title: every passage has a place line
    settings = replace(late_settings(tmp_path, minilm_path), recipe=Recipe(late=True, window=512, place_lines=False))
    run_to_end(Indexer(settings, embedder=Traced(minilm, batch_size=1)).index([tmp_path / "docs"]))

    passages = stored_passages(settings.db_path)
    assert meta(settings.db_path, "recipe") == "late:512:bare" and len(passages) >= 3
    assert all(p.model_input != p.text for p in passages)  # each has a place line it was embedded without
    ids = by_hand.ids([p.text for p in passages])
    lengths, flat = [len(t) for t in ids], [tok for t in ids for tok in t]
    assert sum(lengths) + 2 <= 512  # one window: the whole note
    expected = by_hand.pooled(lengths, flat, 0, len(flat), range(len(passages)))
    np.testing.assert_allclose(np.stack([p.vector for p in passages]), expected, atol=1e-5)  # type: ignore[misc]
    assert Recipe.from_key("late:512:bare") == settings.recipe

    # A re-cut (a new passage size) embeds its new passages the same way, none left waiting.
    smaller = replace(settings, chunk_tokens=32, overlap_tokens=4)
    run_to_end(Indexer(smaller, embedder=minilm, rechunk=True).index([tmp_path / "docs"]))
    recut = stored_passages(settings.db_path)
    assert len(recut) > len(passages) and unembedded(settings.db_path) == 0


@pytest.mark.model
def test_the_background_embedder_gives_the_vectors_of_the_end_of_the_run(  # type: ignore[no-untyped-def]
    minilm, minilm_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(10):
        write_long_note(tmp_path / "docs" / f"note-{i:02}.txt", paragraphs=3 + i % 3, first=10 * i)
    at_end = late_settings(tmp_path / "end", minilm_path)
    run_to_end(Indexer(at_end, embedder=minilm).index([tmp_path / "docs"]))

    # Embedding while reading, in windows of 16 passages (4 per write, 4 writes a window).
    monkeypatch.setattr(indexer_mod, "BACKGROUND_EMBEDDING", True)
    traced = Traced(minilm, batch_size=1)
    during = late_settings(tmp_path / "bg", minilm_path)
    outcome = run_to_end(Indexer(during, embedder=traced).index([tmp_path / "docs"]))
    assert outcome.summary.failed == 0 and outcome.state != "cancelled"
    assert any(name.startswith("jinasearch-embed") for name in traced.threads), "nothing embedded while reading"

    assert unembedded(during.db_path) == 0
    end = {p.text_hash: p.vector for p in stored_passages(at_end.db_path)}
    bg = {p.text_hash: p.vector for p in stored_passages(during.db_path)}
    assert set(bg) == set(end) and len(bg) > 16
    for h, vec in bg.items():
        np.testing.assert_allclose(vec, end[h], atol=1e-5)  # type: ignore[arg-type]


@pytest.mark.model
def test_a_late_index_adopts_no_query_time_vector(minilm, minilm_path: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A search embeds waiting passages alone (retrieval/fresh.py); a late-chunked index must not take those."""
    write_subject_notes(tmp_path / "docs")
    settings = late_settings(tmp_path, minilm_path)
    run_to_end(Indexer(settings, embedder=minilm).index([tmp_path / "docs"]))
    late = {p.text_hash: p for p in stored_passages(settings.db_path)}
    store = Store(settings.db_path)
    try:  # some passages wait for their vectors again, and a search has embedded them alone
        store.conn.execute("UPDATE passages SET vector = NULL WHERE text LIKE '%blades%' OR text LIKE '%Quorvex%'")
        store.conn.commit()
    finally:
        store.close()
    waiting = [p for p in stored_passages(settings.db_path) if p.vector is None]
    side = SideVectors(settings.data_dir, writer=True)
    alone = dict(zip([p.text_hash for p in waiting], minilm.encode([p.model_input for p in waiting])))
    assert len(waiting) >= 2 and side.put(settings.model_key, minilm.dim, alone)
    side.close()

    run_to_end(Indexer(settings, embedder=minilm).index([tmp_path / "docs"]))
    for p in stored_passages(settings.db_path):
        assert p.vector is not None
        np.testing.assert_allclose(p.vector, late[p.text_hash].vector, atol=1e-5)  # type: ignore[arg-type]
        if p.text_hash in alone:
            assert float(p.vector @ alone[p.text_hash]) < 0.99  # pooled in its note, not the search's


def test_a_served_model_with_late_chunking_is_refused_when_the_run_is_planned(tmp_path: Path) -> None:
    served = Settings(
        data_dir=tmp_path / "data", model="all-minilm", server="http://127.0.0.1:9", recipe=Recipe(late=True)
    )
    served.data_dir.mkdir(parents=True)
    store = Store(served.db_path)
    try:
        with pytest.raises(RecipeUnsupportedError, match="--no-late-chunking"):
            reembed.plan(store, served, False, lambda: pytest.fail("the model is not needed to refuse"))
        assert store.model() is None and store.get_meta("recipe") is None  # nothing recorded
        # The same served index once it holds naive vectors: asking for late chunking is refused too.
        store.set_model(served.model_key)
        store.set_dim(384)
        with pytest.raises(RecipeUnsupportedError):
            reembed.plan(store, served, False, lambda: 384)
        assert (store.model(), store.recipe(), store.get_meta("staged_model")) == ("server:all-minilm", "naive", None)
        # Without the flag it runs as recorded: naive, nothing to stage.
        as_recorded = Settings(data_dir=served.data_dir, model="all-minilm", server="http://127.0.0.1:9")
        assert reembed.plan(store, as_recorded, False, lambda: 384) is False
    finally:
        store.close()


def test_a_local_model_without_token_vectors_is_refused_for_late_chunking(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    store = Store(Settings(data_dir=tmp_path / "data").db_path)
    try:
        with pytest.raises(RecipeUnsupportedError, match="fake-embedder"):
            make_encoder(FakeEmbedder(), Control(), store, Recipe(late=True))
        assert make_encoder(FakeEmbedder(), Control(), store, Recipe()).late is None
    finally:
        store.close()


@pytest.mark.model
def test_nothing_asked_is_no_model_call(minilm) -> None:  # type: ignore[no-untyped-def]
    traced = Traced(minilm)
    out = LateRunner(traced, Control(), 512).run(LateWork((), ()))  # type: ignore[arg-type]
    assert out is not None and out.shape == (0, minilm.dim) and traced.windows == []

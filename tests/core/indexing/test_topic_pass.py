"""The topic pass (core/indexing/topic_pass.py) as a run option, with the real MiniLM: a run with topic
cuts cuts a note where its subject changes; documents record the cut,
so the next run reads nothing with the model again; a file read again is cut again; a cancel part-way
commits nothing; a model without token vectors gets a clear error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from jinasearch.core.config import Recipe, Settings
from jinasearch.core.control import Control
from jinasearch.core.errors import RecipeUnsupportedError
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.indexing.recut import recut_key
from tests.core.indexing.late_helpers import Traced, meta, stored_passages, unembedded
from tests.core.indexing.test_topic_cut import BREAD, LIGHTHOUSE
from tests.fakes import FakeEmbedder

TOPICS = recut_key(160, 16, topic_cuts=True)


def settings(tmp_path: Path, model: str, *, topic_cuts: bool = True) -> Settings:
    return Settings(data_dir=tmp_path / "data", model=model, chunk_tokens=160, overlap_tokens=16, topic_cuts=topic_cuts)


def cuts(db: Path) -> dict[str, str | None]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {Path(p).name: c for p, c in con.execute("SELECT path, cut FROM documents")}
    finally:
        con.close()


def passages(db: Path) -> list[tuple[str, int, str, str]]:
    return [(p.doc, p.ord, p.text, p.text_hash) for p in stored_passages(db)]


def ends_at_the_change(db: Path) -> bool:
    """Whether a passage of notes.txt ends with the lighthouse's last sentence (the plain cut of 160
    tokens holds the whole note in one passage)."""
    texts = [p.text.strip() for p in stored_passages(db) if p.doc == "notes.txt"]
    return len(texts) > 1 and any(t.endswith(LIGHTHOUSE.strip()[-40:]) for t in texts)


def no_load(name: str, device: str) -> None:
    raise AssertionError("the model was loaded although no document waits for topic cuts")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text(LIGHTHOUSE + BREAD)
    (tmp_path / "docs" / "short.txt").write_text("A single line about tide tables.")
    return tmp_path / "docs"


@pytest.mark.model
def test_a_run_with_topic_cuts_cuts_where_the_subject_changes(
    minilm, minilm_path: str, tmp_path: Path, docs: Path
) -> None:  # type: ignore[no-untyped-def]
    s = settings(tmp_path, minilm_path)
    run_to_end(Indexer(s, embedder=minilm).index([docs]))
    assert ends_at_the_change(s.db_path)
    assert unembedded(s.db_path) == 0
    assert cuts(s.db_path) == {"notes.txt": TOPICS, "short.txt": TOPICS}  # the one-sentence note: marked, unchanged

    plain = settings(tmp_path / "plain", minilm_path, topic_cuts=False)
    run_to_end(Indexer(plain, embedder=minilm).index([docs]))
    assert not ends_at_the_change(plain.db_path)
    assert set(cuts(plain.db_path).values()) == {None}


@pytest.mark.model
def test_documents_record_the_cut_so_the_next_run_reads_nothing_again(
    minilm, minilm_path: str, tmp_path: Path, docs: Path
) -> None:  # type: ignore[no-untyped-def]
    s = settings(tmp_path, minilm_path)
    run_to_end(Indexer(s, embedder=minilm).index([docs]))
    before = passages(s.db_path)

    run_to_end(Indexer(s, embedder_factory=no_load).index([docs]))  # type: ignore[arg-type]
    assert passages(s.db_path) == before

    # A run without topic cuts leaves the topic passages of unchanged files alone...
    run_to_end(Indexer(settings(tmp_path, minilm_path, topic_cuts=False), embedder=minilm).index([docs]))
    assert passages(s.db_path) == before
    # ...and a file read again is cut by its reading, then by topic again on a run with topic cuts.
    (docs / "notes.txt").write_text(BREAD + LIGHTHOUSE)
    run_to_end(Indexer(settings(tmp_path, minilm_path, topic_cuts=False), embedder=minilm).index([docs]))
    assert cuts(s.db_path)["notes.txt"] is None
    assert len([p for p in stored_passages(s.db_path) if p.doc == "notes.txt"]) == 1
    traced = Traced(minilm)
    run_to_end(Indexer(s, embedder=traced).index([docs]))
    assert traced.windows  # notes.txt read by the model again
    assert cuts(s.db_path) == {"notes.txt": TOPICS, "short.txt": TOPICS}
    # Cut again (where, at the default share of boundaries, is the model's judgement on 8 sentences).
    assert len([p for p in stored_passages(s.db_path) if p.doc == "notes.txt"]) > 1
    assert unembedded(s.db_path) == 0


class CancelsOnFirstCall(Traced):
    """The real model; the run's control is cancelled as the first window is read."""

    control: Control

    def token_vectors(self, windows):  # type: ignore[no-untyped-def]
        self.control.cancel()
        return super().token_vectors(windows)


@pytest.mark.model
def test_a_cancelled_topic_pass_commits_nothing_and_the_next_run_finishes(
    minilm, minilm_path: str, tmp_path: Path, docs: Path
) -> None:  # type: ignore[no-untyped-def]
    s = settings(tmp_path, minilm_path)
    control = Control()
    cancelling = CancelsOnFirstCall(minilm)
    cancelling.control = control
    run_to_end(Indexer(s, embedder=cancelling, control=control).index([docs]))
    assert cancelling.windows
    assert set(cuts(s.db_path).values()) == {None}  # no document marked as topic-cut by a cancelled read
    assert len([p for p in stored_passages(s.db_path) if p.doc == "notes.txt"]) == 1

    run_to_end(Indexer(s, embedder=minilm).index([docs]))
    assert ends_at_the_change(s.db_path)
    assert unembedded(s.db_path) == 0


@pytest.mark.model
def test_a_recipe_switch_cuts_by_topic_after_its_swap_in_the_same_run(
    minilm, minilm_path: str, tmp_path: Path, docs: Path
) -> None:  # type: ignore[no-untyped-def]
    run_to_end(Indexer(settings(tmp_path, minilm_path, topic_cuts=False), embedder=minilm).index([docs]))
    late = Settings(**{**vars(settings(tmp_path, minilm_path)), "recipe": Recipe(late=True, window=512)})
    outcome = run_to_end(Indexer(late, embedder=minilm).index([docs]))
    assert outcome.swap_seconds is not None  # re-embedded late through staging, swapped in...
    assert ends_at_the_change(late.db_path)  # ...then cut by topic, with late vectors
    assert cuts(late.db_path) == {"notes.txt": TOPICS, "short.txt": TOPICS}
    assert unembedded(late.db_path) == 0
    assert meta(late.db_path, "recipe") == "late:512"


@pytest.mark.model
def test_a_data_file_is_not_read_by_the_model_for_topic_cuts(minilm, minilm_path: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "data-only"
    root.mkdir()
    rows = "".join(f"2026-01-{d % 28 + 1:02d},{d * 37 % 1000},sensor-{d % 7},ok\n" for d in range(400))
    (root / "readings.csv").write_text("date,value,sensor,state\n" + rows)
    s = settings(tmp_path, minilm_path)
    traced = Traced(minilm)
    run_to_end(Indexer(s, embedder=traced).index([root]))
    assert traced.windows == []  # keyword only by default (indexing/budget.py): no model pass, no vectors
    assert cuts(s.db_path) == {"readings.csv": None}  # not waiting either: no later run loads the model for it
    plain = settings(tmp_path / "plain", minilm_path, topic_cuts=False)
    run_to_end(Indexer(plain, embedder=minilm).index([root]))
    assert passages(s.db_path) == passages(plain.db_path)
    run_to_end(Indexer(s, embedder_factory=no_load).index([root]))  # type: ignore[arg-type]

    # "Also search these by meaning": now the model reads it, cuts it and embeds it.
    traced = Traced(minilm)
    run_to_end(Indexer(s, embedder=traced, embed_data=True).index([root]))
    assert traced.windows and cuts(s.db_path) == {"readings.csv": TOPICS}
    assert unembedded(s.db_path) == 0 and all(p.vector is not None for p in stored_passages(s.db_path))


@pytest.mark.model
def test_an_index_switched_to_topic_cuts_counts_the_vectors_its_new_passages_got(
    minilm, minilm_path: str, tmp_path: Path, docs: Path
) -> None:  # type: ignore[no-untyped-def]
    run_to_end(Indexer(settings(tmp_path, minilm_path, topic_cuts=False), embedder=minilm).index([docs]))
    s = settings(tmp_path, minilm_path)
    outcome = run_to_end(Indexer(s, embedder=minilm).index([docs]))
    notes = [p for p in stored_passages(s.db_path) if p.doc == "notes.txt"]
    assert len(notes) == 2 and outcome.summary.passages_embedded == 2  # embedded as they were swapped in
    assert unembedded(s.db_path) == 0


@pytest.mark.model
def test_a_new_passage_size_with_topic_cuts_is_cut_by_topic(
    minilm, minilm_path: str, tmp_path: Path, docs: Path
) -> None:  # type: ignore[no-untyped-def]
    run_to_end(Indexer(settings(tmp_path, minilm_path), embedder=minilm).index([docs]))
    smaller = Settings(**{**vars(settings(tmp_path, minilm_path)), "chunk_tokens": 120})
    run_to_end(Indexer(smaller, embedder=minilm, rechunk=True).index([docs]))  # as the app asks for a new size
    key = recut_key(120, 16, topic_cuts=True)
    assert cuts(smaller.db_path) == {"notes.txt": key, "short.txt": key}
    assert meta(smaller.db_path, "rechunk_to") is None  # no plain re-cut left asked for
    assert unembedded(smaller.db_path) == 0


def test_a_model_without_token_vectors_is_told_to_index_without_topic_cuts(tmp_path: Path, docs: Path) -> None:
    s = settings(tmp_path, "fake-embedder")
    emb = FakeEmbedder()
    assert not hasattr(emb, "token_vectors")
    with pytest.raises(RecipeUnsupportedError, match="without --topic-cuts"):
        run_to_end(Indexer(s, embedder=emb).index([docs]))
    # What was read stays keyword-searchable.
    assert {p.doc for p in stored_passages(s.db_path)} == {"notes.txt", "short.txt"}

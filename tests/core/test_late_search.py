"""Late chunking finds what naive chunking cannot (real MiniLM): a passage that never names its subject,
asked about by that subject's name, carries the name from the opening passage of its document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jinasearch.core.config import Recipe, Settings
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.models import Hit
from jinasearch.core.search import Searcher
from tests.core.indexing.late_helpers import OTHER, QUESTIONS, SUBJECT, meta, write_subject_notes

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def searchers(minilm, minilm_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Searcher]]:  # type: ignore[no-untyped-def]
    """The same two notes indexed naive and with late chunking, passages of 64 tokens (three a note)."""
    tmp = tmp_path_factory.mktemp("late-search")
    write_subject_notes(tmp / "docs")
    out = {}
    for name, recipe in (("naive", None), ("late", Recipe(late=True, window=512))):
        settings = Settings(data_dir=tmp / name, model=minilm_path, chunk_tokens=64, overlap_tokens=8, recipe=recipe)
        run_to_end(Indexer(settings, embedder=minilm).index([tmp / "docs"]))
        assert meta(settings.db_path, "recipe") == ("late:512" if recipe else "naive")
        out[name] = Searcher(settings, embedder=minilm)
    yield out
    for s in out.values():
        s.close()


def passages(searcher: Searcher, question: str) -> list[Hit]:
    """Every passage of both notes, by semantic search, best first."""
    hits = searcher.search(question, mode="semantic", k=2, per_file=10, weak=True, sentences=False)
    return sorted(hits, key=lambda h: -h.score)


def blades(hits: list[Hit], note: str) -> Hit:
    """The note's passage that says what its blades are made of."""
    (hit,) = [h for h in hits if Path(h.path).name == note and "bronze alloy" in h.text]
    return hit


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_passage_that_never_names_its_subject_is_found_by_it_with_late_chunking(
    searchers: dict[str, Searcher], question: str
) -> None:
    late, naive = passages(searchers["late"], question), passages(searchers["naive"], question)
    assert len(late) == len(naive) == 6
    target = blades(late, "notes-1.txt")
    # The setup holds: that passage names no machine, and nothing but the text goes with it to the model.
    assert SUBJECT not in target.text and OTHER not in target.text and target.char_start > 0
    assert not target.title and not target.section

    # Late chunking: it is among the two best passages, well above every passage of the other note.
    assert [h.passage_id for h in late].index(target.passage_id) <= 1
    assert target.score > max(h.score for h in late if Path(h.path).name == "notes-2.txt") + 0.05
    assert Path(late[0].path).name == "notes-1.txt"

    # Naive: the same passage, read alone, ranks below the other note's blades passage, and low.
    alone = blades(naive, "notes-1.txt")
    assert alone.score < blades(naive, "notes-2.txt").score - 0.03
    assert [h.passage_id for h in naive].index(alone.passage_id) >= 3

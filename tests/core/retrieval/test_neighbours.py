"""A hit widened to the passage next to it (retrieval/neighbours.py): when, how, and what it keeps."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from jinasearch.core.retrieval import neighbours
from jinasearch.core.retrieval.neighbours import MAX_GAP, joined, widened
from jinasearch.core.store import HitRow, Neighbour
from tests.core.helpers import indexed_searcher, write

# Two passages of one section saying nearly the same (the filler is one repeated word, so the fake
# embedder's cosines of the two are close), then a passage of another section.
DOC = (
    "# Harbour lights\n\n"
    + "Each lantern keeper trims a wick before dusk. "
    + " ".join(["shore"] * 28)
    + "\n\nEvery lantern keeper trims the wick before dusk. "
    + " ".join(["shore"] * 28)
    + "\n\n# Other matters\n\nThe lantern keeper rests. "
    + " ".join(["cc"] * 30)
    + "\n"
)


def _row(start: int, end: int, text: str, pid: int = 1) -> HitRow:
    return HitRow(pid, 1, "/x.txt", None, text, start, end, 0.0)


def _next(of: int, side: int, start: int, end: int, text: str, cosine: float, own: float, pid: int = 2) -> Neighbour:
    return Neighbour(of, pid, side, start, end, text, cosine, own)


def test_overlapping_passages_join_into_one_run_of_the_document() -> None:
    document = "alpha beta gamma delta epsilon"
    a, b = _row(0, 16, document[0:16]), _next(1, 1, 11, 30, document[11:30], 0.5, 0.5)
    out = joined(a, b)
    assert (out.text, out.char_start, out.char_end) == (document, 0, 30)
    before = joined(_row(11, 30, document[11:30]), _next(1, -1, 0, 16, document[0:16], 0.5, 0.5))
    assert (before.text, before.char_start, before.char_end) == (document, 0, 30)


def test_a_whitespace_gap_keeps_its_length_and_a_wider_one_is_not_joined() -> None:
    out = joined(_row(0, 5, "alpha"), _next(1, 1, 7, 11, "beta", 0.5, 0.5))
    assert out.text == "alpha\n\nbeta" and len(out.text) == out.char_end - out.char_start
    assert joined(_row(0, 5, "alpha"), _next(1, 1, 6, 10, "beta", 0.5, 0.5)).text == "alpha beta"
    far = _row(0, 5, "alpha")
    assert joined(far, _next(1, 1, 6 + MAX_GAP, 10 + MAX_GAP, "beta", 0.5, 0.5)) is far


class _Store:
    def __init__(self, found: list[Neighbour]) -> None:
        self.found = found

    def neighbours(self, ids: Sequence[int], query: np.ndarray, excluded: Sequence[str] = ()) -> list[Neighbour]:
        return [n for n in self.found if n.of in ids]


Q = np.zeros(4, dtype=np.float32)
MINILM = "sentence-transformers/all-MiniLM-L6-v2"  # a model with a measured margin (and a floor of 0.25)


def test_only_a_neighbour_about_as_close_and_not_itself_a_hit_widens() -> None:
    hit, other_hit = _row(0, 5, "alpha", pid=1), _row(20, 25, "omega", pid=9)
    close = _next(1, 1, 6, 10, "beta", cosine=0.48, own=0.50, pid=2)
    far = _next(1, -1, 0, 0, "", cosine=0.30, own=0.50, pid=3)
    shown = _next(9, -1, 14, 19, "delta", cosine=0.9, own=0.5, pid=1)  # hit 1 is next to hit 9
    out = widened([(hit, 1.0), (other_hit, 0.5)], Q, _Store([close, far, shown]), MINILM)
    assert out[0][0].text == "alpha beta" and out[0][1] == 1.0
    assert out[1][0] is other_hit
    assert widened([(hit, 1.0)], Q, _Store([far]), MINILM)[0][0] is hit


def test_the_closer_side_wins_and_a_neighbour_is_shown_once() -> None:
    hit, later = _row(10, 15, "gamma", pid=5), _row(30, 35, "omega", pid=7)
    before = _next(5, -1, 4, 9, "beta", cosine=0.47, own=0.50, pid=4)
    after = _next(5, 1, 16, 21, "delta", cosine=0.49, own=0.50, pid=6)
    also_after = _next(7, -1, 16, 21, "delta", cosine=0.49, own=0.49, pid=6)  # the same passage, next to hit 7
    out = widened([(hit, 1.0), (later, 0.9)], Q, _Store([before, after, also_after]), MINILM)
    assert out[0][0].text == "gamma delta" and out[1][0] is later


def test_no_widening_below_the_floor_or_for_a_model_without_a_measured_margin() -> None:
    hit = _row(0, 5, "alpha")
    weak = _next(1, 1, 6, 10, "beta", cosine=0.20, own=0.21)  # both under MiniLM's floor of 0.25
    assert widened([(hit, 1.0)], Q, _Store([weak]), MINILM)[0][0] is hit
    close = _next(1, 1, 6, 10, "beta", cosine=0.5, own=0.5)
    assert widened([(hit, 1.0)], Q, _Store([close]), "some/other-model")[0][0] is hit
    assert widened([(hit, 1.0)], Q, _Store([close]), None)[0][0] is hit


@pytest.fixture
def fake_has_a_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(neighbours.MARGINS, "fake-embedder", 0.05)


@pytest.mark.usefixtures("fake_has_a_margin")
def test_search_shows_the_next_passage_of_the_section_and_never_crosses_a_section(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    write(root / "notes.md", DOC)
    write(root / "other.md", "A lantern keeper of another file. " + " ".join(["shore"] * 20))
    with indexed_searcher(tmp_path, root) as s:
        doc = s.store.conn.execute("SELECT id FROM documents WHERE path LIKE '%notes.md'").fetchone()[0]
        rows = s.store.conn.execute(
            "SELECT id, char_start, char_end, text, section FROM passages WHERE doc_id = ? ORDER BY ord", (doc,)
        )
        (p0, s0, _e0, t0, sec0), (p1, _s1, e1, t1, sec1), (p2, *_rest, sec2) = rows.fetchall()
        assert sec0 == sec1 != sec2
        (hit,) = s.search("lantern keeper dusk", k=1, weak=True)
        assert (hit.char_start, hit.char_end) == (s0, e1)
        assert hit.text.startswith(t0) and hit.text.endswith(t1) and len(hit.text) == e1 - s0
        q = s.embedder.encode_query("lantern keeper rests")
        # Its neighbour by id on one side is of another section, on the other of another file (or none).
        assert {n.passage_id for n in s.store.neighbours([p2], q)} == set()
        assert {n.passage_id for n in s.store.neighbours([p1], q)} == {p0}
        (by_words,) = s.search("lantern keeper dusk", k=1, mode="keyword", weak=True)
        assert by_words.char_end - by_words.char_start < e1 - s0  # words alone: no cosine, nothing widened
        (kept_out,) = s.search("lantern keeper dusk -each", k=1, weak=True)  # the neighbour holds "Each"
        assert (kept_out.char_start, kept_out.char_end, kept_out.text) == (_s1, e1, t1)
        both = s.search("lantern keeper dusk", k=1, per_file=2, weak=True)
        assert sorted(h.text for h in both) == sorted([t0, t1])  # both shown: each as itself

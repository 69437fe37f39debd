"""A hit widened to the passage next to it (retrieval/neighbours.py): when, how, and what it keeps."""

from __future__ import annotations

from pathlib import Path

import numpy as np

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
    far = _row(0, 5, "alpha")
    assert joined(far, _next(1, 1, 6 + MAX_GAP, 10 + MAX_GAP, "beta", 0.5, 0.5)) is far


class _Store:
    def __init__(self, found: list[Neighbour]) -> None:
        self.found = found

    def neighbours(self, ids: list[int], query: np.ndarray) -> list[Neighbour]:
        return [n for n in self.found if n.of in ids]


def test_only_a_neighbour_about_as_close_and_not_itself_a_hit_widens() -> None:
    hit, other_hit = _row(0, 5, "alpha", pid=1), _row(20, 25, "omega", pid=9)
    close = _next(1, 1, 6, 10, "beta", cosine=0.48, own=0.50, pid=2)
    far = _next(1, -1, 0, 0, "", cosine=0.30, own=0.50, pid=3)
    shown = _next(9, -1, 14, 19, "delta", cosine=0.9, own=0.5, pid=1)  # hit 1 is next to hit 9
    q = np.zeros(4, dtype=np.float32)
    out = widened([(hit, 1.0), (other_hit, 0.5)], q, _Store([close, far, shown]))  # type: ignore[arg-type]
    assert out[0][0].text == "alpha\nbeta" and out[0][1] == 1.0
    assert out[1][0] is other_hit
    assert widened([(hit, 1.0)], q, _Store([far]))[0][0] is hit  # type: ignore[arg-type]


def test_search_shows_the_next_passage_of_the_section_and_never_crosses_a_section(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    write(root / "notes.md", DOC)
    with indexed_searcher(tmp_path, root) as s:
        rows = s.store.conn.execute("SELECT id, char_start, char_end, text, section FROM passages ORDER BY ord")
        (p0, s0, _e0, t0, sec0), (p1, _s1, e1, t1, sec1), (p2, *_rest, sec2) = rows.fetchall()
        assert sec0 == sec1 != sec2
        (hit,) = s.search("lantern keeper dusk", k=1, weak=True)
        assert (hit.char_start, hit.char_end) == (s0, e1)
        assert hit.text.startswith(t0) and hit.text.endswith(t1) and len(hit.text) == e1 - s0
        q = s.embedder.encode_query("lantern keeper rests")
        assert {n.passage_id for n in s.store.neighbours([p2], q)} == set()  # its only neighbour: another section
        assert {n.passage_id for n in s.store.neighbours([p1], q)} == {p0}
        (by_words,) = s.search("lantern keeper dusk", k=1, mode="keyword", weak=True)
        assert by_words.char_end - by_words.char_start < e1 - s0  # words alone: no cosine, nothing widened
        both = s.search("lantern keeper dusk", k=1, per_file=2, weak=True)
        assert sorted(h.text for h in both) == sorted([t0, t1])  # both shown: each as itself

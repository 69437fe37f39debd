"""The same passage in several files is one hit naming the others (`also_in`), in the list and beyond it."""

from __future__ import annotations

from pathlib import Path

from jinasearch.core.models import Hit
from jinasearch.core.retrieval.grouping import fold_copies
from tests.core.helpers import indexed_searcher, write

SHARED = "The quarterly budget review moved to Thursday at noon in room 4."


def hit(pid: int, path: str, text: str) -> Hit:
    return Hit(pid, pid, path, None, 1.0 / pid, text, 0, len(text), ("keyword",))


def test_a_later_identical_passage_is_folded_into_the_first() -> None:
    hits = [hit(1, "/a.txt", SHARED), hit(2, "/b.txt", "other"), hit(3, "/c.txt", SHARED.replace(" ", "\n  "))]
    folded = fold_copies(hits, lambda ids: {1: ["/c.txt", "/d.txt"], 2: []})
    assert [h.path for h in folded] == ["/a.txt", "/b.txt"]
    assert folded[0].also_in == ("/c.txt", "/d.txt")  # the listed copy first, each named once
    assert folded[1].also_in == ()


def test_search_lists_a_copied_passage_once_and_names_every_copy(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    write(root / "notes" / "meeting.txt", SHARED)
    write(root / "backup" / "meeting.txt", SHARED)
    write(root / "old" / "meeting.txt", SHARED)
    write(root / "notes" / "other.txt", "The budget for the garden is small this year.")
    with indexed_searcher(tmp_path, root) as s:
        hits = s.search("quarterly budget review", k=10, mode="keyword")
        copies = [h for h in hits if h.text == SHARED]
        assert len(copies) == 1
        others = {str(root / d / "meeting.txt") for d in ("notes", "backup", "old")} - {copies[0].path}
        assert set(copies[0].also_in) == others
        # With one file asked for, the copies outside the list are still named (found by their hash).
        (first,) = s.search("quarterly budget review", k=1, mode="keyword")
        assert set(first.also_in) == {str(root / d / "meeting.txt") for d in ("notes", "backup", "old")} - {first.path}


def test_copies_take_one_place_so_k_files_still_come(tmp_path: Path) -> None:
    """Three copies of one passage and two other matching files, k = 3: three files, not one."""
    root = tmp_path / "docs"
    for folder in ("a", "b", "c"):
        write(root / folder / "meeting.txt", SHARED)
    write(root / "other.txt", "The quarterly budget for the garden is small this year.")
    write(root / "other2.txt", "Budget review notes.")
    with indexed_searcher(tmp_path, root) as s:
        for mode in ("keyword", "hybrid"):
            hits = s.search("quarterly budget review", k=3, mode=mode)
            assert len({h.doc_id for h in hits}) == 3, (mode, [h.path for h in hits])
            first = next(h for h in hits if h.text == SHARED)
            assert sorted(Path(p).parent.name for p in (first.path, *first.also_in)) == ["a", "b", "c"]

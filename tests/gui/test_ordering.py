"""The results list sorts by relevance, date modified or name, a card per file or per passage, and shows
a passage found in several files once, naming the others ("also in: …")."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from jinasearch.core.models import Hit
from jinasearch.gui.ordering import arrange
from jinasearch.gui.results import card_for
from tests.core.helpers import write
from tests.gui.helpers import index_folder, search


def hit(pid: int, doc: int, name: str, score: float, mtime: float) -> Hit:
    return Hit(pid, doc, f"/docs/{name}", None, score, f"passage {pid}", 0, 9, ("keyword",), mtime=mtime)


HITS = [  # as the searcher ranks them: file by file, the best file first
    hit(1, 10, "b.txt", 0.9, 300.0),
    hit(2, 10, "b.txt", 0.5, 300.0),
    hit(3, 20, "C.txt", 0.8, 100.0),
    hit(4, 30, "a.txt", 0.7, 200.0),
    hit(5, 30, "a.txt", 0.6, 200.0),
]


def pids(cards: list[list[Hit]]) -> list[list[int]]:
    return [[h.passage_id for h in c] for c in cards]


def test_arrange_sorts_cards_and_groups_by_file_or_not() -> None:
    assert pids(arrange(HITS)) == [[1, 2], [3], [4, 5]]
    assert pids(arrange(HITS, "modified")) == [[1, 2], [4, 5], [3]]  # newest first
    assert pids(arrange(HITS, "name")) == [[4, 5], [1, 2], [3]]  # a, b, C: case does not count
    assert pids(arrange(HITS, "relevance", by_file=False)) == [[1], [3], [4], [5], [2]]  # by score alone
    assert pids(arrange(HITS, "name", by_file=False)) == [[4], [5], [1], [2], [3]]


def test_the_list_sorts_and_ungroups_on_request(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    docs = tmp_path / "docs"
    text = "Harbour ferry timetable: boats leave hourly. " * 3
    for i, name in enumerate(["zeta.txt", "alpha.txt", "mid.txt"]):
        notes = (
            f"Ferry note {i}.{j}: the harbour boat waits by the pier for the late train. {text}" for j in range(12)
        )
        write(docs / name, f"{name} {text}\n\n" + "\n\n".join(notes))
        os.utime(docs / name, (1_600_000_000 + i * 1000, 1_600_000_000 + i * 1000))
    w = make_window()
    index_folder(qtbot, w, docs)
    search(qtbot, w, "harbour ferry boat")
    pane = w.results

    def shown() -> list[str]:
        return [Path(pane.model.hit(i).path).name for i in range(pane.model.rowCount())]

    relevance = shown()
    assert sorted(relevance) == ["alpha.txt", "mid.txt", "zeta.txt"]  # a card per file
    pane.sort.setCurrentIndex(pane.sort.findData("name"))
    assert shown() == ["alpha.txt", "mid.txt", "zeta.txt"]
    pane.sort.setCurrentIndex(pane.sort.findData("modified"))
    assert shown() == ["mid.txt", "alpha.txt", "zeta.txt"]  # newest first
    pane.by_file.setChecked(False)
    assert len(shown()) == len(pane.model.hits) > 3 and all(
        pane.model.index(i).data(Qt.ItemDataRole.UserRole + 2) == 0 for i in range(len(shown()))
    )  # a card per passage, nothing folded
    pane.sort.setCurrentIndex(pane.sort.findData("relevance"))
    scores = [pane.model.hit(i).score for i in range(pane.model.rowCount())]
    assert scores == sorted(scores, reverse=True)
    pane.by_file.setChecked(True)
    assert shown() == relevance


def test_a_passage_in_two_files_is_one_card_saying_also_in(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    docs = tmp_path / "docs"
    minutes = "Minutes: the roof repair is approved and starts in March with the blue tiles."
    write(docs / "minutes.txt", minutes)
    write(docs / "backup" / "minutes.txt", minutes)
    write(docs / "other.txt", "The garden roof needs no repair this year.")
    w = make_window()
    index_folder(qtbot, w, docs)
    hits = search(qtbot, w, "roof repair approved")
    same = [h for h in hits if h.text == minutes]
    assert len(same) == 1
    other = {str(docs / "minutes.txt"), str(docs / "backup" / "minutes.txt")} - {same[0].path}
    assert same[0].also_in == tuple(other)
    row = next(i for i in range(w.results.model.rowCount()) if w.results.model.hit(i).text == minutes)
    card = card_for(w.results.model.hit(row))
    assert card.also.startswith("also in: ") and "minutes.txt" in card.also
    assert "also in:" in w.results.model.index(row).data(Qt.ItemDataRole.ToolTipRole)

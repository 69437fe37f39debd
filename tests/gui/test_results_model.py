"""The results item model is a well-behaved Qt model, empty and full."""

from __future__ import annotations

from PySide6.QtCore import Qt

from jinasearch.core.models import Hit
from jinasearch.gui.results import HitRole, ResultsModel


def _hit(i: int) -> Hit:
    return Hit(
        passage_id=i,
        doc_id=i,
        path=f"/docs/file{i}.pdf",
        page=i + 1,
        score=1.0 / (i + 1),
        text=f"Passage {i} about budgets.",
        char_start=0,
        char_end=25,
        sources=("keyword",),
        term_spans=((12, 19),),
        sentence_span=(0, 25),
        mtime=1_700_000_000.0,
    )


def test_results_model_passes_qtmodeltester(qtmodeltester) -> None:
    model = ResultsModel()
    qtmodeltester.check(model)
    model.set_hits([_hit(i) for i in range(5)])
    qtmodeltester.check(model)
    model.set_hits([])
    qtmodeltester.check(model)


def test_rows_expose_the_hit_and_a_readable_label() -> None:
    model = ResultsModel()
    hits = [_hit(i) for i in range(3)]
    model.set_hits(hits)
    assert model.rowCount() == 3
    idx = model.index(1)
    assert idx.data(HitRole) == hits[1]
    assert idx.data(Qt.ItemDataRole.DisplayRole) == "file1.pdf"
    assert "page 2" in idx.data(Qt.ItemDataRole.ToolTipRole)


def test_qt_reading_roles_the_model_does_not_serve_keeps_none_alive() -> None:
    # Views ask for every role of every row on each paint; data() answers None for most. PySide6
    # 6.12.0 lost a reference to None on each such call, so the app aborted after ~30 searches.
    import sys

    model = ResultsModel()
    model.set_hits([_hit(0)])
    idx = model.index(0)
    before = sys.getrefcount(None)
    for _ in range(1000):
        assert idx.data(Qt.ItemDataRole.DecorationRole) is None
    assert abs(sys.getrefcount(None) - before) < 50, "this PySide6 build leaks None from data(): see pyproject.toml"


def test_best_sentences_fill_in_after_the_hits() -> None:
    model = ResultsModel()
    plain = [Hit(**{**_hit(i).__dict__, "sentence_span": None}) for i in range(3)]
    model.set_hits(plain)
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, *_r: changed.append(top.row()))
    model.set_sentences({1: (0, 7), 2: None, 99: (0, 1)})
    assert changed == [1] and model.hit(1).sentence_span == (0, 7) and model.hit(0).sentence_span is None


def test_a_files_other_passages_fold_behind_its_best_and_unfold_on_request(qtbot) -> None:  # type: ignore[no-untyped-def]
    from jinasearch.core.models import Hit
    from jinasearch.gui.results import MoreRole, ResultsModel, card_for

    def hit(pid: int, doc: int, name: str) -> Hit:
        return Hit(pid, doc, f"/docs/{name}", None, 1.0 - pid / 10, f"passage {pid}", 0, 9, ("keyword",))

    model = ResultsModel()
    model.set_hits([hit(1, 10, "a.txt"), hit(2, 10, "a.txt"), hit(3, 10, "a.txt"), hit(4, 20, "b.txt")])
    assert model.files == 2 and [h.passage_id for h in model.hits] == [1, 4]
    assert model.index(0).data(MoreRole) == 2 and model.index(1).data(MoreRole) == 0
    assert "2 more from this file" in card_for(model.hit(0), more=2).subtitle  # type: ignore[arg-type]
    assert model.toggle_more(0) and [h.passage_id for h in model.hits] == [1, 2, 3, 4]
    assert not model.toggle_more(3)  # b.txt has nothing folded
    assert model.toggle_more(1) and [h.passage_id for h in model.hits] == [1, 4]  # folds again

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

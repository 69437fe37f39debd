"""The results item model is a well-behaved Qt model, empty and full."""

from __future__ import annotations

from PySide6.QtCore import Qt

from jinasearch.core.models import Hit
from jinasearch.gui.results import HitRole, ResultsModel


def _hit(i: int) -> Hit:
    return Hit(passage_id=i, doc_id=i, path=f"/docs/file{i}.pdf", page=i + 1, score=1.0 / (i + 1),
               text=f"Passage {i} about budgets.", char_start=0, char_end=25, sources=("keyword",),
               term_spans=((12, 19),), sentence_span=(0, 25), mtime=1_700_000_000.0)  # fmt: skip


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

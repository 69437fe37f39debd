"""The results list's item model: a thin adapter over the search's list[Hit], arranged as the person
chose (gui/ordering.py), each file's further passages folded behind its card until asked for."""

from __future__ import annotations

import os
from dataclasses import replace

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

from ..core.context import breadcrumb
from ..core.models import Hit
from .ordering import Order, arrange

HitRole = Qt.ItemDataRole.UserRole + 1
MoreRole = Qt.ItemDataRole.UserRole + 2  # how many more passages of the row's file are folded away (0: none)


class ResultsModel(QAbstractListModel):
    """Rows are cards: with `by_file`, each file's best passage, and its next ones when the person asks
    for "more from this file"; without, every passage. Views read the Hit itself through HitRole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hits: list[Hit] = []  # as the searcher ranked them
        self.order: Order = "relevance"
        self.by_file = True
        self._groups: list[list[Hit]] = []  # the cards, each its hits best first
        self._open: set[int] = set()  # doc ids whose further passages are shown
        self._rows: list[tuple[Hit, int]] = []  # (hit, passages folded behind it)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        hit, folded = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return os.path.basename(hit.path)
        if role == Qt.ItemDataRole.ToolTipRole:
            also = "".join(f"\n  {p}" for p in hit.also_in)
            return hit.path + (f"\npage {hit.page}" if hit.page else "") + (f"\nalso in:{also}" if also else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{breadcrumb(hit.path, hit.title, hit.section, hit.page, hit.unit)}: {hit.text[:200]}"
        if role == HitRole:
            return hit
        if role == MoreRole:
            return folded
        return None

    def set_hits(self, hits: list[Hit]) -> None:
        """Hits as the searcher gives them: file by file, each file's passages together, best first."""
        self.beginResetModel()
        self._hits = list(hits)
        self._open = set()
        self._layout()
        self.endResetModel()

    def set_order(self, order: Order, by_file: bool) -> None:
        """Arrange the same hits anew (folded files stay folded)."""
        self.beginResetModel()
        self.order, self.by_file = order, by_file
        self._layout()
        self.endResetModel()

    def _layout(self) -> None:
        self._groups = arrange(self._hits, self.order, self.by_file)
        self._rows = []
        for group in self._groups:
            if group[0].doc_id in self._open:
                self._rows.extend((h, 0) for h in group)
            else:
                self._rows.append((group[0], len(group) - 1))

    def toggle_more(self, row: int) -> bool:
        """Show (or fold again) the other passages of the row's file; False when it has none."""
        hit = self.hit(row)
        group = next((g for g in self._groups if hit is not None and g[0].doc_id == hit.doc_id), None)
        if group is None or len(group) < 2:
            return False
        self.beginResetModel()
        self._open.symmetric_difference_update({group[0].doc_id})
        self._layout()
        self.endResetModel()
        return True

    def set_sentences(self, spans: dict[int, tuple[int, int] | None]) -> None:
        """Fill in best-sentence spans (passage id -> span) that arrive after the hits."""
        changed = False
        for i, hit in enumerate(self._hits):
            if hit.passage_id in spans and spans[hit.passage_id] != hit.sentence_span:
                self._hits[i] = replace(hit, sentence_span=spans[hit.passage_id])
                changed = True
        if not changed:
            return
        by_id = {h.passage_id: h for h in self._hits}
        self._groups = [[by_id[h.passage_id] for h in g] for g in self._groups]
        for row, (hit, folded) in enumerate(self._rows):
            new = by_id[hit.passage_id]
            if new is not hit:
                self._rows[row] = (new, folded)
                idx = self.index(row)
                self.dataChanged.emit(idx, idx)

    def hit(self, row: int) -> Hit | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    @property
    def hits(self) -> list[Hit]:
        return [h for h, _ in self._rows]

    @property
    def files(self) -> int:
        return len({h.doc_id for h in self._hits})

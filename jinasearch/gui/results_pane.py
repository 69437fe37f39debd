"""The results area: the ranked list (or, when there is nothing to list, a sentence saying why)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QMenu, QStackedWidget, QWidget

from ..core.models import Hit
from . import actions
from .results import HitRole, ResultDelegate, ResultsModel


class ResultsPane(QStackedWidget):
    selected = Signal(object)  # Hit: the current row changed
    activated = Signal(object)  # Hit: double-click or Enter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ResultsModel(self)
        self.list = QListView()
        self.list.setObjectName("results")
        self.list.setModel(self.model)
        self.delegate = ResultDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setUniformItemSizes(False)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #5f6368; font-size: 15pt; padding: 24px;")
        self.addWidget(self.empty)
        self.addWidget(self.list)
        self.open_action = QAction("Open", self, triggered=lambda: self._with_hit(self.activated.emit))
        self.reveal_action = QAction(
            "Open containing folder", self, triggered=lambda: self._with_hit(actions.reveal_hit)
        )
        self.copy_action = QAction("Copy path", self, triggered=lambda: self._with_hit(actions.copy_hit_path))
        for key in ("Return", "Enter"):
            QShortcut(
                QKeySequence(key),
                self.list,
                activated=lambda: self._with_hit(self.activated.emit),
                context=Qt.ShortcutContext.WidgetShortcut,
            )
        self.list.selectionModel().currentChanged.connect(lambda cur, _prev: self._current(cur.row()))
        self.list.doubleClicked.connect(lambda _i: self._with_hit(self.activated.emit))
        self.list.customContextMenuRequested.connect(self._context_menu)

    def show_hits(self, hits: list[Hit]) -> None:
        self.model.set_hits(hits)
        if hits:
            self.list.setCurrentIndex(self.model.index(0))

    def show_empty(self, text: str) -> None:
        """`text` when the list is empty; the list itself otherwise."""
        if self.model.rowCount():
            self.setCurrentWidget(self.list)
            return
        self.empty.setText(text)
        self.setCurrentWidget(self.empty)

    def focus_first(self) -> None:
        if self.model.rowCount():
            self.list.setFocus()
            if not self.list.currentIndex().isValid():
                self.list.setCurrentIndex(self.model.index(0))

    def current_hit(self) -> Hit | None:
        idx = self.list.currentIndex()
        hit = idx.data(HitRole) if idx.isValid() else None
        return hit if isinstance(hit, Hit) else None

    def _current(self, row: int) -> None:
        hit = self.model.hit(row)
        if hit is not None:
            self.selected.emit(hit)

    def _with_hit(self, fn) -> None:  # type: ignore[no-untyped-def]
        hit = self.current_hit()
        if hit is not None:
            fn(hit)

    def _context_menu(self, pos: QPoint) -> None:
        idx = self.list.indexAt(pos)
        if not idx.isValid():
            return
        self.list.setCurrentIndex(idx)
        menu = QMenu(self)
        menu.addActions([self.open_action, self.reveal_action, self.copy_action])
        menu.exec(self.list.viewport().mapToGlobal(pos))

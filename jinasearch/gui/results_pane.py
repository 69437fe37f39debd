"""The results area: the ranked list (or, when there is nothing to list, a sentence saying why)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.models import Hit
from . import actions
from .ordering import ORDERS
from .results import HitRole, MoreRole, ResultDelegate, ResultsModel


class ResultsPane(QStackedWidget):
    selected = Signal(object)  # Hit: the current row changed
    activated = Signal(object)  # Hit: double-click or Enter
    revealRequested = Signal(object)  # Hit: "Open containing folder"
    weakRequested = Signal()  # "show the nearest results anyway" after "No close matches"
    status = Signal(str)  # for the status bar: "Searching…" while a query runs, then how many results

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
        self.weak_btn = QPushButton()
        self.weak_btn.setFlat(True)
        self.weak_btn.setStyleSheet("color: #1565c0;")
        self.weak_btn.clicked.connect(self.weakRequested)
        self.weak_btn.hide()
        empty_page = QWidget()
        lay = QVBoxLayout(empty_page)
        lay.setContentsMargins(0, 0, 0, 0)  # the label pads itself; the window's minimum size stays as it was
        lay.addStretch(1)
        lay.addWidget(self.empty)
        lay.addWidget(self.weak_btn, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(1)
        self.empty_page = empty_page
        self.addWidget(empty_page)
        self.list_page = self._list_page()
        self.addWidget(self.list_page)
        self.open_action = QAction("Open", self, triggered=lambda: self._with_hit(self.activated.emit))
        self.reveal_action = QAction(
            "Open containing folder", self, triggered=lambda: self._with_hit(self.revealRequested.emit)
        )
        self.copy_action = QAction("Copy path", self, triggered=lambda: self._with_hit(actions.copy_hit_path))
        self.more_action = QAction("More from this file", self, triggered=self.toggle_more)
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

    def _list_page(self) -> QWidget:
        """The list under its arrangement: sort by relevance, date modified or name; a card per file or per passage."""
        self.sort = QComboBox()
        self.sort.setObjectName("sortBy")
        for order, label in ORDERS:
            self.sort.addItem(label, order)
        self.by_file = QCheckBox("Group by file")
        self.by_file.setChecked(True)
        self.by_file.setToolTip("One card per file, its other passages folded under it; untick for a card per passage")
        self.sort.currentIndexChanged.connect(lambda _i: self.arrange())
        self.by_file.toggled.connect(lambda _on: self.arrange())
        bar = QWidget()
        # The bar may be cut in a narrow pane rather than widen the window's minimum past a small screen.
        bar.setMinimumWidth(1)
        row = QHBoxLayout(bar)
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(QLabel("Sort by"))
        row.addWidget(self.sort)
        row.addSpacing(12)
        row.addWidget(self.by_file)
        row.addStretch(1)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(bar)
        lay.addWidget(self.list, 1)
        return page

    def arrange(self) -> None:
        """The same results in the chosen order and grouping, the selected one kept selected."""
        hit = self.current_hit()
        self.model.set_order(self.sort.currentData(), self.by_file.isChecked())
        rows = self.model.hits
        same = [i for i, h in enumerate(rows) if hit is not None and h.passage_id == hit.passage_id]
        row = (same or [i for i, h in enumerate(rows) if hit is not None and h.doc_id == hit.doc_id] or [0])[0]
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(row))

    def searching(self) -> None:
        """A sign of work the moment a query is sent: the last query's results stay until the new ones come."""
        self.status.emit("Searching…")

    def show_hits(self, hits: list[Hit]) -> None:
        self.model.set_hits(hits)
        # A card per file (its other passages folded under it): count the cards first.
        files = len({h.path for h in hits})
        count = f"{files} file{'s' * (files != 1)}"
        self.status.emit("" if not hits else count if files == len(hits) else f"{count} · {len(hits)} passages")
        if hits:
            self.setCurrentWidget(self.list_page)
            self.list.setCurrentIndex(self.model.index(0))

    def show_empty(self, text: str, weak: int = 0) -> None:
        """`text` when the list is empty (with a way to the `weak` nearest results, when there are any);
        the list itself otherwise."""
        if self.model.rowCount():
            self.setCurrentWidget(self.list_page)
            return
        self.empty.setText(text)
        self.weak_btn.setText(f"Show the {weak} nearest results anyway")
        self.weak_btn.setVisible(weak > 0)
        self.setCurrentWidget(self.empty_page)

    def focus_first(self) -> None:
        if self.model.rowCount():
            self.list.setFocus()
            if not self.list.currentIndex().isValid():
                self.list.setCurrentIndex(self.model.index(0))

    def toggle_more(self) -> None:
        """Unfold (or fold) the current file's other passages, keeping that file's row selected."""
        row = self.list.currentIndex().row()
        hit = self.current_hit()
        if hit is None or not self.model.toggle_more(row):
            return
        first = next((i for i, h in enumerate(self.model.hits) if h.doc_id == hit.doc_id), 0)
        self.list.setCurrentIndex(self.model.index(first))

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
        folded = idx.data(MoreRole)
        doc_id = getattr(self.current_hit(), "doc_id", None)
        same_file = [h for h in self.model.hits if h.doc_id == doc_id]
        if folded or len(same_file) > 1:
            self.more_action.setText(f"Show {folded} more from this file" if folded else "Fold this file's passages")
            menu.addAction(self.more_action)
        menu.exec(self.list.viewport().mapToGlobal(pos))

"""The page view: a PDF's or an image's page as an image, the passage and the query's words marked on it
(on a scan or an image, once OCR has read the page's words: the page shows meanwhile, and says so); zoom,
page up/down, and the document's other hits (the results list holds them) one key away."""

from __future__ import annotations

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from ..core.attached import split_attached
from ..core.models import Hit
from ..core.pages import PAGE_SUFFIXES, PageCache, PageError, RenderedPage, clamp_scale, terms_of
from .page_canvas import PageCanvas, Relay, RenderTask

ZOOMS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
FIT_GUESS_PT = 612.0  # US Letter's width: the fit scale's guess until the first page says its own width
FIT_MARGIN_PX = 24
# One cache for the app: pages of every document, least recently shown evicted first.
CACHE = PageCache()

_WITH_CHILDREN = Qt.ShortcutContext.WidgetWithChildrenShortcut
NOT_FOUND = "The passage could not be placed on this page; the page is shown unmarked."
READING = "Reading this page's words (OCR) to mark the passage…"
UNREAD = "This page's words could not be read (OCR: {why}); the page is shown unmarked."


def is_pdf_page(hit: Hit) -> bool:
    """Whether this hit is a page of a PDF file of its own (a PDF attached to a mail, core/attached.py,
    is shown as text: it is no file to draw pages from)."""
    return shows_page(hit) and hit.path.lower().endswith(".pdf")


def shows_page(hit: Hit) -> bool:
    """Whether the page view can show this hit: a page of a PDF or of an image (which OCR read), a file
    of its own."""
    return hit.page is not None and hit.path.lower().endswith(PAGE_SUFFIXES) and split_attached(hit.path) is None


class PageView(QWidget):
    shown = Signal(object)  # RenderedPage: the page is on screen
    failed = Signal(object)  # PageError: the page cannot be shown (the preview falls back to text)
    hitChanged = Signal(object)  # Hit: next/previous hit moved to another passage of the document

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hits: list[Hit] = []  # the document's hits in reading order
        self.index = 0  # the current hit in `hits`
        self.page = 1
        self.pages = 0  # unknown until the first page is drawn
        self.zoom: float | None = None  # None: fit the width
        self._page_pt = FIT_GUESS_PT
        self._land_top = True  # a page turned to without a passage shows its top (its bottom going back)
        self._seq = [0]  # the newest request (a list: tasks read it to skip stale work)
        self._asked = 0.0  # the scale the newest request asked for (render_page may draw at less)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # PDFium is serial anyway (core/pages.py)
        # OCR of a scan's words (seconds) on a pool of its own: the next page is drawn meanwhile.
        self._ocr_pool = QThreadPool(self)
        self._ocr_pool.setMaxThreadCount(1)
        self._shown_seq = 0  # the request whose page is on screen (a scan's comes twice: drawn, then marked)
        self._relay = Relay(self)
        self._relay.done.connect(self._drawn)
        self._refit = QTimer(self, singleShot=True, interval=120)
        self._refit.timeout.connect(self._request)
        self.canvas = PageCanvas()
        self.scroll = QScrollArea()
        self.scroll.setObjectName("pageScroll")
        self.scroll.setWidget(self.canvas)
        self.scroll.setWidgetResizable(False)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        # Always there, so the width a page is fitted to does not change when the page turns out tall.
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.scroll.setStyleSheet("QScrollArea { background: #5f6368; }")
        self.note = QLabel("")
        self.note.setStyleSheet("color: #b06000;")
        self.note.setWordWrap(True)
        self.note.hide()
        self.where = QLabel("")
        self.where.setObjectName("pageWhere")
        # The line may be cut in a narrow pane rather than widen the preview's minimum width.
        self.where.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.where.setStyleSheet("color: #5f6368;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self._toolbar())
        lay.addWidget(self.where)
        lay.addWidget(self.note)
        lay.addWidget(self.scroll, 1)

    def _toolbar(self) -> QHBoxLayout:
        """The buttons, each with its key (active while the focus is in the page view)."""
        self.buttons: dict[str, QToolButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for name, text, tip, keys, slot in (
            ("prev_hit", "◀ Hit", "Previous hit in this document (Shift+F3)", "Shift+F3", self.prev_hit),
            ("next_hit", "Hit ▶", "Next hit in this document (F3)", "F3", self.next_hit),
            ("prev_page", "▲", "Previous page (Page Up)", "", self.page_up),
            ("next_page", "▼", "Next page (Page Down)", "", self.page_down),
            ("zoom_out", "−", "Zoom out (Ctrl+-)", "Ctrl+-", self.zoom_out),
            ("zoom_in", "+", "Zoom in (Ctrl++)", "Ctrl++", self.zoom_in),
            ("fit", "Fit width", "Fit the page's width to the pane (Ctrl+0)", "Ctrl+0", self.fit_width),
        ):
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            b.setObjectName(name)
            b.clicked.connect(slot)
            if keys:
                QShortcut(QKeySequence(keys), self, activated=slot, context=_WITH_CHILDREN)
            self.buttons[name] = b
            bar.addWidget(b)
            if name in ("next_hit", "next_page"):
                bar.addSpacing(8)
        bar.addStretch(1)
        # Page Up/Down scroll a page taller than the pane first, as a reader does, then turn it.
        QShortcut(QKeySequence("PgDown"), self, activated=lambda: self._key_page(1), context=_WITH_CHILDREN)
        QShortcut(QKeySequence("PgUp"), self, activated=lambda: self._key_page(-1), context=_WITH_CHILDREN)
        return bar

    def _key_page(self, step: int) -> None:
        bar = self.scroll.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() if step > 0 else bar.value() <= bar.minimum()
        if at_end:
            self._turn(self.page + step, top=step > 0)
        else:
            bar.setValue(bar.value() + step * bar.pageStep())

    # -- what is shown ----------------------------------------------------------------------------

    @property
    def hit(self) -> Hit | None:
        return self.hits[self.index] if self.hits else None

    @property
    def rendered(self) -> RenderedPage | None:
        return self.canvas.page

    def show_hits(self, hits: list[Hit], current: Hit) -> None:
        """Show `current`'s page; `hits`: the document's hits (those the list holds), `current` among them."""
        same = [h for h in hits if h.doc_id == current.doc_id and h.page is not None]
        if all(h.passage_id != current.passage_id for h in same):
            same.append(current)
        self.hits = sorted(same, key=lambda h: (h.page or 0, h.char_start))
        self.index = next(i for i, h in enumerate(self.hits) if h.passage_id == current.passage_id)
        if self.pages and self.canvas.page is not None and self.canvas.page.path != current.path:
            self.pages = 0
        self.page = current.page or 1
        self._land_top = True
        self._request()

    def clear(self) -> None:
        """Show nothing, and drop the page being drawn (the preview shows text now)."""
        self.hits, self.index, self.pages = [], 0, 0
        self._seq[0] += 1
        self._refit.stop()
        self.canvas.clear()

    def go_to_hit(self, index: int) -> None:
        if not self.hits:
            return
        self.index = index % len(self.hits)
        self.page = self.hits[self.index].page or 1
        self.hitChanged.emit(self.hits[self.index])
        self._request()

    def next_hit(self) -> None:
        self.go_to_hit(self.index + 1)

    def prev_hit(self) -> None:
        self.go_to_hit(self.index - 1)

    def page_down(self) -> None:
        self._turn(self.page + 1)

    def page_up(self) -> None:
        self._turn(self.page - 1)

    def _turn(self, page: int, top: bool = True) -> None:
        if not self.hits or page < 1 or (self.pages and page > self.pages):
            return
        self.page = page
        self._land_top = top
        # A page holding one of the document's hits shows that hit marked; the others show the words only.
        on_page = [i for i, h in enumerate(self.hits) if h.page == page]
        if on_page and self.index not in on_page:
            self.index = on_page[0]
            self.hitChanged.emit(self.hits[self.index])
        self._request()

    def zoom_in(self) -> None:
        self._zoom_to(next((z for z in ZOOMS if z > self._scale() * 1.01), ZOOMS[-1]))

    def zoom_out(self) -> None:
        self._zoom_to(next((z for z in reversed(ZOOMS) if z < self._scale() * 0.99), ZOOMS[0]))

    def fit_width(self) -> None:
        self.zoom = None
        self._request()

    def _zoom_to(self, zoom: float) -> None:
        self.zoom = zoom
        self._request()

    def _scale(self) -> float:
        """Points to device-independent pixels: the chosen zoom, or what fits the pane's width."""
        if self.zoom is not None:
            return self.zoom
        # The view's own width (the preview's stack gives it one while hidden) rather than the viewport's:
        # the inner layout of a view shown for the first time has not run yet.
        inner = self.width() - self.scroll.verticalScrollBar().sizeHint().width() - 2 * self.scroll.frameWidth()
        width = max(inner - FIT_MARGIN_PX, 100)
        dpr = self.devicePixelRatioF()
        return clamp_scale(width / self._page_pt * dpr) / dpr

    # -- drawing ----------------------------------------------------------------------------------

    def _request(self) -> None:
        hit = self.hit
        if hit is None:
            return
        self._seq[0] += 1
        marked = hit if hit.page == self.page else None
        terms = sorted({t for h in self.hits for t in terms_of(h.text, h.term_spans)})
        self._asked = self._scale() * self.devicePixelRatioF()
        args: dict[str, object] = {
            "path": hit.path,
            "page": self.page,
            "scale": self._asked,
            "passage": marked.text if marked is not None else "",
            "terms": terms,
        }
        self._pool.start(RenderTask(self._relay, self._seq[0], self._seq, CACHE, args, self._ocr_pool))

    def _drawn(self, seq: int, result: RenderedPage | PageError) -> None:
        if seq != self._seq[0]:
            return  # a newer page was asked for meanwhile
        if isinstance(result, PageError):
            self.canvas.clear()
            self.failed.emit(result)
            return
        self.pages = result.pages
        self._page_pt = result.image.width / result.scale
        self.canvas.show_page(result, self.devicePixelRatioF())
        self._say(result)
        again, self._shown_seq = seq == self._shown_seq, seq  # a scan's marks after its page: keep the scroll
        if result.passage:
            first = self.canvas.rect_of(result.passage[0])
            self.scroll.ensureVisible(int(first.center().x()), int(first.top()), 40, 60)
            self.scroll.ensureVisible(int(first.left()), int(first.top()), 40, 60)
        elif not again:  # turned to: from its top going down, from its bottom going up
            bar = self.scroll.verticalScrollBar()
            bar.setValue(bar.minimum() if self._land_top else bar.maximum())
        self.shown.emit(result)
        # The first page of a size other than the guess: draw it again at the fitting scale. Against what
        # was asked, not what was drawn: render_page draws at less than asked past its bounds, every time.
        if self.zoom is None and abs(self._scale() * self.devicePixelRatioF() - self._asked) > 0.02 * self._asked:
            self._request()

    def _say(self, page: RenderedPage) -> None:
        n = len(self.hits)
        hit_no = f"hit {self.index + 1}/{n} · " if n > 1 else ""
        self.where.setText(
            f"{hit_no}page {page.page} of {page.pages} · {round(page.scale / self.devicePixelRatioF() * 100)}%"
        )
        self.note.setText(_note(page))
        self.note.setVisible(bool(self.note.text()))
        self.buttons["prev_page"].setEnabled(page.page > 1)
        self.buttons["next_page"].setEnabled(page.page < page.pages)
        for name in ("prev_hit", "next_hit"):
            self.buttons[name].setEnabled(n > 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.zoom is None and self.hits:
            self._refit.start()  # fit the new width once the resizing settles

    def wait_idle(self, ms: int = 10_000) -> bool:
        """Wait for the page being drawn, and read by OCR (tests, shutdown)."""
        return bool(self._pool.waitForDone(ms)) and bool(self._ocr_pool.waitForDone(ms))


def _note(page: RenderedPage) -> str:
    """Why the page shows no marks, if it shows none where a person would look for them."""
    if page.marks == "reading":
        return READING
    if page.marks == "unread":
        return UNREAD.format(why=page.unread or "no reason given")
    return NOT_FOUND if page.placement == "missing" else ""

"""The drawn page and its marks, and the background task that draws pages (core/pages.py does the work)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, QRunnable, QSize, QThreadPool, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from ..core.pages import Box, PageCache, PageDamagedError, PageError, RenderedPage, render_page

PASSAGE_FILL = QColor(66, 133, 244, 56)  # the passage: a translucent blue wash, the text stays readable
PASSAGE_EDGE = QColor(25, 103, 210)
TERM_FILL = QColor(255, 152, 0, 120)  # the query's words: the list's orange, stronger
TERM_EDGE = QColor(230, 81, 0)


class PageCanvas(QWidget):
    """Paints one rendered page at its own pixel size, the passage's line boxes and the words' boxes over it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page: RenderedPage | None = None
        self._image: QImage | None = None
        self.setObjectName("pageCanvas")

    def show_page(self, page: RenderedPage, dpr: float) -> None:
        self.page = page
        img = page.image
        # The QImage reads the record's bytes in place; `self.page` keeps them alive as long as it is shown.
        self._image = QImage(img.data, img.width, img.height, img.stride, QImage.Format.Format_RGBA8888)
        self._image.setDevicePixelRatio(dpr)
        self._dpr = dpr
        self.setFixedSize(self.sizeHint())
        self.update()

    def clear(self) -> None:
        self.page, self._image = None, None
        self.setFixedSize(QSize(0, 0))

    def sizeHint(self) -> QSize:
        if self.page is None:
            return QSize(0, 0)
        return QSize(round(self.page.image.width / self._dpr), round(self.page.image.height / self._dpr))

    def rect_of(self, box: Box) -> QRectF:
        """A box (image pixels) in this widget's coordinates."""
        d = self._dpr
        return QRectF(box.x0 / d, box.y0 / d, (box.x1 - box.x0) / d, (box.y1 - box.y0) / d)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.page is None or self._image is None:
            return
        p = QPainter(self)
        p.drawImage(0, 0, self._image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pad = 1.5
        rects = [self.rect_of(box).adjusted(-pad, -pad, pad, pad) for box in self.page.passage]
        margin = min((r.left() for r in rects), default=0.0) - 4
        for r in rects:
            p.fillRect(r, PASSAGE_FILL)
            p.fillRect(QRectF(margin, r.top(), 2, r.height()), PASSAGE_EDGE)  # one margin bar, as a reader marks
        p.setPen(QPen(TERM_EDGE, 1.5))
        for box in self.page.elsewhere:  # the same words outside the passage: underlined, so the passage stands out
            r = self.rect_of(box)
            p.drawLine(r.bottomLeft(), r.bottomRight())
        p.setPen(QPen(TERM_EDGE, 1))
        for box in self.page.words:
            r = self.rect_of(box).adjusted(-1, -1, 1, 1)
            p.fillRect(r, TERM_FILL)
            p.drawRect(r)
        p.end()


class Relay(QObject):
    """Carries a task's answer to the GUI thread (a queued signal)."""

    done = Signal(int, object)  # request number, RenderedPage or PageError


class RenderTask(QRunnable):
    """Draw one page off the GUI thread; skipped when a newer request came while it waited. A page whose
    words OCR must read (a scan, an image) is sent twice: drawn at once, then marked by a second task on
    `ocr_pool` once OCR has read it (seconds), so that turning to another page meanwhile does not wait."""

    def __init__(
        self,
        relay: Relay,
        seq: int,
        latest: list[int],
        cache: PageCache,
        args: dict[str, object],
        ocr_pool: QThreadPool | None = None,
    ) -> None:
        super().__init__()
        self.relay, self.seq, self.latest, self.cache, self.args = relay, seq, latest, cache, args
        self.ocr_pool = ocr_pool  # None: this is the task that reads by OCR

    def run(self) -> None:
        if self.seq != self.latest[0]:
            return
        result = self._render()
        self._send(result)
        reading = isinstance(result, RenderedPage) and result.marks == "reading"
        if reading and self.ocr_pool is not None and self.seq == self.latest[0]:
            self.ocr_pool.start(RenderTask(self.relay, self.seq, self.latest, self.cache, self.args))

    def _render(self) -> RenderedPage | PageError:
        try:
            return render_page(cache=self.cache, ocr=self.ocr_pool is None, **self.args)  # type: ignore[arg-type]
        except PageError as exc:
            return exc
        except Exception as exc:  # noqa: BLE001 - a page PDFium chokes on costs the page view, not the app
            return PageDamagedError(f"the page cannot be drawn ({type(exc).__name__})")

    def _send(self, result: RenderedPage | PageError) -> None:
        try:
            self.relay.done.emit(self.seq, result)
        except RuntimeError:  # the view is gone (the window closed while the page was drawn)
            pass

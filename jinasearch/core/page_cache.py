"""The page view's cache (pages.py): drawn pages, what OCR read on pages without a text layer, and an
image file's decoded frame, each least recently used first out, thread-safe.

The decoded frame is kept because a zoom step draws an image file at a new scale, a cache miss for the
drawn pages: without it every step decoded the file again (a 12 MP phone JPEG: ~0.3 s of decoding,
turning and flattening a step before any resizing).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from PIL.Image import Image

    from .page_ocr import OcrMarks
    from .pages import Drawn

# About 16 full-width pages of a manual at 2x (1224 x 1584 RGBA, 7.8 MB each).
CACHE_BYTES = 128 * 1024 * 1024
# OCR'd pages' words kept, whatever the zoom: a few kB each.
CACHE_READ_PAGES = 256
# Decoded image frames: three 12 MP photos (RGB), or one at the most a frame keeps (pages.MAX_PIXELS).
DECODED_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True)
class DecodedImage:
    """An image file's frame as the page view draws it (page_image.py): upright, flattened onto white,
    RGB or L; `image` is at most pages.MAX_PIXELS, no page is drawn with more. `width` x `height`: the
    frame's own size, the unit a page is drawn at (`image` is smaller only past MAX_PIXELS)."""

    image: Image
    pages: int
    width: int
    height: int

    @property
    def nbytes(self) -> int:
        return self.image.width * self.image.height * len(self.image.getbands())


V = TypeVar("V")


class PageCache:
    """Rendered pages, least recently shown evicted first, at most `max_bytes` of pixels; what OCR read
    on pages without a text layer (the last CACHE_READ_PAGES); image frames decoded (`decoded_bytes`)."""

    def __init__(self, max_bytes: int = CACHE_BYTES, decoded_bytes: int = DECODED_BYTES) -> None:
        self.max_bytes = max_bytes
        self.decoded_bytes = decoded_bytes
        self._pages: OrderedDict[tuple[Any, ...], Drawn] = OrderedDict()
        self._read: OrderedDict[tuple[Any, ...], OcrMarks] = OrderedDict()
        self._decoded: OrderedDict[tuple[Any, ...], DecodedImage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Drawn | None:
        return self._touch(self._pages, key)

    def _touch(self, table: OrderedDict[tuple[Any, ...], V], key: tuple[Any, ...]) -> V | None:
        """`table`'s entry for `key`, marked the most recently used, or None."""
        with self._lock:
            found = table.get(key)
            if found is not None:
                table.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], drawn: Drawn) -> None:
        # A page taking over a quarter of the cache would evict most of the others for itself.
        if len(drawn.image.data) > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._pages:
                return
            self._pages[key] = drawn
            self._bytes += len(drawn.image.data)
            while self._bytes > self.max_bytes and len(self._pages) > 1:
                _, old = self._pages.popitem(last=False)
                self._bytes -= len(old.image.data)

    def read(self, key: tuple[Any, ...]) -> OcrMarks | None:
        """What OCR read on the page `key` names (file, stamp, page), if it has."""
        return self._touch(self._read, key)

    def put_read(self, key: tuple[Any, ...], marks: OcrMarks) -> None:
        with self._lock:
            self._read[key] = marks
            while len(self._read) > CACHE_READ_PAGES:
                self._read.popitem(last=False)

    def decoded(self, key: tuple[Any, ...]) -> DecodedImage | None:
        """The decoded frame of the image page `key` names (file, stamp, page), if kept."""
        return self._touch(self._decoded, key)

    def put_decoded(self, key: tuple[Any, ...], frame: DecodedImage) -> None:
        """Keep `frame`; the newest is kept even over the budget (it is the one being zoomed)."""
        with self._lock:
            self._decoded[key] = frame
            self._decoded.move_to_end(key)
            while len(self._decoded) > 1 and sum(f.nbytes for f in self._decoded.values()) > self.decoded_bytes:
                self._decoded.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pages)

"""An image file's page: decoded once and kept in the page cache, so a zoom step resizes it instead of
decoding the file again; a changed file is decoded again; a huge frame is kept at the pixel budget."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from jinasearch.core import page_image, pages
from jinasearch.core.page_cache import DecodedImage, PageCache
from jinasearch.core.pages import render_page


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The files Pillow is asked to open (page_image.py imports it where it decodes)."""
    calls: list[str] = []
    real_open = Image.open

    def counting(fp, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(os.fspath(fp))
        return real_open(fp, *args, **kwargs)

    monkeypatch.setattr(Image, "open", counting)
    yield calls


def photo(path: Path, size: tuple[int, int] = (400, 300)) -> Path:
    Image.radial_gradient("L").resize(size).convert("RGB").save(path, quality=90)
    return path


def test_a_second_zoom_does_not_decode_the_file_again(tmp_path: Path, opened: list[str]) -> None:
    path = photo(tmp_path / "photo.jpg")
    cache = PageCache()
    first = render_page(str(path), 1, scale=0.5, cache=cache)
    zoomed = [render_page(str(path), 1, scale=s, cache=cache) for s in (0.67, 1.0, 2.0)]
    assert opened == [str(path)]  # one decode for every zoom
    assert not first.cached and not any(z.cached for z in zoomed)  # each zoom is a picture of its own
    assert [(z.image.width, z.image.height) for z in zoomed] == [(268, 201), (400, 300), (800, 600)]
    assert zoomed[-1].scale == 2.0 and zoomed[-1].pages == 1
    render_page(str(path), 1, scale=0.5)  # without a cache: decoded each time, as before
    assert len(opened) == 2


def test_a_changed_image_is_decoded_again(tmp_path: Path, opened: list[str]) -> None:
    path = photo(tmp_path / "photo.jpg")
    cache = PageCache()
    render_page(str(path), 1, scale=0.5, cache=cache)
    photo(path, (200, 100))
    os.utime(path, ns=(1, 1))
    page = render_page(str(path), 1, scale=1.0, cache=cache)
    assert len(opened) == 2 and (page.image.width, page.image.height) == (200, 100)


def test_the_zoomed_page_is_the_image_over_white(tmp_path: Path) -> None:
    path = tmp_path / "note.png"
    img = Image.new("RGBA", (40, 20), (0, 0, 0, 0))  # transparent black, as screenshots often are
    img.paste((200, 10, 10, 255), (0, 0, 20, 20))
    img.save(path)
    cache = PageCache()
    for scale in (1.0, 0.5):
        page = render_page(str(path), 1, scale=scale, cache=cache)
        w = page.image.width
        px = page.image.data
        assert px[:4] == bytes((200, 10, 10, 255)) and px[(w - 1) * 4 : w * 4] == bytes((255, 255, 255, 255))


def test_a_frame_past_the_pixel_budget_is_kept_at_the_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "MAX_PIXELS", 30_000)  # the budget scaled down: the test stays cheap
    path = photo(tmp_path / "big.jpg", (400, 300))  # 120,000 pixels
    frame = page_image.decode(str(path), 1)
    assert (frame.width, frame.height) == (400, 300) and frame.image.width * frame.image.height <= 30_000
    page = page_image.draw(frame, 4.0)  # drawn in the frame's own pixels, within the budget
    assert page.scale < 0.51 and page.image.width == round(400 * page.scale)


def test_the_decoded_frames_keep_to_their_bytes_and_the_newest_stays() -> None:
    def frame(side: int) -> DecodedImage:
        return DecodedImage(Image.new("RGB", (side, side)), 1, side, side)

    cache = PageCache(decoded_bytes=3 * 100 * 100 * 3)
    for n in range(4):
        cache.put_decoded(("a", n), frame(100))
    assert cache.decoded(("a", 0)) is None and all(cache.decoded(("a", n)) for n in (1, 2, 3))
    cache.put_decoded(("big",), frame(400))  # over the whole budget: kept alone, it is the one on show
    assert cache.decoded(("big",)) is not None and cache.decoded(("a", 3)) is None

"""A paged document's outline (bookmarks) placed in its text: each entry becomes a Heading at its title."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Heading, Page
from .base import squash


@dataclass(frozen=True)
class OutlineEntry:
    level: int  # 1 = top
    title: str
    page_index: int | None  # 0-based; None when the bookmark points nowhere


def place_outline(entries: Sequence[OutlineEntry], text: str, base: int, pages: Sequence[Page]) -> tuple[Heading, ...]:
    """Headings for `entries` in `text` (which starts at document offset `base`): each at its title on
    its target page (searched line by line, case and spacing ignored), else at the start of that page.
    Entries pointing at pages that were not read are left out."""
    by_number = {p.number: p for p in pages}
    out: list[Heading] = []
    for e in entries:
        title = " ".join(e.title.split())
        page = by_number.get(e.page_index + 1) if e.page_index is not None else None
        if not title or page is None:
            continue
        start = page.start
        want = squash(title)
        pos = page.start - base
        for line in text[page.start - base : page.end - base].split("\n"):
            if want and want in squash(line):
                start = base + pos + (len(line) - len(line.lstrip()))
                break
            pos += len(line) + 1
        out.append(Heading(e.level, title, start))
    # A bookmark found on its page may sit above one placed earlier on the same page: keep text order.
    return tuple(sorted(out, key=lambda h: h.start))

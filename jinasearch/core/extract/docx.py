"""DOCX with python-docx: paragraphs and table cells in document order, heading paragraphs as headings.

Running headers and footers live in their own parts of the file, which are not read: the body has none."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from ..errors import ExtractionError
from .base import NO_TEXT, check_size, clean_text, join_blocks
from .parts import Collector

# A zip bomb expands a few KB into GBs; refuse archives whose declared content is absurd.
MAX_UNCOMPRESSED = 300 * 1024 * 1024
MAX_RATIO = 200


def check_zip(path: Path) -> None:
    """Reject broken archives and decompression bombs before any parser touches them."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractionError(f"damaged file (not a valid zip container: {exc})") from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise ExtractionError(
            f"refused: expands to {total / 1e6:.0f} MB from {packed / 1e6:.1f} MB (decompression bomb?)"
        )


_HEADING_STYLE = re.compile(r"(?i)^heading\s*(\d)")


def _heading_level(paragraph: Any) -> int | None:
    """1-based heading level of a paragraph: its outline level (direct or from its style chain, which
    does not depend on the language of the style names), else a "Heading N" style name."""
    from docx.oxml.ns import qn

    def outline_level(element: Any) -> int | None:
        ppr = element.find(qn("w:pPr")) if element is not None else None
        lvl = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
        if lvl is None:
            return None
        try:
            value = int(lvl.get(qn("w:val")))
        except (TypeError, ValueError):  # a level without a value: not a heading we can place
            return None
        return value + 1 if value < 9 else 0  # 9 means body text

    found = outline_level(paragraph._p)
    style = paragraph.style
    while found is None and style is not None:
        found = outline_level(style.element)
        style = style.base_style
    if found:
        return found
    m = _HEADING_STYLE.match(paragraph.style.name or "") if paragraph.style is not None else None
    return int(m.group(1)) if m else None


class DocxExtractor:
    suffixes = (".docx",)
    paged = False
    no_text = NO_TEXT
    unit = "page"

    def extract(self, path: Path, sink: Collector) -> None:
        check_size(path)
        check_zip(path)
        try:
            import docx
            from docx.table import Table
            from docx.text.paragraph import Paragraph

            document = docx.Document(str(path))
            blocks: list[tuple[str, int | None]] = []
            title = document.core_properties.title or ""
            for block in document.iter_inner_content():
                if isinstance(block, Paragraph):
                    text = clean_text(block.text)
                    level = _heading_level(block) if text.strip() else None
                    if not title and block.style is not None and (block.style.name or "").lower() == "title":
                        title = text
                elif isinstance(block, Table):
                    cells = (
                        " | ".join(c for c in (cell.text.strip() for cell in row.cells) if c) for row in block.rows
                    )
                    text, level = clean_text("\n\n".join(c for c in cells if c)), None
                else:
                    continue
                blocks.append((text, level))
        except ExtractionError:
            raise
        except Exception as exc:  # noqa: BLE001 - python-docx raises many types on damaged files
            raise ExtractionError(f"damaged DOCX ({type(exc).__name__})") from None
        sink.title(title)
        sink.block(*join_blocks(blocks))

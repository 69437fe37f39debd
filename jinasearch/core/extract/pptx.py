"""PowerPoint (.pptx) with python-pptx: one unit a slide, numbered as the program numbers them.

A slide's title placeholder is its heading; then the text of every other shape in the slide's order
(text frames, table rows as "a | b" lines, the shapes inside groups), then the speaker notes after
"Notes:" (odf.slide_text). Hidden slides are read and keep their numbers, so "slide 7" is the
seventh in the file either way. Footers, dates and slide numbers (placeholders the layout repeats
on every slide) are left out; pictures and charts hold no text to read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ExtractionError
from .base import check_size, clean_text
from .docx import check_zip
from .odf import slide_text
from .parts import Collector
from .table_text import rows_text

# Placeholder types (pptx.enum.shapes.PP_PLACEHOLDER) by value: the title's, and the layout's furniture.
_TITLES = {1, 3}  # TITLE, CENTER_TITLE
_FURNITURE = {13, 15, 16}  # SLIDE_NUMBER, FOOTER, DATE


class PptxExtractor:
    suffixes = (".pptx", ".pptm")
    paged = True
    no_text = "no text found (the slides hold no text)"
    unit = "slide"

    def extract(self, path: Path, sink: Collector) -> None:
        check_size(path)
        check_zip(path)
        try:
            from pptx import Presentation

            deck = Presentation(str(path))
            slides = list(deck.slides)
            sink.title(deck.core_properties.title or "")
        except Exception as exc:  # noqa: BLE001 - python-pptx raises KeyError, PackageNotFoundError, XML errors...
            raise ExtractionError(f"damaged PPTX ({type(exc).__name__})") from None
        for number, slide in enumerate(slides, start=1):
            sink.progress(number - 1, len(slides))
            try:
                text, headings = slide_text(*_slide(slide))
            except Exception as exc:  # noqa: BLE001 - one broken slide part costs that slide only
                sink.note(f"slide {number} could not be read (damaged: {type(exc).__name__})")
                continue
            sink.unit(number, text, headings)
        sink.progress(len(slides), len(slides))


def _slide(slide: Any) -> tuple[str, list[str], list[str]]:
    """A slide's (title, body paragraphs, notes paragraphs)."""
    title, body = "", []
    for shape in slide.shapes:
        kind = _placeholder(shape)
        if kind in _FURNITURE:
            continue
        texts = list(_texts(shape))
        if kind in _TITLES and not title:
            title = " ".join(" ".join(texts).split())
        else:
            body.extend(texts)
    notes: list[str] = []
    if slide.has_notes_slide:
        frame = slide.notes_slide.notes_text_frame
        text = clean_text(frame.text) if frame is not None else ""
        notes = [text] if text else []
    return title, body, notes


def _placeholder(shape: Any) -> int | None:
    if not shape.is_placeholder:
        return None
    try:
        return int(shape.placeholder_format.type)
    except (ValueError, TypeError, AttributeError):  # a placeholder of a type python-pptx does not know
        return None


def _texts(shape: Any) -> Iterator[str]:
    """The text of one shape: a group's shapes in order, a table's rows, a text frame's paragraphs."""
    from pptx.shapes.group import GroupShape

    if isinstance(shape, GroupShape):
        for inner in shape.shapes:
            yield from _texts(inner)
    elif getattr(shape, "has_table", False) and shape.has_table:
        text = rows_text([[cell.text for cell in row.cells] for row in shape.table.rows])
        if text:
            yield text
    elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        text = clean_text(shape.text_frame.text)
        if text:
            yield text

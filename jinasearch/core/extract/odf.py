"""OpenDocument text and presentations (.odt, .odp) with odfdo; spreadsheets (.ods) in odf_sheet.py.

odfdo rather than odfpy: odfdo is maintained (releases through 2026, odfpy's last in 2020), typed,
built on lxml (already a dependency), refuses zip bombs itself, and opens a package lazily: meta.xml
is read without content.xml, which lets odf_sheet.py take a spreadsheet's title from it and stream
the sheets. Paragraph text comes from odfdo's own rendering (`str(element)`), which writes ODF's
<text:s/>, <text:tab/> and <text:line-break/> as the spaces and breaks they stand for.

A text document's headings (<text:h>, level from `text:outline-level`) become Headings; its indexes
(table of contents, alphabetical index) repeat the body and are left out, and so is deleted text kept
for tracked changes. A presentation is one unit a slide, numbered in order: its title frame as the
heading, every other frame, table and group in order, then the speaker notes after "Notes:";
footers, dates and slide numbers (the master's furniture) are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ExtractionError
from ..models import Heading
from .base import NO_TEXT, check_size, clean_text, join_blocks
from .docx import check_zip
from .parts import Collector
from .table_text import rows_text

# What a damaged package raises in odfdo and lxml, besides ExtractionError.
ODF_ERRORS: tuple[type[Exception], ...] = (ValueError, TypeError, AttributeError, KeyError, OSError, SyntaxError)

# Elements whose text is not the document's own: indexes repeat headings and entries, tracked
# changes keep deleted text, forms and declarations hold none.
_SKIP = frozenset(
    "text:table-of-content text:alphabetical-index text:illustration-index text:table-index "
    "text:object-index text:user-index text:bibliography text:tracked-changes office:forms "
    "text:sequence-decls text:variable-decls text:user-field-decls presentation:notes".split()
)
_PARAGRAPHS = frozenset(("text:p", "text:h"))
# A slide's frames that the master page fills in on every slide.
_FURNITURE = frozenset(("footer", "header", "date-time", "page-number"))


def open_odf(path: Path, kind: str) -> Any:
    """The odfdo Document of a package that passed check_zip, or an ExtractionError saying why not."""
    from odfdo import Document, SecurityError

    try:
        return Document(path)
    except SecurityError:
        raise ExtractionError("refused: the package expands too far for its size (decompression bomb?)") from None
    except Exception as exc:  # noqa: BLE001 - odfdo raises ValueError, KeyError, lxml's errors... on damage
        raise ExtractionError(f"damaged {kind} ({type(exc).__name__})") from None


def odf_title(path: Path, kind: str) -> str:
    """The title in a package's meta.xml ("" when it has none), reading nothing else of it."""
    try:
        return str(open_odf(path, kind).meta.title or "")
    except ExtractionError:
        raise
    except ODF_ERRORS:
        return ""  # no meta.xml or a broken one: the title is the least of the file


def walk(element: Any) -> Iterator[tuple[str, int | None]]:
    """(text, heading level or None) of each paragraph, heading and table under `element`, in order."""
    tag = element.tag
    if tag in _PARAGRAPHS:
        text = clean_text(str(element))
        if text:
            level = element.get_attribute("text:outline-level") if tag == "text:h" else None
            yield text, (_level(level) if tag == "text:h" else None)
    elif tag == "table:table":
        text = rows_text([[str(c) for c in _cells(row)] for row in element.get_elements("descendant::table:table-row")])
        if text:
            yield text, None
    elif tag not in _SKIP:
        for child in element.children:
            yield from walk(child)


def _level(value: Any) -> int:
    try:
        return max(1, int(str(value)))
    except ValueError:
        return 1


def _cells(row: Any) -> list[Any]:
    return [c for c in row.children if c.tag in ("table:table-cell", "table:covered-table-cell")]


class OdtExtractor:
    suffixes = (".odt", ".ott")
    paged = False
    no_text = NO_TEXT
    unit = "page"

    def extract(self, path: Path, sink: Collector) -> None:
        check_size(path)
        check_zip(path)
        document = open_odf(path, "ODT")
        try:
            blocks = list(walk(document.body))
            title = str(document.meta.title or "")
        except ODF_ERRORS as exc:
            raise ExtractionError(f"damaged ODT ({type(exc).__name__})") from None
        sink.title(title)
        sink.block(*join_blocks(blocks))


class OdpExtractor:
    suffixes = (".odp", ".otp")
    paged = True
    no_text = "no text found (the slides hold no text)"
    unit = "slide"

    def extract(self, path: Path, sink: Collector) -> None:
        check_size(path)
        check_zip(path)
        document = open_odf(path, "ODP")
        try:
            pages = [p for p in document.body.children if p.tag == "draw:page"]
            sink.title(str(document.meta.title or ""))
            for number, page in enumerate(pages, start=1):
                sink.progress(number - 1, len(pages))
                text, headings = slide_text(*_slide(page))
                sink.unit(number, text, headings)
            sink.progress(len(pages), len(pages))
        except ODF_ERRORS as exc:
            if not sink.has_text:
                raise ExtractionError(f"damaged ODP ({type(exc).__name__})") from None
            sink.note(f"the rest of the presentation could not be read (damaged: {type(exc).__name__})")


def _slide(page: Any) -> tuple[str, list[str], list[str]]:
    """A slide's (title, body paragraphs, notes paragraphs)."""
    title, body, notes = "", [], []
    for child in page.children:
        if child.tag == "presentation:notes":
            notes.extend(t for n in child.children for t, _ in walk(n))
            continue
        role = child.get_attribute("presentation:class") if child.tag == "draw:frame" else None
        if role in _FURNITURE:
            continue
        texts = [t for t, _ in walk(child)]
        if role == "title" and not title:
            title = " ".join(" ".join(texts).split())
        else:
            body.extend(texts)
    return title, body, notes


def slide_text(title: str, body: list[str], notes: list[str]) -> tuple[str, list[Heading]]:
    """A slide as a unit's text: its title (the heading) on the first line, its body, then its notes
    after "Notes:", so that a search hit in them says they are the speaker's, not the audience's."""
    lines = [title] if title else []
    lines.extend(body)
    text = "\n".join(lines)
    if notes:
        text = f"{text}\n\nNotes: " + "\n".join(notes) if text else "Notes: " + "\n".join(notes)
    return clean_text(text), [Heading(1, title, 0)] if title else []

"""Write small real OpenDocument, PowerPoint and spreadsheet files for tests, and a registry that reads them.

Each file is made by the library its format is read with (odfdo, python-pptx, openpyxl, csv). The
registry is patched, not edited: the lead registers the new extractors in core/extract/__init__.py;
until then tests (and the indexer, which looks the registry up at each call) see them here.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

import jinasearch.core.extract as extract_pkg
from jinasearch.core.extract.odf import OdpExtractor, OdtExtractor
from jinasearch.core.extract.odf_sheet import OdsExtractor
from jinasearch.core.extract.pptx import PptxExtractor
from jinasearch.core.extract.sheets import CsvExtractor, XlsxExtractor
from jinasearch.core.models import Extracted

# A slide: (title, body paragraphs, speaker notes).
Slide = tuple[str, Sequence[str], str]
Rows = Sequence[Sequence[object]]


def register_office(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = dict(extract_pkg.REGISTRY)
    for e in (OdtExtractor(), OdsExtractor(), OdpExtractor(), PptxExtractor(), XlsxExtractor(), CsvExtractor()):
        registry.update({s: e for s in e.suffixes})
    monkeypatch.setattr(extract_pkg, "REGISTRY", registry)


def write_odt(path: Path, blocks: Sequence[tuple[int | None, str]], *, title: str = "", table: Rows = ()) -> Path:
    """An ODT of headings (level) and paragraphs (None), then a table when given."""
    from odfdo import Document, Header, Paragraph, Table

    doc = Document("text")
    doc.body.clear()
    for level, text in blocks:
        doc.body.append(Header(level, text) if level else Paragraph(text))
    if table:
        t = Table("Table1")
        t.set_values([list(r) for r in table])
        doc.body.append(t)
    doc.meta.title = title
    doc.save(path)
    return path


def write_ods(path: Path, sheets: dict[str, Rows], *, title: str = "") -> Path:
    from odfdo import Document, Table

    doc = Document("spreadsheet")
    doc.body.clear()
    for name, rows in sheets.items():
        t = Table(name)
        if rows:
            t.set_values([list(r) for r in rows])
        doc.body.append(t)
    doc.meta.title = title
    doc.save(path)
    return path


def write_odp(path: Path, slides: Sequence[Slide]) -> Path:
    from odfdo import Document, DrawPage, Frame

    doc = Document("presentation")
    doc.body.clear()
    for i, (title, body, notes) in enumerate(slides, start=1):
        page = DrawPage(f"p{i}", name=f"page{i}")
        if title:
            page.append(_frame(Frame, [title], "1cm", presentation_class="title"))
        if body:
            page.append(_frame(Frame, list(body), "4cm"))
        if notes:
            page.append(_notes(notes))
        doc.body.append(page)
    doc.save(path)
    return path


def _frame(frame_cls: type, lines: list[str], y: str, **kw: str) -> object:
    return frame_cls.text_frame(lines, size=("20cm", "3cm"), position=("1cm", y), **kw)


def _notes(text: str) -> object:
    """Speaker notes as LibreOffice writes them: a notes frame inside presentation:notes."""
    from odfdo import Element

    return Element.from_tag(
        '<presentation:notes><draw:page-thumbnail draw:page-number="1"/>'
        '<draw:frame presentation:class="notes"><draw:text-box>'
        f"<text:p>{text}</text:p></draw:text-box></draw:frame></presentation:notes>"
    )


def write_pptx(path: Path, slides: Sequence[Slide], *, table: Rows = (), group: Sequence[str] = ()) -> Path:
    """A deck of title-and-content slides; the last slide also gets `table` and a group of text boxes."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    layout = deck.slide_layouts[1]
    for title, body, notes in slides:
        slide = deck.slides.add_slide(layout)
        slide.shapes.title.text = title
        slide.placeholders[1].text_frame.text = "\n".join(body)
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    if table:
        shape = slide.shapes.add_table(len(table), len(table[0]), Inches(1), Inches(4), Inches(6), Inches(1))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                shape.table.cell(r, c).text = str(value)
    if group:
        grouped = slide.shapes.add_group_shape()
        for i, text in enumerate(group):
            grouped.shapes.add_textbox(Inches(1), Inches(5 + i * 0.5), Inches(3), Inches(0.4)).text_frame.text = text
    deck.save(str(path))
    return path


def write_xlsx(path: Path, sheets: dict[str, Rows], *, title: str = "") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.properties.title = title
    book.save(path)
    return path


def write_csv(path: Path, rows: Rows, *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    import csv

    with open(path, "w", newline="", encoding=encoding) as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def unit_of_word(found: Extracted, word: str) -> int:
    """The number of the unit (slide, sheet) that holds the first `word` of the text."""
    at = found.text.index(word)
    (page,) = [p.number for p in found.pages if p.start <= at < p.end]
    return page


def truncated(source: Path, target: Path) -> Path:
    """The first half of a real file: a download cut short."""
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def bomb(path: Path, member: str) -> Path:
    """A zip whose one member declares 40 MB of zeros in a few KB: what check_zip must refuse."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, b"\0" * (40 * 1024 * 1024))
    return path

"""OpenDocument spreadsheets (.ods): one unit a sheet, its rows streamed from content.xml.

odfdo (odf.py) builds the whole content.xml as a tree, and a sheet's content.xml is where the size
is: a 300 MB one is gigabytes of tree. So a sheet is read with lxml's iterparse, row by row, each
row dropped once read. What is read is what the program shows: a cell's paragraphs (the value as it
was formatted and saved, a formula's last result: nothing is evaluated). Repeated rows and cells
(`number-rows-repeated`, how a sheet formatted to row 1,048,576 is stored) are written out only when
they hold text, and then count against the caps like any row.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ExtractionError
from .base import check_size
from .docx import check_zip
from .odf import ODF_ERRORS, odf_title
from .parts import Collector
from .table_text import MAX_COLUMNS, TableText

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
T_TABLE, T_ROW = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row"
T_CELL, T_COVERED = f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"
T_NAME = f"{{{_TABLE}}}name"
ROWS_REPEATED, COLS_REPEATED = f"{{{_TABLE}}}number-rows-repeated", f"{{{_TABLE}}}number-columns-repeated"
P, S, TAB, BREAK = f"{{{_TEXT}}}p", f"{{{_TEXT}}}s", f"{{{_TEXT}}}tab", f"{{{_TEXT}}}line-break"
# Office annotations (cell comments) are not the cell's value.
_SKIP = {"{urn:oasis:names:tc:opendocument:xmlns:office:1.0}annotation"}


class OdsExtractor:
    suffixes = (".ods",)
    paged = True
    no_text = "no text found (the spreadsheet's sheets are empty)"
    unit = "sheet"

    def extract(self, path: Path, sink: Collector) -> None:
        check_size(path)
        check_zip(path)
        sink.title(odf_title(path, "ODS"))
        try:
            from lxml import etree

            with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
                # Events for sheets and rows only: a row's cells are read from it at its end, so Python
                # sees two events a row instead of several a cell.
                events = etree.iterparse(
                    fh, events=("start", "end"), tag=(T_TABLE, T_ROW), resolve_entities=False, no_network=True
                )
                _read(events, sink)
        except ExtractionError:
            raise
        except (KeyError, *ODF_ERRORS) as exc:
            if not sink.has_text:
                raise ExtractionError(f"damaged ODS ({type(exc).__name__})") from None
            sink.note(f"the rest of the spreadsheet could not be read (damaged: {type(exc).__name__})")


def _read(events: Iterator[tuple[str, Any]], sink: Collector) -> None:
    """Sheets and rows in document order; nested tables (a table inside a shape) are not sheets."""
    tables = TableText(sink)
    depth = number = 0
    for event, el in events:
        if el.tag == T_TABLE:
            if event == "start":
                depth += 1
                if depth == 1:
                    number += 1
                    sink.progress(number - 1, None)
                    tables.begin(number, el.get(T_NAME) or f"Sheet{number}")
            else:
                depth -= 1
                if depth == 0:
                    tables.end()
                _drop(el)
        elif event == "end" and el.tag == T_ROW and depth == 1:
            cells = _cells(el)
            times = int(el.get(ROWS_REPEATED) or 1) if any(cells) else 1
            for _ in range(min(times, 1 << 20)):
                if not tables.row(cells):
                    tables.end()
                    return
            _drop(el)


def _cells(row: Any) -> list[str]:
    out: list[str] = []
    for cell in row:
        if cell.tag not in (T_CELL, T_COVERED):
            continue
        text = "\n".join(_para(p) for p in cell if p.tag == P)
        times = int(cell.get(COLS_REPEATED) or 1)
        out.extend([text] * min(times, MAX_COLUMNS - len(out)))
        if len(out) >= MAX_COLUMNS:
            break
    return out


def _para(p: Any) -> str:
    """A paragraph's text, spaces, tabs and line breaks as spaces (itertext would join words over them)."""
    parts = [p.text or ""]
    for child in p:
        if child.tag in (S, TAB, BREAK):
            parts.append(" ")
        elif child.tag not in _SKIP:
            parts.append(_para(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _drop(el: Any) -> None:
    """Free a read element and the siblings before it: iterparse keeps the tree it has built."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    while parent is not None and el.getprevious() is not None:
        del parent[0]

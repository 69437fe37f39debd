"""Spreadsheets: XLSX with openpyxl (one unit a sheet) and CSV/TSV with the csv module (flowing text).

Rows become "a | b | c" lines with the header row as a heading (table_text.py says why). XLSX is
opened read-only (rows streamed from the XML, never the whole sheet in memory) with `data_only`: a
formula cell gives the value its program last saved, and no formula is ever evaluated here.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ExtractionError
from .base import NO_TEXT, check_size, looks_binary
from .docx import check_zip
from .parts import Collector
from .plain import BLOCK_BYTES, encoding_of
from .table_text import MAX_COLUMNS, TableText

# The delimiters a CSV file may use; the sniffer picks among them from the file's first lines.
DELIMITERS = ",;\t|"
_SNIFF_CHARS = 64 * 1024


def cell_text(value: Any) -> str:
    """A cell's value as a person reads it: 3 not 3.0, a date without a midnight time, TRUE/FALSE."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


class XlsxExtractor:
    suffixes = (".xlsx", ".xlsm")
    paged = True
    no_text = "no text found (the workbook's sheets are empty)"
    unit = "sheet"

    def extract(self, path: Path, sink: Collector) -> None:
        check_size(path)
        check_zip(path)
        try:
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises KeyError, InvalidFileException, XML errors...
            raise ExtractionError(f"damaged XLSX ({type(exc).__name__})") from None
        try:
            sink.title(book.properties.title or "")
            self._sheets(book, sink)
        except ExtractionError:
            raise
        except Exception as exc:  # noqa: BLE001 - a sheet's XML broken part-way
            if not sink.has_text:
                raise ExtractionError(f"damaged XLSX ({type(exc).__name__})") from None
            sink.note(f"the rest of the workbook could not be read (damaged: {type(exc).__name__})")
        finally:
            book.close()

    @staticmethod
    def _sheets(book: Any, sink: Collector) -> None:
        tables = TableText(sink)
        sheets = book.worksheets
        # Sheets are numbered by their place among all tabs, chart sheets too, as the program shows them.
        for number, sheet in enumerate(sheets, start=1):
            sink.progress(number - 1, len(sheets))
            if not hasattr(sheet, "iter_rows"):
                continue
            tables.begin(number, sheet.title)
            # Without its recorded dimensions a row is as wide as its last cell: with them openpyxl pads
            # every row to the sheet's width (a sheet formatted out to column XFD: 16,384 cells a row),
            # and a wrong dimension (some writers record "A1") would cut columns off.
            sheet.reset_dimensions()
            for row in sheet.iter_rows(values_only=True):
                if not tables.row(map(cell_text, row[:MAX_COLUMNS])):
                    tables.end()
                    return
            tables.end()
        sink.progress(len(sheets), len(sheets))


class CsvExtractor:
    suffixes = (".csv", ".tsv")
    paged = False
    no_text = NO_TEXT
    unit = "page"

    def extract(self, path: Path, sink: Collector) -> None:
        size = check_size(path)
        with open(path, "rb") as fh:
            head = fh.read(BLOCK_BYTES)
            if looks_binary(head[:8192]):
                raise ExtractionError("binary content, not text")
            fh.seek(0)
            encoding = codecs.lookup(encoding_of(head)).name
            text = io.TextIOWrapper(fh, encoding=encoding, errors="replace", newline="")
            dialect = _dialect(head.decode(encoding, errors="replace")[:_SNIFF_CHARS], path.suffix.lower())
            tables = TableText(sink)
            tables.begin(None)
            try:
                for n, row in enumerate(_rows(text, dialect)):
                    if not tables.row(row):
                        break
                    if n % 10_000 == 0:
                        sink.progress(fh.tell(), size)
            except csv.Error as exc:
                # A field longer than the csv module's limit, or a stray NUL: keep what came before.
                tables.end()
                if not sink.has_text:
                    raise ExtractionError(f"damaged CSV ({exc})") from None
                sink.note(f"the rest of the file could not be read as CSV ({exc})")
                return
            tables.end()
            sink.progress(size, size)


def _dialect(sample: str, suffix: str) -> type[csv.Dialect] | csv.Dialect:
    """The file's delimiter and quoting, sniffed from its first lines (the last line, likely cut, left
    out); a TSV's tab, or the comma, when the sniffer cannot tell."""
    sample = sample[: sample.rfind("\n")] if "\n" in sample else sample
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        return csv.excel_tab if suffix == ".tsv" else csv.excel


def _rows(text: io.TextIOWrapper, dialect: type[csv.Dialect] | csv.Dialect) -> Iterator[list[str]]:
    for row in csv.reader(text, dialect):
        yield row[:MAX_COLUMNS]

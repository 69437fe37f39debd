"""Rows of a spreadsheet or a CSV file as text: one "a | b | c" line a row, the header row as a heading.

Why lines and not "header: value" pairs: a row of a sheet is read across, as the sheet shows it, and
its values stay next to each other for keyword search and the highlight. Repeating every header on
every row would double a sheet's text (and its passages) and bury the values under the same header
words in every passage. The headers still reach every passage: the header row is a heading (under
the sheet's name), and a passage carries its heading path to keyword search and to the model
(core/context.py), so a row deep in a sheet is embedded as "Sheet › Name | Qty | Price" + its line.
Lines of one delimiter are what core/textkind.py's `table` signal reads: a sheet of figures is
classified as data there, like any table, and a sheet of sentences as prose.

A sheet is streamed: rows arrive one by one, and its text goes on in pieces of about PIECE_CHARS
(the same numbered unit, so a passage in any piece opens at its sheet), so a million-row sheet is
never held whole. Each file is capped (rows, cells, characters); past a cap the rest is left out
and the reading is noted (Collector.note) with what was kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..models import Heading
from .base import MAX_TEXT_CHARS, clean_text
from .parts import Collector

# Rows and cells kept per file: a sheet past these is a data dump, and its first rows say what it is.
MAX_ROWS = 200_000
MAX_CELLS = 2_000_000
# Cells read per row: a sheet formatted out to column XFD has 16,384 empty cells in every row.
MAX_COLUMNS = 256
# A cell's text is cut here: a cell holding a whole document would otherwise make one "row" of it.
MAX_CELL_CHARS = 5_000
# A sheet's text goes on in pieces of about this many characters.
PIECE_CHARS = 1 << 20
# The header row is looked for among this many first non-empty rows: above it may be a title line.
HEADER_WITHIN = 5
SEP = " | "


def cell_line(cells: Iterable[str]) -> tuple[str, int]:
    """A row as one line (empty inner cells kept, so values stay under their headers; trailing empty
    cells dropped) and the number of non-empty cells in it."""
    values = [" ".join(c.split())[:MAX_CELL_CHARS] for c in cells]
    while values and not values[-1]:
        values.pop()
    filled = sum(1 for v in values if v)
    return clean_text(SEP.join(values)) if filled else "", filled


class TableText:
    """One file's tables written to a sink: `begin` a sheet, `row` its rows, `end` it. `row` returns
    False once a cap of the file is reached (the caller stops reading; the note is already made)."""

    def __init__(self, sink: Collector) -> None:
        self.sink = sink
        self.rows = self.cells = self.chars = 0
        self.capped = False
        self._number: int | None = None
        self._lines: list[str] = []
        self._heads: list[Heading] = []
        self._size = 0
        self._seen = 0  # non-empty rows of this sheet so far
        self._header_level = 1
        self._header_found = False

    def begin(self, number: int | None, name: str = "") -> None:
        """A new sheet: `number` (1-based) makes it a numbered unit, None flowing text (a CSV file);
        its `name` the level-1 heading, the header row then under it."""
        self.end()
        self._number, self._seen, self._header_found = number, 0, False
        name = " ".join(name.split())
        self._header_level = 2 if name else 1
        if name:
            self._add(name, Heading(1, name, 0))

    def row(self, cells: Iterable[str]) -> bool:
        """Add one row of cell texts; False when the file's caps are reached and reading should stop."""
        if self.capped:
            return False
        line, filled = cell_line(cells)
        if not filled:
            return True
        self._seen += 1
        head = None
        if filled >= 2 and self._seen <= HEADER_WITHIN and not self._header_found:
            head, self._header_found = Heading(self._header_level, line, 0), True
        self._add(line, head)
        self.rows += 1
        self.cells += filled
        self.chars += len(line) + 1
        if self.rows >= MAX_ROWS or self.cells >= MAX_CELLS or self.chars >= MAX_TEXT_CHARS:
            self.capped = True
            self.sink.note(
                f"only the first {self.rows:,} rows ({self.cells:,} cells) were read: the rest of the file is not indexed"
            )
            return False
        return True

    def end(self) -> None:
        """Hand on what is left of the current sheet."""
        self._flush()
        self._number = None

    def _add(self, line: str, head: Heading | None) -> None:
        if self._size and self._size + len(line) > PIECE_CHARS:
            self._flush()
        start = self._size + (1 if self._lines else 0)
        if head is not None:
            self._heads.append(Heading(head.level, head.title, start))
        self._lines.append(line)
        self._size = start + len(line)

    def _flush(self) -> None:
        if not self._lines:
            return
        text, heads = "\n".join(self._lines), tuple(self._heads)
        self._lines, self._heads, self._size = [], [], 0
        if self._number is None:
            self.sink.block(text, heads)
        else:
            self.sink.unit(self._number, text, heads)


def rows_text(rows: Sequence[Sequence[str]]) -> str:
    """Small tables inside a document (a word processor's or a slide's): their rows as lines."""
    return "\n".join(line for line, filled in map(cell_line, rows) if filled)

"""Running headers and footers of paged documents: lines repeated at the top or bottom of many pages.

A manual's pages start with "Chapter 3: Basic Shell Features 17" or "gnuplot 5.4 41": left in, they
land in the middle of passages and match every query that names the chapter. The rule, measured
on real manuals (docs/benchmarks.md, "Real documents (docs-dev)"):
- only the first and last EDGE_LINES non-blank lines of a page are candidates;
- a line is compared by a key (NFKC, lower case, digits as '#', spaces collapsed), so "Chapter 3 ... 17"
  and "Chapter 3 ... 18" are one line;
- it is dropped when its key sits at that edge on at least MIN_PAGES pages and at least EDGE_SHARE of
  all its occurrences in the document are at page edges (so a "Syntax:" line that starts many
  sections is kept);
- a bare page number (arabic or roman) is dropped when number minus page index is the same on at
  least MIN_PAGES pages;
- a page whose every line would be dropped keeps them all (they are its content).
Lines of a table of contents or an index ("9.3.3 Modifiers . . . . . . . 156") go too, wherever they
sit: they name every section and would match every query that names one.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from .base import squash

EDGE_LINES = 2
MIN_PAGES = 3
EDGE_SHARE = 0.9

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_ROMAN = re.compile(r"^[ivxlcdm]{1,6}$", re.I)
_LETTER = re.compile(r"[^\W\d_]")
# A title, a dot leader (". . . ." or "......") and a page number (arabic or roman).
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}\s*(?:\d+|[ivxlcdm]+)\s*$", re.I)
_ROMAN_VALUE = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _key(line: str) -> str:
    s = unicodedata.normalize("NFKC", line).lower()
    return _SPACE.sub(" ", _DIGITS.sub("#", s)).strip()


def _roman(s: str) -> int:
    vals = [_ROMAN_VALUE[c] for c in s.lower()]
    return sum(-v if i + 1 < len(vals) and vals[i + 1] > v else v for i, v in enumerate(vals))


def _page_number(line: str) -> tuple[bool, int] | None:
    """(arabic?, value) of a line that is only a page number."""
    s = line.strip().strip("-–— ").strip()
    if s.isdigit() and len(s) <= 5:
        return True, int(s)
    if _ROMAN.match(s):
        return False, _roman(s)
    return None


def _edges(lines: list[str]) -> tuple[list[int], list[int]]:
    idx = [i for i, line in enumerate(lines) if line.strip()]
    return idx[:EDGE_LINES], idx[-EDGE_LINES:]


def strip_running_lines(pages: Sequence[str], keep: Sequence[set[str]] = ()) -> list[str]:
    """The pages without their running headers, footers and page numbers (lines joined by '\\n').
    `keep[i]`: lines of page i that are headings (the outline's titles, lower case, spaces collapsed),
    never dropped however often their pattern repeats ("Chapter 3" at the top of every chapter)."""
    if len(pages) < MIN_PAGES:
        return list(pages)
    lines = [p.split("\n") for p in pages]
    every = Counter(_key(line) for page in lines for line in page if line.strip())
    top: Counter[str] = Counter()
    bottom: Counter[str] = Counter()
    offsets: Counter[tuple[bool, int]] = Counter()
    for index, page in enumerate(lines):
        head, foot = _edges(page)
        top.update({_key(page[j]) for j in head})
        bottom.update({_key(page[j]) for j in foot})
        for j in set(head) | set(foot):
            number = _page_number(page[j])
            if number is not None:
                offsets[(number[0], number[1] - index)] += 1
    numbering = {o for o, n in offsets.items() if n >= MIN_PAGES}

    def running(line: str, index: int, edge: Counter[str]) -> bool:
        if index < len(keep) and squash(line) in keep[index]:
            return False
        number = _page_number(line)
        if number is not None:
            return (number[0], number[1] - index) in numbering
        key = _key(line)
        return bool(_LETTER.search(key)) and edge[key] >= MIN_PAGES and edge[key] >= EDGE_SHARE * every[key]

    out = []
    for index, page in enumerate(lines):
        head, foot = _edges(page)
        drop = {j for j in head if running(page[j], index, top)} | {j for j in foot if running(page[j], index, bottom)}
        if drop and len(drop) == sum(1 for line in page if line.strip()):
            drop = set()  # a page of nothing but "running" lines: those lines are its content
        drop |= {j for j, line in enumerate(page) if _DOT_LEADER.search(line)}
        out.append("\n".join(line for j, line in enumerate(page) if j not in drop))
    return out

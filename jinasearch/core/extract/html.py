"""HTML: the page's main content as a reader sees it, with its headings, without the site's furniture.

Navigation bars, tables of contents, sidebars, language switchers, breadcrumbs and "previous/next"
links are dropped (see html_furniture.py); text is joined as the browser lays it out, so inline
markup adds no spaces ("json.dumps(" stays whole) and <pre> keeps its lines and indentation.
Measured on the 703 pages of docs-dev and on Sphinx and DocBook pages, against trafilatura and the
plain text of the whole page (docs/benchmarks.md, "Real documents (docs-dev)"): no answer, code line
or heading lost, and no furniture line left where trafilatura lost most headings and some paragraphs.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from ..models import Heading
from .base import check_size
from .html_furniture import INVISIBLE, drop_furniture
from .parts import Collector
from .plain import decode_bytes

# Block elements end a paragraph; line elements a line; cells are separated by a space.
_PARAGRAPHS = frozenset(
    "p div section article main header footer blockquote pre table ul ol dl figure figcaption hr center "
    "address fieldset details summary h1 h2 h3 h4 h5 h6 body html".split()
)
_LINES = frozenset("br li tr dt dd caption option".split())
_CELLS = frozenset(("td", "th"))
_VERBATIM = frozenset(("pre", "textarea", "listing", "xmp", "plaintext"))
_LEVELS = {f"h{i}": i for i in range(1, 7)}
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")
# Separators waiting to be written, weakest first: the strongest one asked for between two texts wins.
_RANK = {"": 0, " ": 1, "\n": 2, "\n\n": 3}


def _soup(markup: str):  # type: ignore[no-untyped-def]
    from bs4 import BeautifulSoup

    with warnings.catch_warnings():
        # XHTML pages (<?xml ...?>) read fine as HTML; the warning would only reach the terminal.
        warnings.filterwarnings("ignore", message=".*XML.*")
        try:
            return BeautifulSoup(markup, "lxml")  # 30% faster than html.parser on long pages
        except Exception:  # noqa: BLE001 - lxml missing or refusing the markup: the pure-Python parser
            return BeautifulSoup(markup, "html.parser")


class _Writer:
    """Lays text out as a browser would: whitespace runs are one space, blocks end paragraphs."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.pos = 0
        self.pending = ""
        self.headings: list[list[int]] = []  # [level, start, end]
        self.open: list[int] = []  # headings still waiting for their first character

    def text(self, s: str) -> None:
        if not s:
            return
        if self.pending and self.out:
            self.out.append(self.pending)
            self.pos += len(self.pending)
        self.pending = ""
        for i in self.open:
            if self.headings[i][1] < 0:
                self.headings[i][1] = self.pos
        self.out.append(s)
        self.pos += len(s)

    def sep(self, kind: str) -> None:
        if _RANK[kind] > _RANK[self.pending]:
            self.pending = kind

    def flowing(self, s: str) -> None:
        squashed = _WS.sub(" ", _CONTROL.sub(" ", s))
        if squashed.startswith(" "):
            self.sep(" ")
        core = squashed.strip(" ")
        self.text(core)
        if core and squashed.endswith(" "):
            self.sep(" ")

    def boundary(self, name: str) -> None:
        if name in _PARAGRAPHS:
            self.sep("\n\n")
        elif name in _LINES:
            self.sep("\n")
        elif name in _CELLS:
            self.sep(" ")


def html_to_text(markup: str) -> tuple[str, str, list[Heading]]:
    """(title, main text, headings with offsets into that text)."""
    from bs4 import Comment, NavigableString, Tag

    soup = _soup(markup)
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    root = soup.body or soup
    drop_furniture(root)
    w = _Writer()
    stack: list[tuple[object, bool, bool]] = [(root, False, False)]  # node, closing, verbatim
    while stack:
        node, closing, verbatim = stack.pop()
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            if verbatim:
                w.text(_verbatim(node))
            else:
                w.flowing(str(node))
            continue
        if not isinstance(node, Tag) or node.name in INVISIBLE:
            continue
        w.boundary(node.name)
        if closing:
            if node.name in _LEVELS and w.open:
                w.headings[w.open.pop()][2] = w.pos
            continue
        if node.name in _LEVELS:
            w.headings.append([_LEVELS[node.name], -1, -1])
            w.open.append(len(w.headings) - 1)
        stack.append((node, True, verbatim))
        inner = verbatim or node.name in _VERBATIM
        stack.extend((child, False, inner) for child in reversed(node.contents))
    text = "".join(w.out)
    heads = [Heading(lv, " ".join(text[a:b].split()), a) for lv, a, b in w.headings if 0 <= a < b]
    return title, text, heads


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _verbatim(node: object) -> str:
    """Text inside <pre> as shown: its lines and indentation, without the newline right after <pre>."""
    s = str(node).replace("\r\n", "\n").replace("\r", "\n")
    if getattr(node, "previous_sibling", None) is None and getattr(getattr(node, "parent", None), "name", "") == "pre":
        s = s.removeprefix("\n")
    return _CONTROL.sub(" ", s)


class HtmlExtractor:
    suffixes = (".html", ".htm", ".xhtml")

    def extract(self, path: Path, sink: Collector) -> None:
        check_size(path, 50 * 1024 * 1024)
        title, text, headings = html_to_text(decode_bytes(path.read_bytes()))
        sink.title(title or (headings[0].title if headings else ""))
        sink.block(text, headings)

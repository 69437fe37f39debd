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
from pathlib import Path
from typing import Any

from ..errors import ExtractionError
from ..models import Heading
from .base import NO_TEXT, check_size
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


# An XML declaration (XHTML) names an encoding; the text is decoded already, and lxml refuses both.
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _tree(markup: str):  # type: ignore[no-untyped-def]
    """The page as an lxml tree (18x faster to build than BeautifulSoup's on long manual pages); None
    when there is nothing to parse."""
    import lxml.html
    from lxml.etree import ParserError

    # Without huge_tree libxml2 silently drops a text node over 10 MB (a log saved as one <pre>) and
    # everything below depth 256 (pages of unclosed <font> tags); with it the limits are 1 GB and 2048.
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        root = lxml.html.fromstring(_XML_DECL.sub("", markup) or "<html></html>", parser=parser)
    except (ParserError, ValueError):  # "Document is empty", a stray declaration
        return None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise ExtractionError("HTML nested too deeply to read (over 2,048 levels)")
    return root


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
    root = _tree(markup)
    if root is None:
        return "", "", []
    head_title = root.find(".//title")
    title = " ".join(head_title.text_content().split()) if head_title is not None else ""
    body = root.find(".//body")
    body = body if body is not None else root
    drop_furniture(body)
    w = _Writer()
    # (element, closing, verbatim of its parent): text inside an element follows the element's own
    # verbatim rule, the text after it (its tail) the parent's.
    stack: list[tuple[Any, bool, bool]] = [(body, False, False)]
    while stack:
        el, closing, outer = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""  # comments and processing instructions: no tag
        if closing:
            if tag in _LEVELS and w.open:
                w.headings[w.open.pop()][2] = w.pos
            w.boundary(tag)
            _write(w, el.tail if el is not body else None, outer)
            continue
        if not tag or tag in INVISIBLE:
            _write(w, el.tail, outer)
            continue
        w.boundary(tag)
        if tag in _LEVELS:
            w.headings.append([_LEVELS[tag], -1, -1])
            w.open.append(len(w.headings) - 1)
        inner = outer or tag in _VERBATIM
        text = el.text
        if tag == "pre" and text:
            text = text.removeprefix("\r\n").removeprefix("\n")  # the newline right after <pre> is not shown
        _write(w, text, inner)
        stack.append((el, True, outer))
        stack.extend((child, False, inner) for child in reversed(el))
    text = "".join(w.out)
    heads = [Heading(lv, " ".join(text[a:b].split()), a) for lv, a, b in w.headings if 0 <= a < b]
    return title, text, heads


def _write(w: _Writer, text: str | None, verbatim: bool) -> None:
    if text:
        if verbatim:
            w.text(_CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")))
        else:
            w.flowing(text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class HtmlExtractor:
    suffixes = (".html", ".htm", ".xhtml")
    paged = False
    no_text = NO_TEXT
    unit = "page"

    def extract(self, path: Path, sink: Collector) -> None:
        check_size(path, 50 * 1024 * 1024)
        title, text, headings = html_to_text(decode_bytes(path.read_bytes()))
        sink.title(title or (headings[0].title if headings else ""))
        sink.block(text, headings)

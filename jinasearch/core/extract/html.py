"""HTML: the text a reader sees, without scripts, styles or markup."""

from __future__ import annotations

from pathlib import Path

from ..models import Extracted
from .base import check_size, clean_text
from .plain import decode_bytes

_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
_BLOCKS = (
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
    "title",
)


def html_to_text(markup: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(_INVISIBLE):
        tag.decompose()
    # Block elements end a line so the chunker sees paragraphs, not one endless run of words.
    for tag in soup.find_all(_BLOCKS):
        tag.insert_after("\n\n")
    body = soup.get_text(" ")
    return clean_text(f"{title}\n\n{body}" if title else body)


class HtmlExtractor:
    suffixes = (".html", ".htm", ".xhtml")

    def extract(self, path: Path) -> Extracted:
        check_size(path, 50 * 1024 * 1024)
        return Extracted(text=html_to_text(decode_bytes(path.read_bytes())))

"""What a passage carries besides its own text: where it sits in its document.

A paragraph deep in a 200-page manual often never names what it is about ("this option is ignored
when -j is given"). Its document's title and its heading path do, so they go with it:
- to keyword search, as a column of their own (weighted below the text) together with the words of
  the file's name, so "garden-journal" finds garden-journal.txt and a chapter title finds its pages;
- to the model, as a first line before the passage's text, so the passage's vector carries them.
Both are measured on docs-dev (docs/benchmarks.md, "Real documents (docs-dev)").
"""

from __future__ import annotations

import os
import re

from .attached import split_attached
from .chunk import SECTION_SEP

_NAME_SEPARATORS = re.compile(r"[-_.+]+")


def name_words(path: str) -> str:
    """A file's name as it is written (without its extension) and as words:
    "garden-journal_2024.txt" -> "garden-journal_2024 garden journal 2024 txt"."""
    name = os.path.basename(path)
    stem = os.path.splitext(name)[0]
    return f"{stem} {_NAME_SEPARATORS.sub(' ', name).strip()}".strip()


def place(title: str, section: str) -> str:
    """Title and heading path as one breadcrumb, without repeating a title that is also the first heading."""
    if not title:
        return section
    if not section or section == title or section.startswith(title + SECTION_SEP):
        return section or title
    return f"{title}{SECTION_SEP}{section}"


def keyword_context(path: str, title: str, section: str) -> str:
    """The text of a passage's keyword column: its file's name as words, then its place."""
    return f"{name_words(path)}\n{place(title, section)}".strip()


def model_input(title: str, section: str, text: str) -> str:
    """What the model embeds for a passage: its place on the first line, then its text."""
    where = place(title, section)
    return f"{where}\n{text}" if where else text


def breadcrumb(path: str, title: str, section: str, page: int | None, unit: str | None = None) -> str:
    """Where a hit is, as a person reads it: `R-intro.pdf › 7 Reading data from files › 7.1 … · p. 31`
    (the heading path, else the title, after the file's name); a slide, chapter, sheet or message is
    named as such (`deck.pptx › Roadmap · slide 4`); a mail attachment after its mail and message
    (`inbox.mbox › message 12 › invoice.pdf · p. 2`, core/attached.py). `unit`: what `page` counts
    (a hit's Hit.unit); None: found from the file's type, which loads the extractors (about 0.1 s, as
    much as the rest of a command-line search with the app running)."""
    parts = _file_parts(path)
    if section:
        parts.append(section)
    elif title:
        parts.append(title)
    crumb = SECTION_SEP.join(parts)
    if not page:
        return crumb
    if unit is None:
        from .extract import unit_of

        unit = unit_of(path)
    return f"{crumb} · p. {page}" if unit == "page" else f"{crumb} · {unit} {page}"


def _file_parts(path: str) -> list[str]:
    where = split_attached(path)
    if where is None:
        return [os.path.basename(path)]
    mail = os.path.basename(where.mail)
    if where.mail.lower().endswith(".eml"):  # one message: its number says nothing
        return [mail, where.name]
    return [mail, f"message {where.message}", where.name]

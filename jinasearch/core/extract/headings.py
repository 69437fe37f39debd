"""Headings in plain text by the conventions people write them in: cheap rules, measured on real files.

- Markdown: ATX (`## Title`, outside fenced code) and setext (a title underlined with === or ---);
- reStructuredText and Info-style text: a title underlined (optionally overlined) with a repeated
  punctuation character; levels in the order each underline style first appears, as RST defines;
- numbered sections: a line like `4.7 Standards for Graphical Interfaces` standing alone between
  blank lines, at most 14 words, not ending like a sentence; a single-number line ("3. Title") must
  be followed by a "3.x" section or be a short capitalised title (else it is a list item);
- a short ALL-CAPS line standing alone: a top heading before any other, else a label one level
  below the current section.
On curl's FAQ and KNOWN_BUGS, the GNU coding standards and Markdown files these found every entry of
the files' own tables of contents with one false positive (docs/benchmarks.md, "Real documents (docs-dev)").
"""

from __future__ import annotations

import re

from ..models import Heading

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```+|~~~+)")
_UNDER = re.compile(r"^([=\-~^\"'`#*+.:_])\1{2,}[ \t]*$")
_NUMBERED = re.compile(r"^[ \t]{0,4}((?:\d{1,3}\.)*\d{1,3})\\?\.?[ \t]+(\S.{0,100}?)[ \t]*$")
_APPENDIX = re.compile(r"^(Appendix [A-Z])[ \t]+(\S.{0,80})$")
# No colon inside: "PROGRAM:SOURCEFILE:LINENO: MESSAGE" is a format shown on its own line, not a heading.
_CAPS = re.compile(r"^[ \t]{0,4}([A-Z][A-Z0-9 ,&/()'\-]{2,60}:?)$")
_NUMBER = re.compile(r"(\d+)((?:\.\d+)*)")

MARKDOWN = (".md", ".markdown")
PROSE = (".txt", ".text", ".md", ".markdown", ".rst", ".org", ".adoc", ".asciidoc")


class HeadingFinder:
    """Finds headings block by block; the underline levels seen so far carry over between blocks."""

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown
        self._levels: dict[tuple[str, bool], int] = {}
        self._fence: str | None = None
        self._level: int | None = None  # the last heading's level, other than an ALL-CAPS line's

    def find(self, text: str) -> list[Heading]:
        lines = text.split("\n")
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        blank = [not line.strip() for line in lines]
        found: list[tuple[Heading, str]] = []
        skip: set[int] = set()
        for i, line in enumerate(lines):
            h = self._line(lines, blank, i, skip)
            if h is not None:
                level, title, rule = h
                indent = len(line) - len(line.lstrip())  # an ATX heading starts at its "#"s
                found.append((Heading(level, title, starts[i] + indent), rule))
        return [self._placed(h, rule) for h, rule in _keep_real_numbered(found)]

    def _placed(self, h: Heading, rule: str) -> Heading:
        """An ALL-CAPS line after numbered or underlined headings labels a part of the current section
        (curl's FAQ: "SERVER CERTIFICATE" inside 3.18): one level below it, so the next section ends it
        instead of becoming its child. Before any other heading (a man page's NAME, SYNOPSIS) it is a top one."""
        if rule != "caps":
            self._level = h.level
            return h
        return h if self._level is None else Heading(self._level + 1, h.title, h.start)

    def _line(self, lines: list[str], blank: list[bool], i: int, skip: set[int]) -> tuple[int, str, str] | None:
        line = lines[i]
        if self.markdown:
            m = _FENCE.match(line)
            if m:
                mark = m.group(1)[0]
                self._fence = mark if self._fence is None else (None if self._fence == mark else self._fence)
                return None
            if self._fence:
                return None
            m = _ATX.match(line)
            if m:
                return len(m.group(1)), m.group(2), "atx"
        if i in skip or blank[i]:
            return None
        under = self._underlined(lines, blank, i)
        if under is not None:
            skip.add(i + 1)
            return under, line.strip(), "underline"
        if _UNDER.match(line.strip()):
            return None
        alone = (i == 0 or blank[i - 1]) and (i + 1 >= len(lines) or blank[i + 1])
        if not alone:
            return None
        m = _NUMBERED.match(line)
        if m and not re.search(r"[.,;]$", m.group(2)) and len(m.group(2).split()) <= 14:
            return m.group(1).count(".") + 1, line.strip(), "numbered"
        if _APPENDIX.match(line):
            return 1, line.strip(), "appendix"
        m = _CAPS.match(line)
        if m and sum(c.isalpha() for c in m.group(1)) >= 3 and len(m.group(1).split()) <= 8:
            return 1, m.group(1).strip(), "caps"
        return None

    def _underlined(self, lines: list[str], blank: list[bool], i: int) -> int | None:
        if i + 1 >= len(lines) or not _UNDER.match(lines[i + 1].rstrip()) or _UNDER.match(lines[i].strip()):
            return None
        title, rule = lines[i].strip(), lines[i + 1].strip()
        over = i > 0 and lines[i - 1].strip() == rule
        if not (i == 0 or blank[i - 1] or over) or len(rule) < max(3, int(0.7 * len(title))) or len(title) > 120:
            return None
        if self.markdown:
            return 1 if rule[0] == "=" else 2 if rule[0] == "-" else None
        return self._levels.setdefault((rule[0], over), len(self._levels) + 1)


def _keep_real_numbered(found: list[tuple[Heading, str]]) -> list[tuple[Heading, str]]:
    """Drop single-number lines that are list items: a real "3 Title" has a "3.x" section after it, or is
    a short capitalised title."""
    keep: list[tuple[Heading, str]] = []
    for k, (h, rule) in enumerate(found):
        if rule == "numbered":
            num = _NUMBER.match(h.title)
            if num and not num.group(2) and not _has_children(num.group(1), found[k + 1 :]):
                title = h.title[num.end() :].lstrip("\\. ")
                if not (title[:1].isupper() and len(title.split()) <= 6 and not title.endswith(".")):
                    continue
        keep.append((h, rule))
    return keep


def _has_children(number: str, later: list[tuple[Heading, str]]) -> bool:
    for h, rule in later:
        if rule not in ("numbered", "underline"):
            continue
        m = _NUMBER.match(h.title)
        if not m:
            continue
        return bool(m.group(2)) and m.group(1) == number
    return False

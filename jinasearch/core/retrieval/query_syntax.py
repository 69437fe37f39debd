"""Query syntax people know from web and desktop search: "exact phrase", -word, word*, type:pdf, in:folder,
and the mail searches' from:ann and subject:invoice.

Only these few forms are read as operators, and only where nothing else could be meant: a quote that
is never closed, a hyphen inside a word (e-mail), a lone `-`, a number after `-` (-40 degrees), a
command's short options (-s, -rf), its longer ones after it (find -name, ls -lah: command_options.py)
and any other `key:value` (a URL, C:\\, std::vector, 10:30) stay plain text. A query with no operator is returned as typed (`plain`), so natural-language search
takes exactly the path it took before.

What they do (core/search.py): a phrase and an excluded word are filters on the passage's own text
as FTS5 reads it (store/reads.py), so both retrievers honour them in every mode; `word*` is an FTS5
prefix query beside the other words, embedded without its star; type:, in:, from: and subject: join
the caller's filters (from: and subject: hold for mail messages only: store/schema.py, FILTER_SENDER).
Highlights mark each phrase whole and the words a prefix matched.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..cjk import has_cjk
from ..errors import UnknownFolderError, UnknownTypeError
from ..language import FTS_PIECE_RE, stem
from ..models import Filters, Hit
from ..store import FolderRecord as Folder
from .command_options import CommandLine

Span = tuple[int, int]

# Straight and typographic double quotes (a Mac or a word processor turns " into “ ”).
_OPEN, _CLOSE = '"“„', '"”“'
# -word: a letter first (so "-40" stays a number) and three characters at least, so that a command's
# options (`shopt -s`, `set -e`, `rm -rf`: docs-dev asks such questions) stay text, then a space or the end.
_EXCLUDE_RE = re.compile(r"-(?=\S{3})([^\W\d_]\w*(?:['’._-]\w+)*)(?=\s|$)")
# word*: at least two characters (one letter would ask for a fifth of the dictionary), then a space or the end.
_PREFIX_RE = re.compile(r"(\w[\w'’._-]*\w|[^\W\x00-\u2e7f])\*(?=\s|$)")
# type:pdf, type:.PDF, type:pdf,docx
_TYPE_RE = re.compile(r"type:(\.?[A-Za-z0-9]{1,10}(?:,\.?[A-Za-z0-9]{1,10})*)(?=\s|$)", re.IGNORECASE)
_IN_RE = re.compile(r"in:(?=\S)", re.IGNORECASE)
_MAIL_RE = re.compile(r"(from|subject):(?=\S)", re.IGNORECASE)
_SPACE_RE = re.compile(r"\S")
_TOKEN_RE = re.compile(r"\S+")


@dataclass(frozen=True)
class ParsedQuery:
    """What a typed query asks: `text` is what is searched by meaning and by words (operators taken out,
    phrases' words and prefixes without their star kept); the rest narrows or marks the hits."""

    text: str
    typed: str = ""  # the query as typed (stripped)
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    exts: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()
    senders: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()

    @property
    def plain(self) -> bool:
        """No operator at all: the query as typed, searched as natural language."""
        mail = self.senders or self.subjects
        return not (self.phrases or self.excluded or self.prefixes or self.exts or self.folders or mail)


def parse_query(query: str) -> ParsedQuery:
    """The operators of `query` and its remaining text (see the module docstring for what is text)."""
    query = query.strip()
    parts: list[str] = []
    found: dict[str, list[str]] = {
        k: [] for k in ("phrases", "excluded", "prefixes", "exts", "folders", "senders", "subjects")
    }
    i, line = 0, CommandLine()
    while (m := _SPACE_RE.search(query, i)) is not None:
        i = _token(query, m.start(), parts, found, line)
    if not any(found.values()):
        return ParsedQuery(query, query)
    once = {k: tuple(dict.fromkeys(v)) for k, v in found.items()}
    return ParsedQuery(
        " ".join(parts),
        query,
        phrases=once["phrases"],
        excluded=once["excluded"],
        prefixes=once["prefixes"],
        exts=once["exts"],
        folders=once["folders"],
        senders=once["senders"],
        subjects=once["subjects"],
    )


def _token(query: str, i: int, parts: list[str], found: dict[str, list[str]], line: CommandLine) -> int:
    """Read the token starting at `i` into `parts` (text) or `found` (operators); where the next one
    starts. `line`: whether a `-word` here is a command's option, told of every token read."""
    ch = query[i]
    if ch in _OPEN and (phrase := _quoted(query, i + 1)) is not None:
        words, end = phrase
        if _has_word(words):
            found["phrases"].append(words)
            parts.append(words)
        line.text(query[i:end])
        return end
    if ch == "-" and query[i + 1 : i + 2] in tuple(_OPEN) and (phrase := _quoted(query, i + 2)) is not None:
        if _has_word(phrase[0]):
            found["excluded"].append(phrase[0])
        line.operator()
        return phrase[1]
    if (m := _EXCLUDE_RE.match(query, i)) and line.option_here:
        parts.append(m.group())
        line.text(m.group(), option=True)
        return m.end()
    if m:
        found["excluded"].append(m.group(1))
        line.operator()
        return m.end()
    if m := _PREFIX_RE.match(query, i):
        found["prefixes"].append(m.group(1))
        parts.append(m.group(1))
        line.text(m.group())
        return m.end()
    if (end := _filter(query, i, found)) is not None:
        line.operator()
        return end
    word, end = _plain_token(query, i)
    parts.append(word)
    line.text(word)
    return end


def _filter(query: str, i: int, found: dict[str, list[str]]) -> int | None:
    """A `type:`, `in:`, `from:` or `subject:` at `i` read into `found`; where the next token starts, or
    None if it is none."""
    if m := _TYPE_RE.match(query, i):
        found["exts"].extend(e.lstrip(".").lower() for e in m.group(1).split(","))
        return m.end()
    key = "folders" if (m := _IN_RE.match(query, i)) else None
    if key is None and (m := _MAIL_RE.match(query, i)):
        key = "senders" if m.group(1).lower() == "from" else "subjects"
    if m is not None and key is not None:
        start = m.end()
        value = _quoted(query, start + 1) if query[start] in _OPEN else _plain_token(query, start)
        if value is not None and value[0]:  # an unclosed in:"... is text
            found[key].append(value[0])
            return value[1]
    return None


def _quoted(query: str, start: int) -> tuple[str, int] | None:
    """(the words up to the closing quote, where the text after it starts); None when it is never closed."""
    for j in range(start, len(query)):
        if query[j] in _CLOSE:
            # A star glued to the closing quote ("ab"*) goes with it: the phrase is looked for whole,
            # and a bare `*` would only be embedded as a word of its own.
            end = j + 1
            while query[end : end + 1] == "*":
                end += 1
            return " ".join(query[start:j].split()), end
    return None


def _plain_token(query: str, start: int) -> tuple[str, int]:
    m = _TOKEN_RE.match(query, start)
    return (m.group(), m.end()) if m else ("", start)


def _has_word(text: str) -> bool:
    """Whether FTS5 sees a word in `text` (a phrase of punctuation alone would match no passage)."""
    return any(p != "_" for p in FTS_PIECE_RE.findall(text))


# -- what the operators do to a search ---------------------------------------------------------------


def narrowed(
    parsed: ParsedQuery,
    filters: Filters | None,
    indexed: Callable[[], Sequence[Folder]],
    types: Callable[[], Sequence[str]] | None = None,
) -> Filters | None:
    """The caller's filters and the query's, both holding; None when there is nothing to search for
    (no words) or no file can meet both (two types that differ, two folders apart). `indexed()`: the
    indexed folders, which an `in:` names by their own name or by a path (UnknownFolderError when it
    names none); `types()`: the index's file types, none of which a `type:` may miss (UnknownTypeError,
    as the type filter raises: core/library.py, check_filters)."""
    base = filters or Filters()
    if not parsed.text:
        return None
    if parsed.plain:
        return base
    if parsed.exts and types is not None:
        UnknownTypeError.check(parsed.exts, types())
    folder = base.folder
    for name in parsed.folders:
        folder = _inner(folder, _folder_of(name, tuple(f.path for f in indexed())))
        if folder is None:
            return None
    exts = base.exts
    if parsed.exts:
        asked = tuple(e.lower().lstrip(".") for e in base.exts)
        exts = tuple(e for e in parsed.exts if not asked or e in asked)
        if not exts:
            return None
    return replace(
        base,
        folder=folder,
        exts=exts,
        phrases=(*base.phrases, *parsed.phrases),
        excluded=(*base.excluded, *parsed.excluded),
        # The last one typed counts (a message has one sender and one subject).
        sender=parsed.senders[-1] if parsed.senders else base.sender,
        subject=parsed.subjects[-1] if parsed.subjects else base.subject,
    )


def _folder_of(name: str, indexed: tuple[str, ...]) -> str:
    """The folder an `in:` names: an indexed folder by its own name (any case; the shortest path of
    namesakes), a path starting with that name (in:work/2024), a folder that is there inside an
    indexed one, or an absolute path (or from the home folder) in or around an indexed folder."""
    head, _, rest = name.replace("\\", "/").partition("/")
    by_name = sorted((f for f in indexed if os.path.basename(f.rstrip(os.sep)).casefold() == head.casefold()), key=len)
    if by_name:
        return os.path.normpath(os.path.join(by_name[0], rest)) if rest else by_name[0]
    expanded = os.path.expanduser(name)
    if os.path.isabs(expanded):
        full = os.path.abspath(expanded)
        if any(_inner(full, f) is not None for f in indexed):
            return full
    else:
        inside = [os.path.join(f, name) for f in indexed if os.path.isdir(os.path.join(f, name))]
        if inside:
            return os.path.abspath(inside[0])
    raise UnknownFolderError(
        f"'in:{name}' names no indexed folder (indexed: {', '.join(indexed) or 'none'})", name, indexed
    )


def _inner(a: str | None, b: str) -> str | None:
    """The deeper of two folders when one holds the other (both filters hold there); None when apart."""
    if a is None:
        return b
    pa, pb = os.path.abspath(a).rstrip(os.sep), b.rstrip(os.sep)
    if pb == pa or pb.startswith(pa + os.sep):
        return pb
    return pa if pa.startswith(pb + os.sep) else None


def marked(hits: Sequence[Hit], parsed: ParsedQuery, highlight: bool = True) -> list[Hit]:
    """`hits` with each phrase marked whole and the words a prefix matched, beside the query's words."""
    if not highlight or not (parsed.phrases or parsed.prefixes):
        return list(hits)
    return [replace(h, term_spans=syntax_spans(h.text, parsed, h.term_spans)) for h in hits]


def syntax_spans(text: str, parsed: ParsedQuery, spans: Sequence[Span] = ()) -> tuple[Span, ...]:
    """`spans` plus the phrases' and prefixes' occurrences in `text`, sorted, overlaps joined. Words
    are FTS5's pieces (unicode61 splits at punctuation) compared by stem, as its porter tokenizer does."""
    pieces = [(m.start(), m.end(), m.group().lower()) for m in FTS_PIECE_RE.finditer(text) if m.group() != "_"]
    stems = [stem(p) for _, _, p in pieces]
    found = list(spans)
    for phrase in parsed.phrases:
        want = [stem(p) for p in FTS_PIECE_RE.findall(phrase) if p != "_"]
        if want and not has_cjk(phrase):
            for i in range(len(stems) - len(want) + 1):
                if stems[i : i + len(want)] == want:
                    found.append((pieces[i][0], pieces[i + len(want) - 1][1]))
    for prefix in parsed.prefixes:
        *head, last = [p.lower() for p in FTS_PIECE_RE.findall(prefix) if p != "_"] or [""]
        root, k = stem(last), len(head)
        for i in range(k, len(pieces)):
            word, st = pieces[i][2], stems[i]
            if last and (word.startswith(last) or st.startswith(root)) and [p for _, _, p in pieces[i - k : i]] == head:
                found.append((pieces[i - k][0], pieces[i][1]))
    return _joined(found)


def _joined(spans: Sequence[Span]) -> tuple[Span, ...]:
    out: list[Span] = []
    for s, e in sorted(set(spans)):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return tuple(out)

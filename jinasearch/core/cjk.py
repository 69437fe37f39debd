"""Chinese, Japanese and Korean text for keyword search: overlapping bigrams for FTS5, and their queries.

FTS5's unicode61 tokenizer ends a token only at a space or punctuation mark (SQLite's "FTS5", section
"Unicode61 Tokenizer"), so a run of Han, kana or hangul is one token and no word inside it can be
found. Each passage therefore gets a second pair of FTS5 columns holding its CJK runs as overlapping
character bigrams (数据库 -> 数据 据库 库) and the query does the same: a CJK word of two or more
characters is the phrase of its bigrams (consecutive bigrams are exactly a substring), one character is a
prefix query over the bigrams. English text gets empty columns, so its tokens, stems and BM25 scores are
unchanged. docs/benchmarks.md, "Search speed", has the figures against FTS5's trigram tokenizer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from .language import FTS_PIECE_RE

# Han (with extensions A and B-F, compatibility ideographs, the iteration mark 々), kana (with the
# prolonged sound mark, small and half-width forms) and hangul (syllables and jamo).
CJK_CHARS = (
    "\u3005\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\U00020000-\U0002fa1f"
)
_CJK_RE = re.compile(f"[{CJK_CHARS}]")
_SEGMENT_RE = re.compile(f"([{CJK_CHARS}]+)|([^{CJK_CHARS}]+)")
# The FTS5 columns that hold the bigrams of the text and of the context column.
COLUMNS = "{cjk cjk_context}"


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def segments(token: str) -> Iterator[tuple[str, bool]]:
    """(segment, is CJK) for the script runs of one unicode61 token ("SQLite数据库" -> SQLite, 数据库)."""
    for m in _SEGMENT_RE.finditer(token):
        yield m.group(), m.group(1) is not None


def bigrams(run: str) -> list[str]:
    """A CJK run's overlapping bigrams, then its last character alone: so a one-character query
    (a prefix of some bigram or that last character) finds every place the character occurs."""
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def grams(text: str) -> str:
    """The bigram column of `text`: '' without CJK (most passages; one regex search). A token that
    glues other letters to CJK ("用SQLite建立") gives those letters as a word of their own here, which
    unicode61 never saw apart in the text column, so `SQLite` finds it too."""
    if not text or _CJK_RE.search(text) is None:
        return ""
    out: list[str] = []
    for token in FTS_PIECE_RE.findall(text):
        if _CJK_RE.search(token) is None:
            continue
        for seg, cjk in segments(token):
            if cjk:
                out.extend(bigrams(seg))
            else:
                out.append(seg)
    return " ".join(out)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def match(pieces: Sequence[str]) -> str:
    """An FTS5 expression for the pieces of one query word that holds CJK: every script run must be
    there (CJK runs as bigram phrases in the bigram columns, other letters as words in any column)."""
    parts: list[str] = []
    for piece in pieces:
        for seg, cjk in segments(piece):
            if not cjk:
                parts.append(_quoted(seg))
            elif len(seg) == 1:
                # A phrase followed by * is a prefix query (SQLite's "FTS5", section "FTS5 Prefix Queries").
                parts.append(f"{COLUMNS} : {_quoted(seg)} *")
            else:
                parts.append(f"{COLUMNS} : {_quoted(' '.join(bigrams(seg)[:-1]))}")
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


def substring_spans(text: str, word: str) -> list[tuple[int, int]]:
    """Where the CJK runs of a query word occur in `text` (case-insensitively, as FTS5 folds case);
    the other letters of a mixed word are left to word matching."""
    low = text.lower()
    if len(low) != len(text):  # a rare letter whose lower case is longer ('İ'): offsets must hold
        low = text
    spans: list[tuple[int, int]] = []
    for seg, cjk in segments(word.lower()):
        if cjk:
            start = low.find(seg)
            while start >= 0:
                spans.append((start, start + len(seg)))
                start = low.find(seg, start + len(seg))
    return spans


def contains(text: str, word: str) -> bool:
    """Whether every script run of `word` occurs in `text` (lower-cased): the lexical evidence's test
    for a word that unicode61 cannot split out of a CJK run."""
    return all(seg in text for seg, _cjk in segments(word.lower()))

"""Word and sentence boundaries, stemming and stop words: shared by chunking, keyword search and highlights."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

# Letters/digits with inner apostrophes, dots, dashes or underscores kept, so `err_42`, `v2.1` and
# `don't` stay one word: identifiers must survive tokenisation to be found exactly.
WORD_RE = re.compile(r"\w+(?:['’._-]\w+)*", re.UNICODE)
# Pieces FTS5's unicode61 tokenizer would see inside a word (it splits on punctuation).
FTS_PIECE_RE = re.compile(r"[^\W_]+|_", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])|\n\s*\n|\n(?=\s*[-*•#\d])")

_CLOSERS = "\"'”’)]"

STOP_WORDS: frozenset[str] = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
    don't down during each few for from further had hadn't has hasn't have haven't having he he'd he'll
    he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't
    it it's its itself let's me more most mustn't my myself no nor not of off on once only or other
    ought our ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some
    such than that that's the their theirs them themselves then there there's these they they'd
    they'll they're they've this those through to too under until up very was wasn't we we'd we'll
    we're we've were weren't what what's when when's where where's which while who who's whom why
    why's will with won't would wouldn't you you'd you'll you're you've your yours yourself
    yourselves also get got just like many much may might must one shall still us via vs whose
    yet""".split()
)


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) for each word in text."""
    for m in WORD_RE.finditer(text):
        yield m.start(), m.end(), m.group()


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Lower-cased English stem (Snowball), so `running` matches `runs` like FTS5's porter does."""
    return str(_stemmer().stemWord(word.lower()))


def query_terms(query: str) -> list[str]:
    """The meaningful words of a natural-language query: stop words dropped, duplicates removed.
    If every word is a stop word (e.g. "the who"), keep them all rather than search for nothing."""
    all_words = [w for _, _, w in words(query)]
    kept = [w for w in all_words if w.lower() not in STOP_WORDS]
    seen: set[str] = set()
    out: list[str] = []
    for w in kept or all_words:
        key = w.lower()
        if key not in seen:
            seen.add(key)
            out.append(w)
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) with surrounding whitespace trimmed; a heuristic tuned for prose."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        # Closing quotes and brackets after the stop belong to the sentence they close.
        end = m.start()
        while end < m.end() and text[end] in _CLOSERS:
            end += 1
        spans.append((pos, end))
        pos = m.end()
    spans.append((pos, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out

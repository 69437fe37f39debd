"""Prose or data: a cheap verdict on a document's text, so that machine-made files are not embedded by default.

Embedding costs ~30 ms a passage on a laptop CPU; a 20 MB server log is 46,000 passages, an hour of it,
and nobody searches a log by meaning. `classify` reads a bounded sample, never the whole text (a 50 MB
text costs what a 50 kB one does): `SAMPLE_CHARS` in `WINDOWS` windows spread evenly from the first
character to the last, and the beginnings of `HEAD_LINES` lines at each of `HEAD_PROBES` points. It
decides by the file's type first:

- data formats (.log .csv .tsv .jsonl .ndjson, spreadsheets) are data, unless the sample is clearly prose (below): a
  .csv of people's reviews or survey answers, a chat "log", are what people search by meaning.
- written formats (.html .pdf .docx .md .rst .tex .srt, slides, mail, scans ...) are prose: people
  write them to be read, and machine-made text inside one is part of a document. (By content alone two of docs-dev's 760
  documents would be data: SQLite's table of release dates, and its sqlite3_analyzer page, mostly a
  sample report.)
- source code is prose (people search code by meaning; its parallel macro lines read as templates),
  unless its lines are packed: minified JavaScript or CSS, base64 on one line.
- everything else (.txt .json .xml .yaml .sql, unknown types) is judged by content from
  `MIN_CONTENT_CHARS` up; below that, embedding costs a few passages and a few lines' shares say little.

The content signals, each a share in [0, 1] with the mark from which it makes a text data (checked in
this order, the most specific first; docs-dev figures are by content alone, its two tables left out):

- long_lines (>= 0.50): sampled characters in lines of >= 300 characters, under 6% spaces and mostly
  ASCII: minified code has 1-3% spaces, prose ~16%, Chinese or Japanese prose is not ASCII. docs-dev's
  highest 0.44 (a list of file names).
- numbers (>= 0.40): tokens that are numbers, hex, UUIDs, dates, times, IP addresses. Prose holds a few
  per cent, docs-dev's most numeric page 0.21; logs and CSVs 0.1-0.3, a table of measurements ~1.
- line_shape (>= 0.50): lines that begin alike, when the beginning holds a number (numbers as "9",
  words as "a": "9-9-9 9:9:9,9 a [a-a-9"): a log's timestamp on every line; stack traces between them
  do not hide it. Prose lines begin with words; a number ending a word ("sqlite3") is no number here.
  docs-dev's highest 0.65: SQLite's news page, every item dated, and prose (its sentences, 0.89, win).
- table (>= 0.60): lines holding the same count (>= 2) of one delimiter (, ; | tab), quoted strings
  removed first: a CSV's rows, a JSON array one record a line. Prose's commas vary from line to line
  (docs-dev's highest 0.42). Plain-text extraction turns tabs into spaces: a TSV is told by its suffix.
- repetition (>= 0.50): lines whose template (numbers, quoted strings and element text masked) recurs
  >= 5 times with different values: the fields of an XML or pretty-printed JSON dump. Identical lines do
  not count (a page printed twice, a list repeated under several headings). docs-dev's highest 0.42.

Clearly prose (`sentences` >= 0.30) overrides them all: that share of the sample's characters is in
sentence lines (>= 8 tokens, >= 85% of them plain words; or, in scripts without spaces, mostly
letters); that much prose is worth its embedding. Logs with English messages stay well under it: a
timestamp, level, thread and logger cost each line its 85%, and quoted JSON keys are no words. Lines
longer than `_PIECE` are cut at record ends ("}", ">", ";") first, so JSON or XML on one line is judged
by its records. Cost per call: `python benchmarks/datafiles.py DIR --classify`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

TextKind = Literal["prose", "data"]
Reason = Literal["", "suffix", "numbers", "line_shape", "table", "repetition", "long_lines"]

DATA_SUFFIXES = frozenset(".log .csv .tsv .jsonl .ndjson .xlsx .xlsm .ods".split())
WRITTEN_SUFFIXES = frozenset(
    ".html .htm .xhtml .pdf .docx .odt .rtf .epub .md .markdown .rst .adoc .asciidoc .tex .org .srt .vtt "
    ".bib .eml .mbox .mbx .pptx .pptm .odp .otp .ott .png .jpg .jpeg .tif .tiff .webp .heic .heif".split()
)
CODE_SUFFIXES = frozenset(
    ".py .pyi .js .mjs .cjs .jsx .ts .tsx .java .kt .c .h .cc .cpp .hpp .cs .go .rs .rb .php .swift .m "
    ".scala .sh .bash .zsh .ps1 .bat .r .lua .pl .hs .ml .css .scss .less .vue .svelte".split()
)
SAMPLE_CHARS = 16_000
WINDOWS = 8
MIN_CONTENT_CHARS = 4_000
NUMBERS_MIN = 0.40
LINE_SHAPE_MIN = 0.50
TABLE_MIN = 0.60
REPETITION_MIN = 0.50
LONG_LINES_MIN = 0.50
SENTENCES_PROSE = 0.30
SENTENCE_WORDS = 0.85
# Fewer lines or tokens than these say nothing about shapes or shares.
MIN_LINES = 8
MIN_TOKENS = 40

HEAD_PROBES = 64
HEAD_LINES = 3
_HEAD = 24  # characters of a line's beginning read for its shape
_SEEK = 8_000  # how far line_heads looks for a line's end
_PIECE = 400  # longer lines are cut into records for the line signals
_LONG_LINE = 300
_DENSE_SPACES = 0.06
_RECORDS = 5  # a template seen this often, with different values, is a record's field

_EDGES = "\"'`()[]{}<>.,;:!?*"  # stripped from a token's ends before it is judged
# A number may carry separators and a short unit: "2024-03-05T06:00:00.664Z", "10.0.3.17", "8f6d0558-d0ed", "445ms".
_NUMBER = re.compile(
    r"[-+]?(?:0x[0-9a-fA-F]+|[0-9a-fA-F]*[0-9][0-9a-fA-F]*(?:[-.:/_,+T]+[0-9a-fA-F]+)*)(?:%|[a-zA-Z]{1,3})?"
)
# Values inside records: quoted strings and an element's text (removed), then numbers (as "0").
_STRINGS = re.compile(r'"[^"\n]{0,200}"|>[^<>\n]{1,200}<')
_DIGITS = re.compile(r"[0-9]+")
# A whole run of digits, unless it ends a word ("sqlite3", "utf8"); "05T06" and "445ms" are numbers.
_NUMBER_RUN = re.compile(r"(?<![0-9])(?<![A-Za-z]{2})[0-9]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_RECORD_END = re.compile(r"(?<=[}>;])")


@dataclass(frozen=True)
class KindVerdict:
    """The kind, the deciding signal (`reason`: "" for prose) and every share measured (module docstring),
    so status and debugging can show why; all zero for a text too short to measure."""

    kind: TextKind
    reason: Reason
    numbers: float = 0.0
    line_shape: float = 0.0
    table: float = 0.0
    repetition: float = 0.0
    long_lines: float = 0.0
    sentences: float = 0.0


def classify(suffix: str, text: str) -> KindVerdict:
    """Prose or data, from the file's lower-case suffix (with the dot) and its extracted text, read in a
    bounded sample whatever its length (module docstring)."""
    v = measure(text)
    reason = decide(suffix, v, len(text))
    return v if reason == "" else KindVerdict("data", reason, *_shares(v))


def measure(text: str) -> KindVerdict:
    """Every signal on a sample of `text` (kind left at "prose")."""
    lines = sample_lines(text)
    pieces = [p for line in lines for p in _pieces(line)]
    bare = _STRINGS.sub("", "\n".join(pieces)).split("\n")  # a line a piece: no pattern crosses a line end
    numbers, sentences = _tokens(pieces)
    return KindVerdict(
        kind="prose",
        reason="",
        numbers=numbers,
        line_shape=_line_shape(line_heads(text) if len(text) > SAMPLE_CHARS else [s[:_HEAD] for s in pieces]),
        table=_table(bare),
        repetition=_repetition(pieces, bare),
        long_lines=_long_lines(lines),
        sentences=sentences,
    )


def decide(suffix: str, v: KindVerdict, length: int) -> Reason:
    """The deciding signal for a file of this suffix and text length, or "" for prose (module docstring)."""
    if v.sentences >= SENTENCES_PROSE or suffix in WRITTEN_SUFFIXES:
        return ""
    if suffix in DATA_SUFFIXES:
        return "suffix"
    if suffix in CODE_SUFFIXES:
        return "long_lines" if v.long_lines >= LONG_LINES_MIN else ""
    if length < MIN_CONTENT_CHARS:
        return ""
    marks: tuple[tuple[Reason, float, float], ...] = (
        ("long_lines", v.long_lines, LONG_LINES_MIN),
        ("numbers", v.numbers, NUMBERS_MIN),
        ("line_shape", v.line_shape, LINE_SHAPE_MIN),
        ("table", v.table, TABLE_MIN),
        ("repetition", v.repetition, REPETITION_MIN),
    )
    return next((name for name, value, mark in marks if value >= mark), "")


def _shares(v: KindVerdict) -> tuple[float, ...]:
    return (v.numbers, v.line_shape, v.table, v.repetition, v.long_lines, v.sentences)


def sample_lines(text: str) -> list[str]:
    """The non-blank lines of at most `SAMPLE_CHARS` of `text`, in `WINDOWS` windows spread from its
    start to its end; a window inside a line longer than itself is one line."""
    if len(text) <= SAMPLE_CHARS:
        return [s for s in (x.strip() for x in text.split("\n")) if s]
    size = SAMPLE_CHARS // WINDOWS
    step = (len(text) - size) / (WINDOWS - 1)
    lines: list[str] = []
    for i in range(WINDOWS):
        start = round(i * step)
        parts = text[start : start + size].split("\n")
        if len(parts) < 3:
            lines.append(text[start : start + size].strip())
            continue
        # The first and last parts are cut lines, unless the window begins or ends the text.
        head = 0 if start == 0 or text[start - 1] == "\n" else 1
        tail = len(parts) if start + size >= len(text) else len(parts) - 1
        lines.extend(s for s in (x.strip() for x in parts[head:tail]) if s)
    return lines


def _pieces(line: str) -> list[str]:
    """A line, or a very long one cut after each "}", ">" or ";" into records of >= 40 characters."""
    if len(line) <= _PIECE:
        return [line]
    out: list[str] = []
    buf = ""
    for part in _RECORD_END.split(line):
        buf += part
        if len(buf) >= 40:
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def _tokens(lines: list[str]) -> tuple[float, float]:
    """(the share of tokens that are numbers, the share of characters in sentence lines: >= 8 tokens,
    >= `SENTENCE_WORDS` of them plain words). One loop over str methods: regular expressions over the
    whole sample cost several times more."""
    tokens = numbers = in_sentences = 0
    number = _NUMBER.fullmatch
    for line in lines:
        words = 0
        parts = line.split()
        for token in parts:
            core = token.strip(_EDGES)
            if token[0] == '"' and token.rstrip(",:;]}").endswith('"') and len(token) > 2:
                continue  # a quoted key or value ("level":, "info",): a record's field, not a sentence's word
            if core.isalpha():
                words += 1
            elif core and number(core):
                numbers += 1
            elif ("-" in core or "'" in core) and core.replace("-", "").replace("'", "").isalpha():
                words += 1
        tokens += len(parts)
        if len(parts) >= 8 and words >= SENTENCE_WORDS * len(parts) or _unspaced_sentence(line, len(parts)):
            in_sentences += len(line)
    chars = sum(len(s) for s in lines)
    return (numbers / tokens if tokens >= MIN_TOKENS else 0.0), (in_sentences / chars if chars else 0.0)


def _unspaced_sentence(line: str, tokens: int) -> bool:
    """A sentence of a script written without spaces between words (Chinese, Japanese, Thai): a line of
    few tokens that is mostly letters, not ASCII."""
    if tokens >= 8 or len(line) < 20 or line.isascii():
        return False
    return len(_NOT_LETTERS.sub("", line)) >= SENTENCE_WORDS * len(line)


def line_heads(text: str) -> list[str]:
    """The first characters of `HEAD_LINES` lines after each of `HEAD_PROBES` points spread over `text`:
    line beginnings cost little to read, so the shape signal sees far more of a long text than the sample."""
    heads: list[str] = []
    step = len(text) / HEAD_PROBES
    for i in range(HEAD_PROBES):
        pos = text.find("\n", int(i * step), int(i * step) + _SEEK)
        for _ in range(HEAD_LINES if pos >= 0 else 0):
            head = text[pos + 1 : pos + 1 + _HEAD].split("\n", 1)[0].strip()
            if head:
                heads.append(head)
            pos = text.find("\n", pos + 1, pos + 1 + _SEEK)
            if pos < 0:
                break
    return heads


def _line_shape(heads: list[str]) -> float:
    """The share of lines that begin with the commonest beginning that holds a number."""
    if len(heads) < MIN_LINES:
        return 0.0
    shapes = Counter(s[:12] for s in _LETTERS.sub("a", _NUMBER_RUN.sub("9", "\n".join(heads))).split("\n"))
    return max((n for shape, n in shapes.items() if "9" in shape), default=0) / len(heads)


def _table(bare: list[str]) -> float:
    if len(bare) < MIN_LINES:
        return 0.0
    best = 0
    for delim in ",;|\t":
        counts = Counter(s.count(delim) for s in bare)
        best = max([best, *(n for c, n in counts.items() if c >= 2)])
    return best / len(bare)


def _repetition(lines: list[str], bare: list[str]) -> float:
    if len(lines) < MIN_LINES:
        return 0.0
    templates = _DIGITS.sub("0", "\n".join(bare)).split("\n")
    counts = Counter(templates)
    variants: dict[str, set[str]] = {}
    for template, line in zip(templates, lines):
        if counts[template] >= _RECORDS:
            variants.setdefault(template, set()).add(line)
    return sum(counts[t] for t, v in variants.items() if len(v) > 1) / len(lines)


def _long_lines(lines: list[str]) -> float:
    total = sum(len(s) for s in lines)
    dense = sum(len(s) for s in lines if len(s) >= _LONG_LINE and _dense(s))
    return dense / total if total else 0.0


def _dense(s: str) -> bool:
    """Packed by a machine: few spaces, and mostly ASCII (scripts without spaces between words are prose)."""
    return s.count(" ") < _DENSE_SPACES * len(s) and len(s.encode("ascii", "ignore")) > 0.9 * len(s)

"""What the command line prints: the progress bar while indexing, hits as text or JSON, what was skipped."""

from __future__ import annotations

import base64
import json
import os
import sys
from collections.abc import Sequence

from .core.config import DEFAULT_EXCLUDE_RULES, SKIP_REASONS
from .core.context import breadcrumb
from .core.models import Hit
from .core.run_records import Progress, Skipped
from .core.scan import fs_path


class ProgressBar:
    """A tqdm bar on stderr for the reading and the embedding phases (nothing when not a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()

    def show(self, prog: Progress) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        if prog.phase == "extract":
            self._ensure(tqdm, "OCR of scanned pages" if prog.task == "ocr" else "reading", prog.files_total, "files")
            self.bar.n = prog.files_done
            self.bar.set_postfix_str(_short_path(prog.current), refresh=False)
            self.bar.refresh()
        elif prog.phase == "embed":
            self._ensure(tqdm, "embedding", prog.passages_total, "passages")
            self.bar.n = prog.passages_done
            self.bar.refresh()

    def _ensure(self, tqdm, desc: str, total: int, unit: str) -> None:  # type: ignore[no-untyped-def]
        if self.bar is None or self.bar.desc != desc:
            if self.bar is not None:
                self.bar.close()
            self.bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True)


def _short_path(path: str, width: int = 40) -> str:
    return path if len(path) <= width else "…" + path[-(width - 1) :]


def shown_path(record: str) -> str:
    """A record's path as text a person reads: each byte of the name that is not UTF-8 shown as U+FFFD."""
    return os.fsencode(fs_path(record)).decode("utf-8", "replace")


def path_json(record: str) -> dict[str, str]:
    """`path` to read and `path_bytes` to open: the name's exact bytes (os.fsencode), base64.

    JSON text cannot hold a name that is not valid UTF-8 (Python sees its stray bytes as lone
    surrogates; records move them to private-use characters, see core/scan.py), and no script could
    open either form. `open(base64.b64decode(path_bytes))` opens the file on every OS."""
    raw = os.fsencode(fs_path(record))
    return {"path": shown_path(record), "path_bytes": base64.b64encode(raw).decode("ascii")}


def hit_json(h: Hit) -> dict[str, object]:
    """Exactly the fields the command line promises (README.md, "Command line"), nothing more."""
    return {
        **path_json(h.path),
        "page": h.page,
        "unit": h.unit,
        "title": h.title,
        "section": h.section,
        "score": round(h.score, 6),
        "text": h.text,
        "char_start": h.char_start,
        "char_end": h.char_end,
        "sources": list(h.sources),
        "highlights": [list(s) for s in h.highlights],
        "also_in": [path_json(p) for p in h.also_in],
    }


def print_answer(query: str, hits: Sequence[Hit], by_words_only: object, *, as_json: bool, many: bool) -> None:
    """One query's answer as `search` prints it, whoever searched (here, or the running app: cli_ask.py).
    `by_words_only`: why the search went by words alone (a served model's server failed), or None."""
    if by_words_only is not None:
        print(f"jinasearch: by words only: {by_words_only}", file=sys.stderr)
    if not hits:
        # Nothing close in meaning and no passage with the query's words: an answer, not an error.
        print(f"jinasearch: no close matches for {query!r}", file=sys.stderr)
    if as_json:
        print(json.dumps([hit_json(h) for h in hits], ensure_ascii=False))
    else:
        print_hits(query, hits, many=many)


def print_lacking(lacking: Sequence[str]) -> None:
    """The asked file types the index has none of (core/library.py: check_filters), said once."""
    if lacking:
        print(f"jinasearch: the index has no {' or '.join(lacking)} files; searching the others", file=sys.stderr)


def print_hits(query: str, hits: Sequence[Hit], *, many: bool) -> None:
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    if many:
        print(f"# {query}")
    if not hits:
        print("no results")
    for rank, h in enumerate(hits, 1):
        path = shown_path(h.path)
        print(
            f"{rank:>2}. {breadcrumb(path, h.title, h.section, h.page, h.unit)}  [{'+'.join(h.sources)} {h.score:.3f}]"
        )
        print(f"    {path}")
        if h.also_in:
            print(f"    also in: {', '.join(shown_path(p) for p in h.also_in)}")
        print("    " + _marked(h, color).replace("\n", " ")[:600])


def _marked(h: Hit, color: bool) -> str:
    """The passage with query words bold (or *starred* without a terminal)."""
    out, pos = [], 0
    for s, e in sorted(h.term_spans):
        if s < pos:
            continue
        out.append(h.text[pos:s])
        out.append(f"\033[1;33m{h.text[s:e]}\033[0m" if color else f"*{h.text[s:e]}*")
        pos = e
    out.append(h.text[pos:])
    return "".join(out)


def print_skipped(skipped: Sequence[Skipped]) -> None:
    """Status's list of what the built-in rules left out, each with its rule, and how to include it."""
    if not skipped:
        return
    ruled = [s for s in skipped if s.rule in DEFAULT_EXCLUDE_RULES]
    if ruled:
        print("skipped by built-in rules (include them with: jinasearch index FOLDER --no-default-excludes):")
        for s in ruled:
            print(f"  {shown_path(s.path)}: {s.rule}")
    empty = [s for s in skipped if s.rule not in DEFAULT_EXCLUDE_RULES]
    if empty:
        print("skipped, nothing to index:")
        for s in empty:
            print(f"  {shown_path(s.path)}: {SKIP_REASONS.get(s.rule, s.rule)}")

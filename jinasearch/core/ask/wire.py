"""What the command line and the running app say to each other: typed records, as JSON bytes (never pickle).

A pickle from the socket would run whatever code its sender chose; JSON only ever makes plain values,
and each record is rebuilt field by field from them, so a malformed message is a `WireError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, get_args

from ..models import MODES, Evidence, Filters, Hit, Mode

# Bumped when a record changes shape: an app and a command line of two versions refuse each other
# (Refused "version") and the command line searches itself.
VERSION = 3

# Why the app would not answer; the command line then searches itself, as it would without the app:
# "other-index"    - the app serves another data directory;
# "other-model"    - --model names another model than the one the app searches with;
# "other-settings" - another embedding server (or API) than the app's;
# "not-ready"      - the app's model is not loaded (yet), so its answer would be by words alone;
# "busy"           - the app did not get to the question in time;
# "closing"        - the app is quitting;
# "bad-request"    - the message was not a request this app understands;
# "version"        - the command line is of another jinasearch version;
# "failed"         - the app's search failed in a way that is not the person's to fix.
RefuseReason = Literal[
    "other-index",
    "other-model",
    "other-settings",
    "not-ready",
    "busy",
    "closing",
    "bad-request",
    "version",
    "failed",
]
REFUSE_REASONS: tuple[RefuseReason, ...] = get_args(RefuseReason)


class WireError(ValueError):
    """A message that is not one of the records below (bad JSON, a field missing or of the wrong type)."""


@dataclass(frozen=True)
class SearchRequest:
    """One query, with everything that decides its answer: the index, the model and where it runs, the filters."""

    data_dir: str
    query: str
    k: int = 10
    per_file: int = 1
    mode: Mode = "hybrid"
    filters: Filters | None = None
    model: str | None = None  # --model as given (None: the index's own)
    server: str | None = None
    api: str | None = None
    # Each hit's best sentence (a model call over the hits' sentences, core/search.py): only the JSON
    # output shows it, so the command line asks for it only with --json.
    sentences: bool = True


@dataclass(frozen=True)
class Found:
    """The app's answer, as a search on the command line would have made it."""

    hits: tuple[Hit, ...]
    # Asked file types the index has none of (the search went on with the others).
    lacking: tuple[str, ...] = ()
    # Why the search went by words alone (a served model's server failed), in words to show; None: it did not.
    by_words_only: str | None = None


@dataclass(frozen=True)
class Refused:
    """The app would not answer this request; the command line searches itself."""

    reason: RefuseReason


@dataclass(frozen=True)
class Failed:
    """The search raised an error a person can act on (a JinaSearchError): said as the command line says its own."""

    message: str


Reply = Found | Refused | Failed


# -- encoding ----------------------------------------------------------------------------------------


def encode(record: SearchRequest | Reply) -> bytes:
    if isinstance(record, SearchRequest):
        body: dict[str, Any] = {
            "type": "search",
            **{
                k: getattr(record, k)
                for k in ("data_dir", "query", "k", "per_file", "mode", "model", "server", "api", "sentences")
            },
            "filters": _filters_out(record.filters),
        }
    elif isinstance(record, Found):
        body = {
            "type": "found",
            "hits": [_hit_out(h) for h in record.hits],
            "lacking": list(record.lacking),
            "by_words_only": record.by_words_only,
        }
    elif isinstance(record, Refused):
        body = {"type": "refused", "reason": record.reason}
    else:
        body = {"type": "failed", "message": record.message}
    # ensure_ascii: a path's lone surrogates (a name that is not UTF-8) travel as escapes and come back whole.
    return json.dumps({"v": VERSION, **body}, ensure_ascii=True).encode("ascii")


def decode(data: bytes) -> SearchRequest | Reply:
    """The record in `data`; WireError when it is none. A request of another version decodes to
    Refused("version"), so the server can say so instead of guessing at its fields."""
    try:
        body = json.loads(data.decode("utf-8"))
        if not isinstance(body, dict):
            raise WireError("not a JSON object")
        if body.get("v") != VERSION:
            return Refused("version")
        kind = body.get("type")
        if kind == "search":
            return _request_in(body)
        if kind == "found":
            return Found(
                tuple(_hit_in(h) for h in _list(body, "hits")),
                tuple(_str(x) for x in _list(body, "lacking")),
                _opt(body, "by_words_only", str),
            )
        if kind == "refused":
            reason = body.get("reason")
            if reason not in REFUSE_REASONS:
                raise WireError(f"unknown reason {reason!r}")
            return Refused(reason)
        if kind == "failed":
            return Failed(_str(body.get("message")))
        raise WireError(f"unknown message type {kind!r}")
    except (UnicodeDecodeError, json.JSONDecodeError, TypeError, KeyError) as exc:
        raise WireError(str(exc)) from None


def _request_in(body: dict[str, Any]) -> SearchRequest:
    mode = body.get("mode")
    if mode not in MODES:
        raise WireError(f"unknown mode {mode!r}")
    k, per_file = _int(body.get("k")), _int(body.get("per_file"))
    if k < 1 or per_file < 1:
        raise WireError("k and per_file must be positive")
    return SearchRequest(
        data_dir=_str(body.get("data_dir")),
        query=_str(body.get("query")),
        k=k,
        per_file=per_file,
        mode=mode,
        filters=_filters_in(body.get("filters")),
        model=_opt(body, "model", str),
        server=_opt(body, "server", str),
        api=_opt(body, "api", str),
        sentences=_bool(body.get("sentences")),
    )


def _filters_out(f: Filters | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        "folder": f.folder,
        "exts": list(f.exts),
        "after": f.modified_after,
        "before": f.modified_before,
        "sender": f.sender,
        "subject": f.subject,
    }


def _filters_in(raw: object) -> Filters | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise WireError("filters must be an object")
    return Filters(
        folder=_opt(raw, "folder", str),
        exts=tuple(_str(e) for e in _list(raw, "exts")),
        modified_after=_opt(raw, "after", float),
        modified_before=_opt(raw, "before", float),
        sender=_opt(raw, "sender", str),
        subject=_opt(raw, "subject", str),
    )


def _hit_out(h: Hit) -> dict[str, Any]:
    ev = h.evidence
    return {
        "passage_id": h.passage_id,
        "doc_id": h.doc_id,
        "path": h.path,
        "page": h.page,
        "score": h.score,
        "text": h.text,
        "char_start": h.char_start,
        "char_end": h.char_end,
        "sources": list(h.sources),
        "term_spans": [list(s) for s in h.term_spans],
        "sentence_span": list(h.sentence_span) if h.sentence_span is not None else None,
        "mtime": h.mtime,
        "title": h.title,
        "section": h.section,
        "close": h.close,
        "evidence": [ev.cosine, ev.words, ev.handles] if ev is not None else None,
        "also_in": list(h.also_in),
        "unit": h.unit,
    }


def _hit_in(raw: object) -> Hit:
    if not isinstance(raw, dict):
        raise WireError("a hit must be an object")
    sources = tuple(_str(s) for s in _list(raw, "sources"))
    if any(s not in ("semantic", "keyword") for s in sources):
        raise WireError(f"unknown source in {sources!r}")
    sentence = raw.get("sentence_span")
    ev = raw.get("evidence")
    return Hit(
        passage_id=_int(raw["passage_id"]),
        doc_id=_int(raw["doc_id"]),
        path=_str(raw["path"]),
        page=_opt(raw, "page", int),
        score=_float(raw["score"]),
        text=_str(raw["text"]),
        char_start=_int(raw["char_start"]),
        char_end=_int(raw["char_end"]),
        sources=sources,  # type: ignore[arg-type]  # checked just above
        term_spans=tuple(_span(s) for s in _list(raw, "term_spans")),
        sentence_span=_span(sentence) if sentence is not None else None,
        mtime=_float(raw.get("mtime", 0.0)),
        title=_str(raw.get("title", "")),
        section=_str(raw.get("section", "")),
        close=bool(raw.get("close", True)),
        evidence=Evidence(_opt_float(ev[0]), _float(ev[1]), _float(ev[2])) if isinstance(ev, list) else None,
        also_in=tuple(_str(p) for p in _list(raw, "also_in")),
        unit=_str(raw.get("unit", "page")),
    )


# -- field checks: a wrong type is a WireError, never a record holding it ---------------------------------


def _str(x: object) -> str:
    if not isinstance(x, str):
        raise WireError(f"expected text, got {type(x).__name__}")
    return x


def _bool(x: object) -> bool:
    if not isinstance(x, bool):
        raise WireError(f"expected true or false, got {type(x).__name__}")
    return x


def _int(x: object) -> int:
    if isinstance(x, bool) or not isinstance(x, int):
        raise WireError(f"expected a whole number, got {type(x).__name__}")
    return x


def _float(x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise WireError(f"expected a number, got {type(x).__name__}")
    return float(x)


def _opt_float(x: object) -> float | None:
    return None if x is None else _float(x)


def _opt(body: dict[str, Any], key: str, kind: type) -> Any:
    x = body.get(key)
    if x is None:
        return None
    return {str: _str, int: _int, float: _float}[kind](x)


def _list(body: dict[str, Any], key: str) -> list[Any]:
    x = body.get(key, [])
    if not isinstance(x, list):
        raise WireError(f"{key} must be a list")
    return x


def _span(x: object) -> tuple[int, int]:
    if not isinstance(x, list) or len(x) != 2:
        raise WireError("a span is [start, end]")
    return _int(x[0]), _int(x[1])

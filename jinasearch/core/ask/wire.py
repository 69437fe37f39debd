"""What the command line and the running app say to each other: typed records, as JSON bytes (never pickle).

A pickle from the socket would run whatever code its sender chose; JSON only ever makes plain values,
and each record is rebuilt field by field from them (fields.py), so a malformed message is a `WireError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, get_args

from ..models import MODES, Evidence, Filters, Hit, Mode, Unit
from .fields import WireError, as_bool, as_float, as_int, as_opt_float, as_span, as_str, list_at, optional

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
UNITS: tuple[Unit, ...] = get_args(Unit)


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
                tuple(_hit_in(h) for h in list_at(body, "hits")),
                tuple(as_str(x) for x in list_at(body, "lacking")),
                optional(body, "by_words_only", str),
            )
        if kind == "refused":
            reason = body.get("reason")
            if reason not in REFUSE_REASONS:
                raise WireError(f"unknown reason {reason!r}")
            return Refused(reason)
        if kind == "failed":
            return Failed(as_str(body.get("message")))
        raise WireError(f"unknown message type {kind!r}")
    except (UnicodeDecodeError, json.JSONDecodeError, TypeError, KeyError) as exc:
        raise WireError(str(exc)) from None


def _request_in(body: dict[str, Any]) -> SearchRequest:
    mode = body.get("mode")
    if mode not in MODES:
        raise WireError(f"unknown mode {mode!r}")
    k, per_file = as_int(body.get("k")), as_int(body.get("per_file"))
    if k < 1 or per_file < 1:
        raise WireError("k and per_file must be positive")
    return SearchRequest(
        data_dir=as_str(body.get("data_dir")),
        query=as_str(body.get("query")),
        k=k,
        per_file=per_file,
        mode=mode,
        filters=_filters_in(body.get("filters")),
        model=optional(body, "model", str),
        server=optional(body, "server", str),
        api=optional(body, "api", str),
        sentences=as_bool(body.get("sentences")),
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
        folder=optional(raw, "folder", str),
        exts=tuple(as_str(e) for e in list_at(raw, "exts")),
        modified_after=optional(raw, "after", float),
        modified_before=optional(raw, "before", float),
        sender=optional(raw, "sender", str),
        subject=optional(raw, "subject", str),
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
    sources = tuple(as_str(s) for s in list_at(raw, "sources"))
    if any(s not in ("semantic", "keyword") for s in sources):
        raise WireError(f"unknown source in {sources!r}")
    unit = raw.get("unit", "page")
    if unit not in UNITS:
        raise WireError(f"unknown unit {unit!r}")
    sentence = raw.get("sentence_span")
    ev = raw.get("evidence")
    return Hit(
        passage_id=as_int(raw["passage_id"]),
        doc_id=as_int(raw["doc_id"]),
        path=as_str(raw["path"]),
        page=optional(raw, "page", int),
        score=as_float(raw["score"]),
        text=as_str(raw["text"]),
        char_start=as_int(raw["char_start"]),
        char_end=as_int(raw["char_end"]),
        sources=sources,  # type: ignore[arg-type]  # checked just above
        term_spans=tuple(as_span(s) for s in list_at(raw, "term_spans")),
        sentence_span=as_span(sentence) if sentence is not None else None,
        mtime=as_float(raw.get("mtime", 0.0)),
        title=as_str(raw.get("title", "")),
        section=as_str(raw.get("section", "")),
        close=bool(raw.get("close", True)),
        evidence=Evidence(as_opt_float(ev[0]), as_float(ev[1]), as_float(ev[2])) if isinstance(ev, list) else None,
        also_in=tuple(as_str(p) for p in list_at(raw, "also_in")),
        unit=unit,
    )

"""The messages between the command line and the app: every field survives the trip, nothing else decodes."""

from __future__ import annotations

import dataclasses
import json

import pytest

from jinasearch.core.ask import Failed, Found, Refused, SearchRequest
from jinasearch.core.ask.fields import WireError
from jinasearch.core.ask.wire import REFUSE_REASONS, UNITS, VERSION, _hit_out, decode, encode
from jinasearch.core.models import Filters, Hit
from tests.ask_helpers import sample_hit


def test_a_hit_keeps_every_field() -> None:
    hit = sample_hit()
    assert set(_hit_out(hit)) == {f.name for f in dataclasses.fields(Hit)}  # a new Hit field must travel too
    assert all(getattr(hit, f.name) != f.default for f in dataclasses.fields(Hit))  # so a lost field shows
    found = Found((hit, sample_hit(evidence=None, sentence_span=None, page=None)), ("docx",), "the server is down")
    assert decode(encode(found)) == found


def test_a_request_keeps_every_field() -> None:
    request = SearchRequest(
        data_dir="/home/me/index",
        query="lava «flows»",
        k=3,
        per_file=2,
        mode="semantic",
        filters=Filters(folder="/docs/sub", exts=("pdf", "md"), modified_after=1.5, modified_before=2e9),
        model="/models/minilm",
        server="http://127.0.0.1:11434",
        api="ollama",
        sentences=False,
    )
    assert decode(encode(request)) == request
    assert decode(encode(SearchRequest("/d", "q"))) == SearchRequest("/d", "q")


@pytest.mark.parametrize("reply", [Refused(r) for r in REFUSE_REASONS] + [Failed("the index is empty")])
def test_refusals_and_failures(reply: Refused | Failed) -> None:
    assert decode(encode(reply)) == reply


def test_it_is_json_not_pickle() -> None:
    body = json.loads(encode(SearchRequest("/d", "q")))
    assert body["v"] == VERSION and body["type"] == "search"


@pytest.mark.parametrize(
    "data",
    [
        b"\x80\x04\x95 a pickle",
        b"[1, 2]",
        b'{"v": 1, "type": "launch"}',
        b'{"v": 1, "type": "search", "data_dir": "/d", "query": "q", "k": 0, "per_file": 1, "mode": "hybrid"}',
        b'{"v": 1, "type": "search", "data_dir": "/d", "query": "q", "k": 1, "per_file": 1, "mode": "fuzzy"}',
        b'{"v": 1, "type": "search", "data_dir": 5, "query": "q", "k": 1, "per_file": 1, "mode": "hybrid"}',
        b'{"v": 1, "type": "refused", "reason": "tired"}',
        b'{"v": 1, "type": "found", "hits": [{"passage_id": "7"}]}',
        b'{"v": 1, "type": "search", "data_dir": "/d", "query": "q", "k": 1, "per_file": 1, "mode": "hybrid", '
        b'"sentences": "yes"}',
    ],
)
def test_malformed_messages_are_wire_errors(data: bytes) -> None:
    data = data.replace(b'"v": 1', f'"v": {VERSION}'.encode())  # of this version, or refused before read
    with pytest.raises(WireError):
        decode(data)


def test_another_version_is_refused_not_guessed() -> None:
    assert decode(b'{"v": 99, "type": "search", "anything": 1}') == Refused("version")


def test_a_hit_unit_is_one_the_core_knows() -> None:
    for unit in UNITS:  # each travels as itself
        assert decode(encode(Found((sample_hit(unit=unit),)))) == Found((sample_hit(unit=unit),))
    body = json.loads(encode(Found((sample_hit(),))))
    body["hits"][0]["unit"] = "scroll"
    with pytest.raises(WireError):
        decode(json.dumps(body).encode())

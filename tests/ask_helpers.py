"""Shared by the tests of the command line asking the app: a private runtime folder, and a stand-in app."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest

from jinasearch.core.ask import AskServer, Found, Refused, Reply, SearchRequest, place_for
from jinasearch.core.models import Hit

# The folders private_runtime made, removed when the test session ends (tests/conftest.py).
MADE: list[Path] = []


def private_runtime(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Sockets and keys of this test in a folder of its own, directly in the temp folder: a socket path
    holds ~100 bytes, and pytest's tmp_path can be longer than that."""
    folder = Path(tempfile.mkdtemp(prefix="js-ask-"))
    MADE.append(folder)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    return folder


def remove_runtimes() -> None:
    while MADE:
        shutil.rmtree(MADE.pop(), ignore_errors=True)


def sample_hit(**kw: object) -> Hit:
    """A hit with every field set to something other than its default, so a field lost on the way shows."""
    from jinasearch.core.models import Evidence

    fields: dict[str, object] = {
        "passage_id": 7,
        "doc_id": 3,
        "path": "/docs/n\udcffame \ue0ff.pdf",  # a lone surrogate and a private-use character (core/scan.py)
        "page": 4,
        "score": 0.123456789,
        "text": "Basalt forms when lava cools. «Ünïcode» 火山",
        "char_start": 100,
        "char_end": 140,
        "sources": ("semantic", "keyword"),
        "term_spans": ((0, 6), (18, 22)),
        "sentence_span": (0, 29),
        "mtime": 1700000000.5,
        "title": "Rocks",
        "section": "Igneous > Basalt",
        "close": False,
        "evidence": Evidence(None, 0.5, 0.25),
        "also_in": ("/backup/n\udcffame \ue0ff.pdf", "/old/name.pdf"),
        "unit": "slide",  # not a PDF's: the field travels as given, it is not found again from the path
    }
    fields.update(kw)
    return Hit(**fields)  # type: ignore[arg-type]


class StandIn:
    """A stand-in app: answers every request for its data directory with fixed hits, after `delay_s`."""

    def __init__(
        self, data_dir: Path, hits: tuple[Hit, ...] = (), delay_s: float = 0.0, *, serves: Path | None = None
    ) -> None:
        """`serves`: the index it answers for, when another than the one whose address it listens on."""
        self.data_dir = serves or data_dir
        self.hits = hits
        self.delay_s = delay_s
        self.asked: list[SearchRequest] = []
        self.server = AskServer(place_for(data_dir), self.answer)

    def answer(self, request: SearchRequest) -> Reply:
        self.asked.append(request)
        time.sleep(self.delay_s)
        if Path(request.data_dir).resolve() != self.data_dir.resolve():
            return Refused("other-index")
        return Found(self.hits)

    def __enter__(self) -> StandIn:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

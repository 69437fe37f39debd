"""The app's answer is the command line's answer: a real Searcher over a real MiniLM index, through the socket."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from jinasearch.core.ask import (
    AppClient,
    AppUnavailable,
    AskServer,
    Failed,
    Found,
    SearchRequest,
    answer_search,
    place_for,
)
from jinasearch.core.config import Settings
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.models import Filters
from jinasearch.core.search import Searcher
from tests.ask_helpers import private_runtime
from tests.core.helpers import write

pytestmark = pytest.mark.model

DOCS = {
    "sourdough.txt": "Sourdough baking relies on a starter, a culture of wild yeast kept alive with regular "
    "feedings of flour and water. A hot oven gives the crust its crackle.",
    "kitten.md": "# Kitten care\n\nKittens need vaccinations at eight, twelve and sixteen weeks. Keep the litter "
    "tray clean and book a vet visit around six months.",
    "solar.txt": "Jupiter is the largest planet in the solar system, a gas giant with a storm called the Great "
    "Red Spot. Saturn has bright rings of ice.",
}


@pytest.fixture(scope="module")
def index(minilm, minilm_path: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("ask")
    for name, text in DOCS.items():
        write(tmp / "docs" / name, text)
    settings = Settings(data_dir=tmp / "data", model=minilm_path, chunk_tokens=64, overlap_tokens=8)
    assert run_to_end(Indexer(settings, embedder=minilm).index([tmp / "docs"])).summary.indexed == 3
    return settings, tmp / "docs"


@pytest.fixture
def app(index: tuple[Settings, Path], minilm, monkeypatch: pytest.MonkeyPatch) -> Iterator[Searcher]:  # type: ignore[no-untyped-def]
    """A real searcher with the real model, answering on the socket as the app does."""
    private_runtime(monkeypatch)
    settings = index[0]
    searcher = Searcher(settings, embedder=minilm)
    server = AskServer(place_for(settings.data_dir), lambda request: answer_search(searcher, settings, request))
    server.start()
    yield searcher
    server.stop()
    searcher.close()


def ask(settings: Settings, **kw: object) -> Found | Failed:
    with AppClient(place_for(settings.data_dir)) as client:
        return client.ask(SearchRequest(str(settings.data_dir), **kw))  # type: ignore[arg-type]


def test_the_app_answers_as_a_search_here_would(index: tuple[Settings, Path], app: Searcher, minilm) -> None:  # type: ignore[no-untyped-def]
    settings, docs = index
    here = Searcher(settings, embedder=minilm)
    try:
        for query, mode in [("looking after a young cat", "hybrid"), ("biggest gas giant", "semantic")]:
            reply = ask(settings, query=query, k=2, mode=mode)
            assert isinstance(reply, Found)
            assert reply.hits == tuple(here.search(query, k=2, mode=mode))  # type: ignore[arg-type]
        reply = ask(settings, query="yeast", mode="keyword", filters=Filters(exts=("txt", "pdf")))
        assert isinstance(reply, Found) and reply.lacking == ("pdf",)
        assert [Path(h.path).name for h in reply.hits] == ["sourdough.txt"]
    finally:
        here.close()
    top = ask(settings, query="looking after a young cat").hits[0]  # type: ignore[union-attr]
    assert Path(top.path).name == "kitten.md" and top.sentence_span is not None  # the best sentence, as here
    bare = ask(settings, query="looking after a young cat", sentences=False).hits[0]  # type: ignore[union-attr]
    assert bare.sentence_span is None and bare.passage_id == top.passage_id  # the printed list's request


def test_the_app_refuses_what_it_would_answer_otherwise(index: tuple[Settings, Path], app: Searcher) -> None:
    settings, docs = index
    cases = {
        "other-index": {"data_dir": str(docs)},
        "other-model": {"model": "sentence-transformers/all-mpnet-base-v2"},
        "other-settings": {"server": "http://127.0.0.1:11434"},
    }
    for reason, changed in cases.items():
        request = replace(SearchRequest(str(settings.data_dir), "cat"), **changed)
        with pytest.raises(AppUnavailable) as caught, AppClient(place_for(settings.data_dir)) as client:
            client.ask(request)
        assert (caught.value.reason, caught.value.refused) == ("refused", reason)
    assert isinstance(ask(settings, query="cat", model=settings.model), Found)  # the index's model, named


def test_an_app_whose_model_is_not_in_yet_answers_only_by_words(index: tuple[Settings, Path], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = index[0]
    searcher = Searcher(settings, load_model=False)  # as the app's, while its model loads
    try:
        assert answer_search(searcher, settings, SearchRequest(str(settings.data_dir), "cat")).reason == "not-ready"  # type: ignore[union-attr]
        reply = answer_search(searcher, settings, SearchRequest(str(settings.data_dir), "kittens", mode="keyword"))
        assert isinstance(reply, Found) and Path(reply.hits[0].path).name == "kitten.md"
    finally:
        searcher.close()


def test_an_error_is_said_as_the_command_line_says_it(index: tuple[Settings, Path], app: Searcher) -> None:
    settings = index[0]
    reply = ask(settings, query="cat", filters=Filters(folder="/nowhere/at/all"))
    assert isinstance(reply, Failed) and "/nowhere/at/all is not under any indexed folder" in reply.message

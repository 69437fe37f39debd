"""Query syntax in real searches (MiniLM): phrases, exclusions, prefixes, type: and in:, in every mode;
and a query without operators searched exactly as it was before the syntax existed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jinasearch.core import search as search_module
from jinasearch.core.config import Settings
from jinasearch.core.errors import UnknownFolderError, UnknownTypeError
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.models import MODES, Filters, Hit, Mode
from jinasearch.core.retrieval.query_syntax import ParsedQuery
from jinasearch.core.search import Searcher
from tests.core.docgen import write_pdf
from tests.core.helpers import write

pytestmark = pytest.mark.model

NOTES = {
    "space.txt": "Open the pod bay doors, HAL. The astronaut asked the ship's computer to let him back in, "
    "and the computer refused.",
    "bay.txt": "The doors of the loading bay stood open and an escape pod drifted past the window. Nobody "
    "asked the computer anything that night.",
    "setup.md": "# Setup\n\nEdit the configuration file before you configure the server. Every setting lives "
    "in that one place.",
    "cats.txt": "Jaguars are big cats of the Americas; the jaguar hunts at night in the rainforest.",
    "cars.txt": "Jaguar is a British maker of cars, known for luxury saloons and speed on the open road.",
}
REPORTS_MD = {
    "q3-draft.md": "Draft quarterly report: revenue grew by twelve percent in the third quarter (to be checked).",
}
REPORT_PDF = ["Quarterly report. Revenue grew by twelve percent in the third quarter of the year."]


@pytest.fixture(scope="module")
def corpus(minilm, minilm_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Searcher, Path]]:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("syntax")
    for name, text in NOTES.items():
        write(tmp / "notes" / name, text)
    for name, text in REPORTS_MD.items():
        write(tmp / "reports" / name, text)
    write_pdf(tmp / "reports" / "q3.pdf", REPORT_PDF)
    settings = Settings(data_dir=tmp / "data", model=minilm_path, chunk_tokens=128, overlap_tokens=16)
    summary = run_to_end(Indexer(settings, embedder=minilm).index([tmp / "notes", tmp / "reports"])).summary
    assert summary.indexed == 7 and summary.failed == 0
    s = Searcher(settings, embedder=minilm)
    yield s, tmp
    s.close()


def names(hits: list[Hit]) -> list[str]:
    return [Path(h.path).name for h in hits]


@pytest.mark.parametrize("mode", MODES)
def test_a_phrase_must_occur(corpus: tuple[Searcher, Path], mode: Mode) -> None:
    s, _ = corpus
    loose = s.search("pod bay doors", mode=mode, weak=True)
    assert {"space.txt", "bay.txt"} <= set(names(loose))  # both hold the three words
    hits = s.search('"pod bay doors"', mode=mode, weak=True)
    assert names(hits) == ["space.txt"]
    top = hits[0]
    # The phrase is marked whole, beside its words.
    assert (top.text.index("pod bay doors"), top.text.index("pod bay doors") + len("pod bay doors")) in top.term_spans


@pytest.mark.parametrize("mode", MODES)
def test_an_excluded_word_drops_the_passages_holding_it(corpus: tuple[Searcher, Path], mode: Mode) -> None:
    s, _ = corpus
    assert {"cats.txt", "cars.txt"} <= set(names(s.search("jaguar", mode=mode, weak=True)))
    hits = s.search("jaguar -cars", mode=mode, weak=True)
    assert "cats.txt" in names(hits) and "cars.txt" not in names(hits)
    # As keyword search reads words: the stem, so "car" goes too; an excluded phrase likewise.
    assert "cars.txt" not in names(s.search("jaguar -car", mode=mode, weak=True))
    assert "cars.txt" not in names(s.search('jaguar -"British maker"', mode=mode, weak=True))


def test_a_prefix_finds_the_words_it_starts(corpus: tuple[Searcher, Path]) -> None:
    s, _ = corpus
    assert s.search("config", mode="keyword") == []  # no such word: the star is what finds them
    hits = s.search("config*", mode="keyword")
    assert names(hits) == ["setup.md"]
    marked = {hits[0].text[a:b] for a, b in hits[0].term_spans}
    assert {"configuration", "configure"} <= marked
    top = s.search("config* file", mode="hybrid")[0]
    assert Path(top.path).name == "setup.md" and "configuration" in {top.text[a:b] for a, b in top.term_spans}


@pytest.mark.parametrize("mode", MODES)
def test_type_and_in_restrict_both_retrievers(corpus: tuple[Searcher, Path], mode: Mode) -> None:
    s, tmp = corpus
    assert {"q3.pdf", "q3-draft.md"} <= set(names(s.search("quarterly revenue", mode=mode, weak=True)))
    assert names(s.search("quarterly revenue type:pdf", mode=mode, weak=True)) == ["q3.pdf"]
    hits = names(s.search("quarterly revenue -draft", mode=mode, weak=True))
    assert hits[0] == "q3.pdf" and "q3-draft.md" not in hits
    hits = s.search("computer in:notes", mode=mode, weak=True)
    assert hits and all(Path(h.path).parent == tmp / "notes" for h in hits)
    assert all(Path(h.path).parent == tmp / "reports" for h in s.search("jaguar in:reports", mode=mode, weak=True))
    assert s.search("jaguar in:reports", mode=mode) == []  # nothing there is close


def test_query_filters_join_the_callers(corpus: tuple[Searcher, Path]) -> None:
    s, tmp = corpus
    assert s.search("quarterly revenue type:pdf", filters=Filters(exts=(".md",)), weak=True) == []
    hits = s.search("quarterly revenue type:pdf,md", filters=Filters(exts=(".md",)), weak=True)
    assert names(hits)[0] == "q3-draft.md" and {Path(h.path).suffix for h in hits} == {".md"}
    assert s.search("jaguar in:notes", filters=Filters(folder=str(tmp / "reports")), weak=True) == []


def test_in_naming_no_indexed_folder_is_an_error(corpus: tuple[Searcher, Path]) -> None:
    s, _ = corpus
    with pytest.raises(UnknownFolderError):
        s.search("jaguar in:nowhere")


def test_operators_alone_search_nothing(corpus: tuple[Searcher, Path]) -> None:
    s, _ = corpus
    assert s.search("-draft type:pdf") == []


CJK_NOTES = {
    "db.txt": "数据库是存储数据的系统。Say hello to the database.",
    "data.txt": "hello 数据 analysis: numbers in a table.",
    "hello.txt": "hello world, a plain greeting.",
    # Only its name (the context column) holds the word: a phrase is looked for in the passage's text.
    "数据库笔记.txt": "hello again, notes about tables.",
}


@pytest.fixture(scope="module")
def cjk(minilm, minilm_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("cjk")
    for name, text in CJK_NOTES.items():
        write(tmp / "notes" / name, text)
    settings = Settings(data_dir=tmp / "data", model=minilm_path, chunk_tokens=128, overlap_tokens=16)
    assert run_to_end(Indexer(settings, embedder=minilm).index([tmp / "notes"])).summary.indexed == 4
    s = Searcher(settings, embedder=minilm)
    yield s
    s.close()


@pytest.mark.parametrize("mode", MODES)
def test_cjk_phrases_and_exclusions(cjk: Searcher, mode: Mode) -> None:
    assert names(cjk.search('"数据库"', mode=mode, weak=True)) == ["db.txt"]
    assert set(names(cjk.search('hello "数据"', mode=mode, weak=True))) == {"db.txt", "data.txt"}
    assert set(names(cjk.search("hello -数据库", mode=mode, weak=True))) == {"data.txt", "hello.txt", "数据库笔记.txt"}
    assert set(names(cjk.search('hello -"数据"', mode=mode, weak=True))) == {"hello.txt", "数据库笔记.txt"}


SHELL_NOTES = {
    "find.md": "Use find -name '*.txt' to list files by name; find . -exec runs a command on each one.",
    "ls.md": "ls -lah lists every file, hidden ones too, with sizes in human units.",
    "gcc.md": "gcc -Wall turns on most compiler warnings; add -Wextra for more.",
    "python.txt": "The python is a large snake that squeezes its prey.",
    "adder.txt": "The adder is a small venomous snake of Europe.",
}


@pytest.fixture(scope="module")
def shell(minilm, minilm_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("shell")
    for name, text in SHELL_NOTES.items():
        write(tmp / "notes" / name, text)
    settings = Settings(data_dir=tmp / "data", model=minilm_path, chunk_tokens=128, overlap_tokens=16)
    assert run_to_end(Indexer(settings, embedder=minilm).index([tmp / "notes"])).summary.indexed == 5
    s = Searcher(settings, embedder=minilm)
    yield s
    s.close()


@pytest.mark.parametrize("mode", MODES)
def test_a_commands_options_are_searched_not_excluded(shell: Searcher, mode: Mode) -> None:
    for query, name in (("find -name", "find.md"), ("ls -lah", "ls.md"), ("gcc -Wall", "gcc.md")):
        assert names(shell.search(query, mode=mode, weak=True))[:1] == [name], query
    hits = names(shell.search("snake -python", mode=mode, weak=True))
    assert "adder.txt" in hits and "python.txt" not in hits  # after a word that is no command: excluded


# Natural-language queries, some with what looks like syntax but is not (options, URLs, times, hyphens).
PLAIN = [
    "what did the astronaut ask the computer?",
    "big cats hunting at night",
    "how much did revenue grow",
    "shopt -s globstar",
    "set -e in a script",
    "revenue at 10:30 https://example.com/a-b C:\\reports",
    "e-mail x-ray follow-up",
    "configuration file",
]


def shown(hits: list[Hit]) -> list[tuple[object, ...]]:
    return [(h.passage_id, h.path, h.score, h.term_spans, h.sentence_span, h.close, h.sources) for h in hits]


@pytest.mark.parametrize("mode", MODES)
def test_queries_without_operators_take_the_path_they_took_before(
    corpus: tuple[Searcher, Path], mode: Mode, monkeypatch: pytest.MonkeyPatch
) -> None:
    s, _ = corpus
    with_syntax = [shown(s.search(q, mode=mode, weak=True)) for q in PLAIN]
    assert any(with_syntax)
    # The search as it was before the syntax: the stripped text searched as typed, the filters as given.
    monkeypatch.setattr(search_module, "parse_query", lambda q: ParsedQuery(q.strip(), q.strip()))
    monkeypatch.setattr(
        search_module, "narrowed", lambda p, f, _folders, _types=None: (f or Filters()) if p.text else None
    )
    without = [shown(s.search(q, mode=mode, weak=True)) for q in PLAIN]
    assert with_syntax == without


def test_a_type_the_index_has_no_file_of_is_an_error(corpus) -> None:  # type: ignore[no-untyped-def]
    s, _ = corpus
    with pytest.raises(UnknownTypeError):
        s.search("jaguar type:zzz")

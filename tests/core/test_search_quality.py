"""Search quality with the real MiniLM model: exact identifiers come first in hybrid mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.config import Settings
from jinasearch.core.indexer import Indexer
from jinasearch.core.search import Searcher

pytestmark = pytest.mark.model

DOCS = {
    "config.md": "The loader reads settings from a YAML file. Call load_settings() with a path; it "
    "validates every key and fills defaults for missing ones.",
    "parser.py": 'def parse_config_fragment(text):\n    """Split a configuration fragment into '
    'sections and return them as a dictionary."""\n    return dict(sections(text))',
    "errors.md": "Error E4471 means the configuration file could not be parsed: a section header is "
    "missing its closing bracket. Fix the header and reload.",
    "faq.md": "Configuration problems are the most common support question. Most parse failures come "
    "from tabs mixed with spaces or a missing colon after a key.",
    "notes.txt": "Meeting notes: we discussed how configuration files are parsed and how errors are "
    "reported to the user, and agreed to improve the error messages.",
    # Distractors: about the same things in plain words, closer in meaning to a bare identifier.
    "fragments.md": "Parse config fragment: how to parse a config fragment. Config fragments are parsed "
    "fragment by fragment by the config parser.",
    "codes.md": "E4470, E4472 and E4473 are configuration error codes; E-codes in the 4400 range all "
    "concern configuration loading.",
    "loading.md": "Load settings: loading settings works by loading the settings file; settings load "
    "lazily when first used.",
    "recipes.txt": "Bake the bread at 220 degrees for thirty minutes, then let it cool on a rack.",
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory, minilm, minilm_path: str):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("ident")
    docs = root / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text)
    settings = Settings(data_dir=root / "data", model=minilm_path)
    for _ in Indexer(settings, embedder=minilm).index([docs]):
        pass
    s = Searcher(settings, embedder=minilm)
    yield s
    s.close()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("parse_config_fragment", "parser.py"),
        ("E4471", "errors.md"),
        ("load_settings", "config.md"),
    ],
)
def test_rare_identifier_comes_first_in_hybrid(searcher: Searcher, query: str, expected: str) -> None:
    hits = searcher.search(query, mode="hybrid", k=5)
    assert hits and Path(hits[0].path).name == expected


def test_meaning_still_ranks_when_no_identifier(searcher: Searcher) -> None:
    hits = searcher.search("how long should bread stay in the oven", mode="hybrid", k=3)
    assert Path(hits[0].path).name == "recipes.txt"


def test_words_and_meaning_combine(searcher: Searcher) -> None:
    # Semantic alone could pick any of the configuration passages; the error code's words pin it.
    hits = searcher.search("what does error E4471 mean", mode="hybrid", k=3)
    assert Path(hits[0].path).name == "errors.md"

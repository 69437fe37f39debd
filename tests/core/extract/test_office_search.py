"""Office formats end to end: indexed by the real indexer, each found by its own word at its slide or sheet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jinasearch.core.context import breadcrumb
from jinasearch.core.search import Searcher
from tests.core.extract.office import (
    register_office,
    write_csv,
    write_odp,
    write_ods,
    write_odt,
    write_pptx,
    write_xlsx,
)
from tests.core.helpers import run_index, settings_for
from tests.fakes import FakeEmbedder


@pytest.fixture
def searcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Searcher]:
    register_office(monkeypatch)
    root = tmp_path / "docs"
    root.mkdir()
    write_odt(root / "harbour.odt", [(1, "Harbour"), (None, "The quay is built of vornquist stone.")], title="Port")
    # Long sheets: a row deep in one is in a passage that carries the sheet's header row as its context.
    roots = [["Name", "Qty"], *([f"root{i}", i] for i in range(60)), ["trelmish", 2]]
    write_ods(root / "larder.ods", {"Fruit": [["Name", "Qty"], ["apple", 3]], "Roots": roots})
    write_odp(root / "talk.odp", [("Hello", ["Welcome"], ""), ("Plan", ["Build it"], "Mention the quoggle")])
    write_pptx(
        root / "deck.pptx", [("Kickoff", ["Who"], ""), ("Roadmap", ["What"], ""), ("Risks", ["The wobbleton"], "")]
    )
    write_xlsx(
        root / "stock.xlsx",
        {
            "Staff": [["Name", "Role"], ["Ana", "Lead"]],
            "Stock": [["Item", "Count"], *([f"part{i}", i] for i in range(60)), ["grommelet", 12]],
        },
    )
    write_csv(
        root / "towns.csv", [["Town", "County"], *([f"town{i}", "Loiret"] for i in range(60)), ["Quimpervax", "Loiret"]]
    )
    settings = settings_for(tmp_path)
    summary, _ = run_index(settings, [root], FakeEmbedder())
    assert (summary.indexed, summary.failed) == (6, 0), summary.errors
    s = Searcher(settings, embedder=FakeEmbedder())
    yield s
    s.close()


@pytest.mark.parametrize(
    ("word", "name", "page", "section", "unit"),
    [
        ("vornquist", "harbour.odt", None, "Harbour", "page"),
        ("trelmish", "larder.ods", 2, "Roots › Name | Qty", "sheet"),
        ("quoggle", "talk.odp", 2, "Plan", "slide"),
        ("wobbleton", "deck.pptx", 3, "Risks", "slide"),
        ("grommelet", "stock.xlsx", 2, "Stock › Item | Count", "sheet"),
        ("Quimpervax", "towns.csv", None, "Town | County", "page"),
    ],
)
def test_each_format_is_found_at_its_slide_or_sheet(
    searcher: Searcher, word: str, name: str, page: int | None, section: str, unit: str
) -> None:
    (hit,) = searcher.search(word, mode="keyword")
    assert Path(hit.path).name == name and hit.page == page and hit.section == section
    assert hit.unit == unit  # what the result card and the CLI name the page by (context.breadcrumb)
    if page is not None:
        assert breadcrumb(hit.path, hit.title, hit.section, hit.page, hit.unit).endswith(f" · {unit} {page}")

"""The command line documents the query syntax (search --help, the README) and searches with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jinasearch.cli import main
from jinasearch.core.models import QUERY_SYNTAX
from tests.core.helpers import write
from tests.fakes import use_fake_model

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every model name loads the fake embedder: these tests are about the plumbing, not the ranking."""
    use_fake_model(monkeypatch, tmp_path / "data")


def test_search_help_lists_every_form_of_the_syntax(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["search", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "query syntax" in out
    for form, what in QUERY_SYNTAX:
        line = next((line for line in out.splitlines() if line.strip().startswith(form + " ")), None)
        assert line is not None and what in line, form  # one row each, not wrapped away


def test_the_readme_has_a_row_for_every_form() -> None:
    readme = README.read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.strip().startswith("| `")]
    assert sorted(row.split("`")[1] for row in rows) == sorted(form for form, _ in QUERY_SYNTAX)


def test_search_with_the_syntax(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = tmp_path / "docs"
    write(root / "volcano.txt", "Volcanoes erupt molten lava. Basalt forms when lava cools.")
    write(root / "lava.md", "Lava lamps hold molten wax, not rock: the lava of a lamp is coloured wax.")
    write(root / "sub" / "tides.html", "<p>Tides follow the moon. Lava never reaches the sea here.</p>")
    assert main(["index", str(root), "--no-progress"]) == 0
    capsys.readouterr()

    def paths(query: str) -> list[str]:
        assert main(["search", query, "--json", "--no-app", "--mode", "keyword"]) == 0
        return sorted(Path(h["path"]).name for h in json.loads(capsys.readouterr().out))

    assert paths("lava") == ["lava.md", "tides.html", "volcano.txt"]
    assert paths('"molten lava"') == ["volcano.txt"]
    assert paths("lava -lamps") == ["tides.html", "volcano.txt"]
    assert paths("lava type:html") == ["tides.html"]
    assert paths("lava in:sub") == ["tides.html"]
    assert paths("volc*") == ["volcano.txt"]
    assert main(["search", "lava in:nowhere", "--no-app"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("jinasearch: error: 'in:nowhere' names no indexed folder"), err

"""`jinasearch status` says how the index's vectors are made (late chunking or each passage alone) and
which re-embed is under way: to another model, another recipe, or both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jinasearch.cli import main
from jinasearch.core.store import Store
from jinasearch.core.store.staging import Staging
from tests.core.helpers import write
from tests.fakes import use_fake_model


def status(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, dict]:  # type: ignore[type-arg]
    assert main(["status", *argv]) == 0
    text = capsys.readouterr().out
    assert main(["status", "--json", *argv]) == 0
    return text, json.loads(capsys.readouterr().out)


@pytest.fixture
def indexed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """An index made with the fake model (naive: it gives no token vectors); returns its database."""
    use_fake_model(monkeypatch, tmp_path / "data")
    write(tmp_path / "docs" / "volcano.txt", "Volcanoes erupt molten lava. Basalt forms when lava cools.")
    write(tmp_path / "docs" / "bread.md", "Bread needs flour and yeast. Knead the dough until smooth.")
    assert main(["index", "--no-progress", str(tmp_path / "docs")]) == 0
    capsys.readouterr()
    return tmp_path / "data" / "index.sqlite3"


def set_recipe(db: Path, key: str, *, staged: bool = False) -> None:
    store = Store(db)
    try:
        if staged:
            Staging(store).begin(store.model() or "", key)
        else:
            store.set_recipe(key)
    finally:
        store.close()


def test_an_index_of_passages_alone_says_so(capsys, indexed: Path) -> None:  # type: ignore[no-untyped-def]
    text, info = status(capsys)
    assert "vectors: each passage alone" in text
    assert info["recipe"] == {"late": False, "window": None, "place_lines": None} and info["switching_to"] is None


def test_a_late_chunked_index_says_its_window(capsys, indexed: Path) -> None:  # type: ignore[no-untyped-def]
    set_recipe(indexed, "late:2048")
    text, info = status(capsys)
    assert "vectors: late chunking, windows of 2048 tokens" in text
    assert info["recipe"] == {"late": True, "window": 2048, "place_lines": True}


def test_a_recipe_switch_under_way_is_a_re_embed_of_the_same_model(capsys, indexed: Path) -> None:  # type: ignore[no-untyped-def]
    set_recipe(indexed, "late:1024", staged=True)  # as a run stopped before its first batch leaves it
    text, info = status(capsys)
    switch = info["switching_to"]
    assert switch["model"] == "fake-model" and switch["recipe"] == {"late": True, "window": 1024, "place_lines": True}
    assert switch["staged"] == 0 and switch["remaining"] > 0
    assert info["recipe"] == {"late": False, "window": None, "place_lines": None}  # searches use these until the swap
    line = next(ln for ln in text.splitlines() if "re-embedding" in ln)
    assert line.startswith("re-embedding with late chunking, windows of 1024 tokens: 0 passage texts re-embedded")
    assert "searches use the current vectors" in line and "switching to model" not in text
    assert "--model fake-model" in line  # the staged recipe goes on without an option


def test_a_switch_to_another_model_and_recipe_names_both(capsys, indexed: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store(indexed)
    try:
        Staging(store).begin("another-model", "naive")
        store.set_recipe("late:2048")
    finally:
        store.close()
    text, info = status(capsys)
    assert info["switching_to"]["recipe"] == {"late": False, "window": None, "place_lines": None}
    assert "switching to model another-model, each passage alone:" in text
    assert "searches use the current model" in text


@pytest.mark.model
def test_an_index_made_with_late_chunking_by_the_real_model(capsys, minilm_path: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path / "docs" / "volcano.txt", "Volcanoes erupt molten lava. Basalt forms when lava cools.")
    data = ["--data-dir", str(tmp_path / "data")]
    argv = ["index", *data, "--model", minilm_path, "--no-progress", "--late-window", "256", str(tmp_path / "docs")]
    assert main(argv) == 0
    capsys.readouterr()
    text, info = status(capsys, *data)
    assert "vectors: late chunking, windows of 256 tokens" in text
    assert (
        info["recipe"] == {"late": True, "window": 256, "place_lines": True}
        and info["embedded"] == info["passages"] > 0
    )


def test_waiting_scans_say_what_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from jinasearch.cli_status import ocr_why
    from jinasearch.core.extract import ocr

    assert "'jinasearch index --ocr FOLDER'" in ocr_why(False)
    monkeypatch.setattr(ocr, "what_to_install", lambda name=None: "apt install tesseract-ocr")
    assert ocr_why(True) == "no OCR on this computer: apt install tesseract-ocr"
    monkeypatch.setattr(ocr, "what_to_install", lambda name=None: None)
    assert ocr_why(True) == "the next 'jinasearch index' reads them by OCR"

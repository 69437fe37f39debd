"""The command line's late chunking flags: what each asks of a run (Settings.recipe), the combinations
refused in one line with the exit code of any bad argument, and an index made with them."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

import jinasearch.core.indexing.loading as loading_mod
import jinasearch.core.retrieval.binding as binding_mod
from jinasearch.cli import build_parser, main, settings_from
from jinasearch.core.config import DEFAULT_LATE_WINDOW, Recipe
from tests.core.helpers import write
from tests.core.indexing.served import closed_port
from tests.fakes import use_fake_model


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_fake_model(monkeypatch, tmp_path / "data")
    root = tmp_path / "docs"
    write(root / "a.txt", "The ferry leaves at seven. It returns before the tide turns.")
    return root


def recorded(data: Path, key: str) -> str | None:
    con = sqlite3.connect(f"file:{data / 'index.sqlite3'}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    finally:
        con.close()
    return None if row is None else str(row[0])


@pytest.mark.parametrize(
    ("flags", "recipe"),
    [
        ([], None),  # as the index records (a new one: the default)
        (["--late-chunking"], Recipe(late=True, window=DEFAULT_LATE_WINDOW)),
        (["--late-window", "256"], Recipe(late=True, window=256)),  # implies --late-chunking
        (["--late-chunking", "--late-window", "300"], Recipe(late=True, window=300)),
        (["--no-late-chunking"], Recipe()),
        (["--no-late-place-lines"], Recipe(late=True, place_lines=False)),  # implies --late-chunking too
        (["--late-chunking", "--late-place-lines"], Recipe(late=True)),
        (["--late-chunking", "--model", "jinaai/jina-embeddings-v2-base-en"], Recipe(late=True, window=512)),
    ],
)
def test_flags_make_the_runs_recipe(flags: list[str], recipe: Recipe | None, tmp_path: Path) -> None:
    args = build_parser().parse_args(["index", str(tmp_path), *flags])
    assert settings_from(args).recipe == recipe


def test_a_window_without_late_chunking_is_refused_in_one_line(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["index", str(docs), "--no-late-chunking", "--late-window", "256"])
    err = capsys.readouterr().err
    assert code == 2  # as for any other bad argument (argparse's own exit code)
    assert err.count("\n") == 1 and err.startswith("jinasearch: error: ") and "Traceback" not in err
    assert "--late-window" in err and "--no-late-chunking" in err
    assert main(["index", str(docs), "--no-late-chunking", "--no-late-place-lines"]) == 2
    assert "--[no-]late-place-lines goes with late chunking" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["index", str(docs), "--late-window", "0"])
    assert exc.value.code == 2
    capsys.readouterr()  # argparse's usage
    # A window that cannot hold one passage would pool only its first tokens: said, with what to give.
    code = main(["index", str(docs), "--late-window", "100", "--chunk-tokens", "200"])
    err = capsys.readouterr().err
    assert code == 2 and "--late-window 202" in err and err.count("\n") == 1
    assert not (docs.parent / "data").exists()  # refused before any index was made


def test_a_served_model_with_late_chunking_is_refused_before_the_server_is_asked(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://127.0.0.1:{closed_port()}"  # nothing listens: a request would say so instead
    code = main(["index", str(docs), "--server", url, "--model", "all-minilm", "--late-chunking", "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err[-1].startswith("jinasearch: error: late chunking needs")
    assert "--no-late-chunking" in err[-1] and "cannot reach" not in "\n".join(err)
    assert recorded(tmp_path / "data", "model") is None  # nothing recorded for the refused recipe


def test_topic_cuts_are_a_run_option_refused_for_a_served_model(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert settings_from(build_parser().parse_args(["index", str(docs), "--topic-cuts"])).topic_cuts
    assert not settings_from(build_parser().parse_args(["index", str(docs)])).topic_cuts
    url = f"http://127.0.0.1:{closed_port()}"
    code = main(["index", str(docs), "--server", url, "--model", "all-minilm", "--topic-cuts", "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err[-1].startswith("jinasearch: error: topic cuts read")
    assert "without --topic-cuts" in err[-1] and "cannot reach" not in "\n".join(err)


def embedded(out: str) -> tuple[int, int]:
    """(passages added, passages embedded) from `index`'s summary line."""
    m = re.search(r"(\d+) passages added, (\d+) embedded", out)
    assert m is not None, out
    return int(m.group(1)), int(m.group(2))


@pytest.mark.model
def test_index_with_late_chunking_records_it_and_search_answers(  # type: ignore[no-untyped-def]
    docs: Path, tmp_path: Path, minilm, minilm_path: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    for module in (loading_mod, binding_mod):  # the session's MiniLM, not a second copy
        monkeypatch.setattr(module, "load_embedder", lambda name, device="auto": minilm)
    argv = ["index", str(docs), "--model", minilm_path, "--no-progress"]
    assert main([*argv, "--late-window", "256"]) == 0
    added, done = embedded(capsys.readouterr().out)
    assert added == done >= 1 and recorded(tmp_path / "data", "recipe") == "late:256"
    assert main(["search", "when does the boat come back", "--mode", "semantic", "--json"]) == 0
    assert [Path(h["path"]).name for h in json.loads(capsys.readouterr().out)] == ["a.txt"]
    # Without the flags a later run keeps the recorded recipe: nothing to re-embed.
    assert main(argv) == 0 and embedded(capsys.readouterr().out) == (0, 0)
    assert recorded(tmp_path / "data", "recipe") == "late:256"
    # Back to naive: every passage re-embedded, swapped in at once.
    assert main([*argv, "--no-late-chunking"]) == 0 and embedded(capsys.readouterr().out) == (0, added)
    assert recorded(tmp_path / "data", "recipe") == "naive" and recorded(tmp_path / "data", "staged_model") is None

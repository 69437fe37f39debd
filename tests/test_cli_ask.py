"""`jinasearch search` asks the running app first, and searches itself, cleanly, whenever the app does not answer."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import jinasearch.core.ask.client as client_mod
from jinasearch.cli import main
from jinasearch.core.ask import AskServer, answer_search, place_for
from jinasearch.core.ask.place import KEY_BYTES
from jinasearch.core.config import Settings
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.search import Searcher
from tests.ask_helpers import StandIn, private_runtime, sample_hit
from tests.core.helpers import write

DOCS = {
    "volcano.txt": "Volcanoes erupt molten lava. Basalt forms when lava cools.",
    "bread.md": "Bread needs flour and yeast. Knead the dough until smooth.",
    "tides.txt": "Tides follow the moon. Lava never reaches the sea here.",
}


@pytest.fixture(autouse=True)
def runtime(monkeypatch: pytest.MonkeyPatch) -> Path:
    return private_runtime(monkeypatch)


@pytest.fixture(scope="module")
def index(minilm, minilm_path: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("cli-ask")
    for name, text in DOCS.items():
        write(tmp / "docs" / name, text)
    settings = Settings(data_dir=tmp / "data", model=minilm_path, chunk_tokens=64, overlap_tokens=8)
    run_to_end(Indexer(settings, embedder=minilm).index([tmp / "docs"]))
    return settings


@pytest.fixture(scope="module")
def here(index: Settings) -> dict[tuple[str, ...], tuple[str, str]]:
    """What the command line prints when it searches itself (a cache: each of these loads the model)."""
    return {}


def search(capsys: pytest.CaptureFixture[str], settings: Settings, *argv: str) -> tuple[int, str, str]:
    code = main(["search", *argv, "--data-dir", str(settings.data_dir)])
    out, err = capsys.readouterr()
    return code, out, err


def searched_here(capsys, here, settings: Settings, *argv: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    if argv not in here:
        code, out, err = search(capsys, settings, *argv, "--no-app")
        assert code == 0
        here[argv] = (out, err)
    return here[argv]


@pytest.fixture
def app(index: Settings, minilm) -> Iterator[AskServer]:  # type: ignore[no-untyped-def]
    """The app's side with a real searcher and the real model (the GUI test drives the app itself)."""
    searcher = Searcher(index, embedder=minilm)
    server = AskServer(place_for(index.data_dir), lambda request: answer_search(searcher, index, request))
    server.start()
    yield server
    server.stop()
    searcher.close()


@pytest.mark.model
@pytest.mark.parametrize(
    "argv", [("basalt lava", "--json", "-k", "2"), ("flour and yeast",), ("moon", "--mode", "keyword")]
)
def test_the_app_answers_exactly_as_a_search_here(capsys, index: Settings, here, app: AskServer, argv) -> None:  # type: ignore[no-untyped-def]
    code, out, err = search(capsys, index, *argv)
    assert code == 0 and (out, err) == searched_here(capsys, here, index, *argv)
    assert out.strip()


@pytest.mark.model
def test_many_queries_and_notes(capsys, index: Settings, here, app: AskServer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    queries = tmp_path / "q.txt"
    queries.write_text("lava\nzzqx nothing like it\nbread\n", encoding="utf-8")
    for argv in [("--queries", str(queries), "--json"), ("--queries", str(queries), "--type", "txt", "--type", "pdf")]:
        code, out, err = search(capsys, index, *argv)
        assert code == 0 and (out, err) == searched_here(capsys, here, index, *argv)


@pytest.mark.model
def test_an_error_is_the_same_one_line(capsys, index: Settings, app: AskServer) -> None:  # type: ignore[no-untyped-def]
    code, out, err = search(capsys, index, "lava", "--folder", "/nowhere/at/all")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("jinasearch: error: /nowhere/at/all is not under any indexed folder")


@pytest.mark.model
def test_no_app_or_a_stale_socket_falls_back_silently(capsys, index: Settings, here) -> None:  # type: ignore[no-untyped-def]
    expected = searched_here(capsys, here, index, "basalt lava", "--json", "-k", "2")
    assert search(capsys, index, "basalt lava", "--json", "-k", "2") == (0, *expected)
    place = place_for(index.data_dir)
    place.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(place.address)  # the socket file a crashed app leaves behind
    dead.close()
    place.key_path.write_bytes(os.urandom(KEY_BYTES))
    assert search(capsys, index, "basalt lava", "--json", "-k", "2") == (0, *expected)


@pytest.mark.model
def test_a_slow_app_is_left_with_a_one_line_note(capsys, index: Settings, here, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(client_mod, "ANSWER_TIMEOUT_S", 0.3)
    out, err = searched_here(capsys, here, index, "flour and yeast")
    with StandIn(index.data_dir, (sample_hit(),), delay_s=2.0):
        code, out2, err2 = search(capsys, index, "flour and yeast")
    assert code == 0 and out2 == out
    assert err2 == "jinasearch: the app answers slowly; searching here\n" + err


@pytest.mark.model
def test_an_app_on_another_index_is_not_asked_twice(capsys, index: Settings, here, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, err = searched_here(capsys, here, index, "flour and yeast")
    with StandIn(index.data_dir, (sample_hit(),), serves=tmp_path) as other:
        assert search(capsys, index, "flour and yeast") == (0, out, err)  # refused: searched here, no note
        assert len(other.asked) == 1
        assert search(capsys, index, "flour and yeast", "--no-app") == (0, out, err)
        assert len(other.asked) == 1  # --no-app does not ask


@pytest.mark.parametrize("as_json", [True, False])
def test_asking_loads_neither_torch_nor_numpy_nor_the_extractors(tmp_path: Path, runtime: Path, as_json: bool) -> None:
    """The path that asks the app must cost far less than the model load it saves; the printed list
    names a hit's slide from the hit itself (Hit.unit), without loading the extractors (~0.1 s)."""
    code = (
        "import sys; from jinasearch.cli import main; rc = main(sys.argv[1:]); "
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'numpy', 'sentence_transformers', 'faiss'}"
        " | ({'extract'} if 'jinasearch.core.extract' in sys.modules else set())); "
        "print('HEAVY', heavy); sys.exit(rc)"
    )
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
    with StandIn(tmp_path, (sample_hit(),)):
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                code,
                "search",
                "lava",
                *(["--json"] if as_json else []),
                "--data-dir",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=Path(__file__).parents[1],
            timeout=60,
        )
    assert proc.returncode == 0, proc.stderr
    *out, heavy = proc.stdout.splitlines()
    if as_json:
        assert json.loads(out[0])[0]["text"] == sample_hit().text
    else:
        assert out[0].startswith(" 1. ") and "Igneous > Basalt · slide 4" in out[0]
    assert heavy == "HEAVY []"


def test_the_printing_code_is_not_imported_before_the_question_is_sent() -> None:
    """`jinasearch search` sends the question to the app first and imports its printing code (the hit's
    breadcrumb, the status page) while the app searches: importing the command line loads neither."""
    code = (
        "import sys, jinasearch.cli; "
        "print(sorted(m for m in ('jinasearch.cli_output', 'jinasearch.cli_status') if m in sys.modules))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[1], timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"

"""The command line with an embedding server: a server that is down or mistyped is said in one line with the
documented exit code, never a traceback; search and status with a served index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jinasearch.cli import main
from tests.core.indexing.served import closed_port, write_topics
from tests.servers.ollama_standin import OllamaStandIn

REPO = Path(__file__).resolve().parents[1]


def test_index_with_the_server_down_is_keyword_only_exit_3_without_a_traceback(tmp_path: Path) -> None:
    docs = write_topics(tmp_path / "docs")
    url = f"http://127.0.0.1:{closed_port()}"
    env = {**os.environ, "JINASEARCH_DATA_DIR": str(tmp_path / "data")}
    env.pop("JINASEARCH_SERVER", None)
    done = subprocess.run(
        [sys.executable, "-m", "jinasearch.cli", "index", str(docs), "--server", url, "--model", "all-minilm"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert f"cannot reach the embedding server at {url}" in done.stderr
    assert "Keyword search works now" in done.stderr
    assert "15 files: 15 indexed" in done.stdout


def test_index_with_the_server_down_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = write_topics(tmp_path / "docs")
    url = f"http://127.0.0.1:{closed_port()}"
    argv = ["index", str(docs), "--server", url, "--model", "all-minilm", "--data-dir", str(tmp_path / "d")]
    assert main([*argv, "--no-progress"]) == 3
    err = capsys.readouterr().err
    assert f"embedding on an embedding server on this computer ({url})" in err
    assert "keyword search only: cannot reach the embedding server" in err
    # The files are searchable by their words meanwhile, with no server needed for that.
    assert main(["search", "glaciers", "--mode", "keyword", "--data-dir", str(tmp_path / "d"), "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [Path(h["path"]).name for h in hits] == ["glacier.txt"]


@pytest.mark.parametrize("command", ["index", "search"])
def test_a_server_url_that_is_not_http_is_an_argparse_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, str(tmp_path), "--server", "ftp://x", "--data-dir", str(tmp_path / "d")])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "argument --server: 'ftp://x' is not an http(s) URL" in err and "Traceback" not in err


@pytest.mark.server
@pytest.mark.model
def test_search_and_status_of_a_served_index(
    tmp_path: Path, ollama_standin: OllamaStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = write_topics(tmp_path / "docs")
    data = str(tmp_path / "data")
    url = ollama_standin.url
    argv = ["index", str(docs), "--server", url, "--api", "ollama", "--model", "all-minilm", "--data-dir", data]
    assert main([*argv, "--no-progress"]) == 0
    capsys.readouterr()

    assert main(["status", "--json", "--data-dir", data]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["model"], info["server"], info["server_api"]) == ("server:all-minilm", url, "ollama")
    assert info["embedded_on"] == f"an embedding server on this computer ({url})"
    assert info["passages"] == info["embedded"] > 0 and info["pending"] == 0

    assert main(["search", "a loan whose repayments never change", "--data-dir", data, "--json", "-k", "1"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [Path(h["path"]).name for h in hits] == ["mortgage.md"]

    ollama_standin.stop()
    # With the server gone a hybrid search goes on by words and says so in one line; a search by meaning
    # alone cannot, and says why (exit 2); a search by words needs no server at all.
    assert main(["search", "mortgage repayments", "--data-dir", data, "--json"]) == 0
    out, err = capsys.readouterr()
    assert [Path(h["path"]).name for h in json.loads(out)][:1] == ["mortgage.md"]
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jinasearch: by words only: cannot reach the embedding server at ")
    assert main(["search", "a loan whose repayments never change", "--mode", "semantic", "--data-dir", data]) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jinasearch: error: cannot reach the embedding server at ")
    assert url in lines[0] and out == ""
    assert main(["search", "mortgage", "--mode", "keyword", "--data-dir", data, "--json"]) == 0
    assert [Path(h["path"]).name for h in json.loads(capsys.readouterr().out)] == ["mortgage.md"]

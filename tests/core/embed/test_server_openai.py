"""The real infinity-emb server (OpenAI-compatible /v1/embeddings) serving MiniLM: its vectors are the local
model's, an index built through it searches like one built here, and the CLI indexes and searches with it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from jinasearch.cli import main
from jinasearch.core.embed.server import ServerEmbedder
from jinasearch.core.errors import ServerModelMissingError
from jinasearch.core.search import Searcher
from tests.core.helpers import settings_for
from tests.core.indexing.served import QUERIES, QUICK, SAME, check_index, index, write_topics
from tests.servers.infinity import InfinityServer

pytestmark = [pytest.mark.server, pytest.mark.model]

CODE = '''def load(path: str) -> dict[str, int]:
    """Count words per line."""
    with open(path, encoding="utf-8") as fh:
        return {line.strip(): len(line.split()) for line in fh if line.strip()}'''
# About 200 MiniLM tokens: long, but inside the 256 both the server and the local model read.
LONG = " ".join(
    f"Paragraph {i}: the committee reviewed the harbour budget, the ferry timetable and the library roof."
    for i in range(11)
)


def varied_texts() -> list[str]:
    texts = [
        "hi",
        "The cat sat on the mat.",
        "Quarterly revenue grew by 12 percent while operating costs fell.",
        "Grüße aus Köln: wie spät ist es?",
        "Œuvres complètes, édition révisée — tome II.",
        "東京は日本の首都です。",
        "Москва — столица России.",
        "emoji too 🎉🚲☕",
        CODE,
        "SELECT id, name FROM users WHERE created_at > '2024-01-01' ORDER BY name;",
        "x = [i ** 2 for i in range(10) if i % 2]",
        LONG,
        LONG.upper(),
        "   leading and trailing spaces   ",
        "line one\nline two\n\nline four",
    ]
    texts += [f"Note {i}: the {w} was checked on day {i * 3}." for i, w in enumerate(("pump", "gate", "valve") * 9)]
    return texts


def test_vectors_equal_the_local_models(infinity_server: InfinityServer, minilm) -> None:
    texts = varied_texts()
    assert len(texts) >= 40
    emb = ServerEmbedder(infinity_server.url, infinity_server.model_name, retry=QUICK)
    try:
        assert emb.api == "openai" and emb.dim == 384 and emb.round_trip_s > 0
        assert emb.tokenizer.count([LONG])[0] == minilm.tokenizer.count([LONG])[0]  # its tokenizer.json, by name
        assert 180 <= minilm.tokenizer.count([LONG])[0] <= 250
        got = emb.encode(texts)
    finally:
        emb.close()
    cosines = np.sum(got * minilm.encode(texts), axis=1)
    worst = int(np.argmin(cosines))
    assert cosines[worst] >= SAME, f"{texts[worst]!r}: cosine {cosines[worst]:.5f}"
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_an_unknown_model_names_the_served_ones(infinity_server: InfinityServer) -> None:
    with pytest.raises(ServerModelMissingError) as caught:
        ServerEmbedder(infinity_server.url, "BAAI/bge-small-en-v1.5", retry=QUICK)
    assert infinity_server.model_name in str(caught.value) and "--model" in str(caught.value)
    assert not caught.value.transient


def passages(db: Path) -> set[tuple[str, int, str]]:
    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT d.path, p.ord, p.text FROM passages p JOIN documents d ON d.id = p.doc_id")
        return {(Path(path).name, ord_, text) for path, ord_, text in rows}
    finally:
        con.close()


def top_files(searcher: Searcher, mode: str) -> list[list[str]]:
    """The top 3 files of every query, weak ones included (so that three come, and their order counts)."""
    found = [searcher.search(q, k=3, mode=mode, sentences=False, weak=True) for q in QUERIES]  # type: ignore[arg-type]
    return [[Path(h.path).name for h in hits] for hits in found]


def test_an_index_built_through_the_server_searches_like_a_local_one(
    tmp_path: Path, infinity_server: InfinityServer, minilm, minilm_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = write_topics(tmp_path / "docs")
    served = settings_for(tmp_path / "served", model=infinity_server.model_name, server=infinity_server.url)
    local = settings_for(tmp_path / "local", model=minilm_path)
    # The served index through the default factory, exactly as `jinasearch index --server` builds it.
    assert index(served, [docs]).state == "done"
    assert index(local, [docs], minilm).state == "done"
    assert passages(served.db_path) == passages(local.db_path)
    state = check_index(served.db_path, minilm)  # the server's vectors are the local model's
    assert state.embedded == state.passages >= len(QUERIES)

    served_search, local_search = Searcher(served), Searcher(local, embedder=minilm)
    try:
        for mode in ("semantic", "hybrid"):
            expected = top_files(local_search, mode)
            assert top_files(served_search, mode) == expected
            assert all(len(files) == 3 for files in expected)
            assert [files[0] for files in expected] == list(QUERIES.values())
        assert served_search.embedder is not None and served_search.embedder.device == "server"
    finally:
        served_search.close()
        local_search.close()

    assert main(["status", "--data-dir", str(served.data_dir)]) == 0
    out = capsys.readouterr().out
    assert f"model: server:{infinity_server.model_name} (384 dimensions)" in out
    assert f"embedded on: an embedding server on this computer ({infinity_server.url})" in out


def test_cli_indexes_through_the_server_and_searches_with_the_recorded_one(
    tmp_path: Path, infinity_server: InfinityServer, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = write_topics(tmp_path / "docs")
    data = str(tmp_path / "data")
    name = infinity_server.model_name
    argv = ["index", str(docs), "--server", infinity_server.url, "--model", name, "--data-dir", data, "--no-progress"]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "15 files: 15 indexed" in out and "embedding on an embedding server on this computer" in err
    # No --server: search finds the server the index recorded.
    assert main(["search", "a loan whose repayments never change", "--data-dir", data, "--json", "-k", "3"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and Path(hits[0]["path"]).name == "mortgage.md" and "semantic" in hits[0]["sources"]

"""An embedding server that is down, dies mid-run, is slow, answers nonsense or fails: each run ends with
every file keyword-searchable, only whole and correct vectors stored, and the next run finishes the job."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from jinasearch.cli import main
from jinasearch.core.errors import ServerReplyError, ServerUnreachableError, ServerVectorsError
from jinasearch.core.indexer import Indexer
from jinasearch.core.store import Store
from tests.core.helpers import settings_for
from tests.core.indexing.served import (
    check_index,
    closed_port,
    index,
    keyword_files,
    quick_embedder,
    write_many,
    write_topics,
)
from tests.servers.infinity import InfinityServer
from tests.servers.ollama_standin import OllamaStandIn

pytestmark = [pytest.mark.server, pytest.mark.model]

MODEL = "all-minilm"


def recorded_server(db: Path) -> str | None:
    store = Store(db, readonly=True)
    try:
        return store.server()[0]
    finally:
        store.close()


def vector_count(db: Path) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT COUNT(*) FROM passages WHERE vector IS NOT NULL").fetchone()[0])
    finally:
        con.close()


def test_server_down_at_start_indexes_for_keyword_search_and_a_later_run_embeds(
    tmp_path: Path, ollama_standin: OllamaStandIn, minilm
) -> None:
    docs = write_topics(tmp_path / "docs")
    down = f"http://127.0.0.1:{closed_port()}"
    settings = settings_for(tmp_path, model=MODEL, server=down)
    first = index(settings, [docs])  # the default factory: what `jinasearch index --server` does
    assert first.state == "keyword-only"
    assert isinstance(first.keyword_only, ServerUnreachableError) and not first.keyword_only.timed_out
    assert "cannot reach the embedding server" in str(first.keyword_only)
    state = check_index(settings.db_path, minilm)
    assert (state.docs, state.embedded) == (15, 0) and state.passages >= 15
    assert keyword_files(settings, "glaciers") == {"glacier.txt"}
    assert keyword_files(settings, "espresso") == {"espresso.txt"}

    live = replace(settings, server=ollama_standin.url)
    second = index(live, [docs])
    assert second.state == "done" and second.keyword_only is None
    assert second.summary.passages_embedded == state.passages
    after = check_index(settings.db_path, minilm)
    assert after.embedded == after.passages == state.passages
    assert recorded_server(settings.db_path) == ollama_standin.url


def test_server_killed_mid_run_keeps_whole_batches_and_another_server_finishes(
    tmp_path: Path, ollama_standin: OllamaStandIn, minilm_sentence_transformer, minilm
) -> None:
    docs = write_many(tmp_path / "docs")
    settings = settings_for(tmp_path, model=MODEL, server=ollama_standin.url)
    # One request at a time (8 texts), so the kill falls between two answers: eight answers are whole
    # model batches whichever stage embeds (32-text windows while files are read, 8-text batches after),
    # 64 vectors; then the server dies and every later request finds nobody there.
    emb = quick_embedder(ollama_standin.url, MODEL, in_flight=1, tokenizer=minilm.tokenizer)
    ollama_standin.kill_after(8)
    try:
        first = index(settings, [docs], emb)
    finally:
        emb.close()
    assert not ollama_standin.running
    assert first.state == "keyword-only" and isinstance(first.keyword_only, ServerUnreachableError)
    state = check_index(settings.db_path, minilm)  # every stored vector is the model's: no half batch
    assert state.passages > 100 and state.embedded == 64
    assert keyword_files(settings, "ferry") and len(keyword_files(settings, "entry")) == 10

    with OllamaStandIn(model=MODEL, st_model=minilm_sentence_transformer) as other:
        other_url = other.url
        moved = replace(settings, server=other_url)
        emb = quick_embedder(other.url, MODEL, tokenizer=minilm.tokenizer)
        try:
            second = index(moved, [docs], emb)
        finally:
            emb.close()
    assert second.state == "done" and second.summary.passages_embedded == state.passages - state.embedded
    after = check_index(settings.db_path, minilm)
    assert after.embedded == after.passages == state.passages
    # Same model key (a moved server is not a model switch), the new server recorded.
    assert recorded_server(settings.db_path) == other_url
    store = Store(settings.db_path, readonly=True)
    try:
        assert store.model() == "server:" + MODEL
    finally:
        store.close()


def test_real_infinity_killed_mid_run_then_restarted(tmp_path: Path, infinity_server: InfinityServer, minilm) -> None:
    docs = write_many(tmp_path / "docs", files=12, paragraphs=20)
    name = infinity_server.model_name
    settings = settings_for(tmp_path, model=name, server=infinity_server.url)
    emb = quick_embedder(infinity_server.url, name, tokenizer=minilm.tokenizer)
    killed = False
    progress = []
    try:
        for p in Indexer(settings, embedder=emb).index([docs]):
            progress.append(p)
            # Between two steps of the run, as soon as vectors have landed: a crash of the server.
            if not killed and settings.db_path.exists() and vector_count(settings.db_path) > 0:
                infinity_server.kill()
                killed = True
    finally:
        emb.close()
    outcome = progress[-1].outcome
    assert killed and outcome is not None
    assert outcome.state == "keyword-only" and isinstance(outcome.keyword_only, ServerUnreachableError)
    state = check_index(settings.db_path, minilm)
    assert 0 < state.embedded < state.passages
    assert len(keyword_files(settings, "entry")) == 12

    infinity_server.start()  # on a new port: the server moved as well
    restarted = replace(settings, server=infinity_server.url)
    emb = quick_embedder(infinity_server.url, name, tokenizer=minilm.tokenizer)
    try:
        second = index(restarted, [docs], emb)
    finally:
        emb.close()
    assert second.state == "done"
    after = check_index(settings.db_path, minilm)
    assert after.embedded == after.passages == state.passages
    assert recorded_server(settings.db_path) == infinity_server.url


def test_slow_server_times_out(ollama_standin: OllamaStandIn) -> None:
    emb = quick_embedder(ollama_standin.url, MODEL, timeout_s=0.3)
    ollama_standin.delay_s = 1.0
    try:
        with pytest.raises(ServerUnreachableError) as caught:
            emb.encode(["too slow"])
    finally:
        emb.close()
    assert caught.value.timed_out and caught.value.transient
    assert "did not answer within 0.3 s" in str(caught.value)


def test_slow_server_in_a_run_is_keyword_only_with_nothing_written(
    tmp_path: Path, ollama_standin: OllamaStandIn, minilm
) -> None:
    docs = write_topics(tmp_path / "docs")
    settings = settings_for(tmp_path, model=MODEL, server=ollama_standin.url)
    emb = quick_embedder(ollama_standin.url, MODEL, timeout_s=0.3, tokenizer=minilm.tokenizer)
    ollama_standin.delay_s = 1.0
    try:
        outcome = index(settings, [docs], emb)
    finally:
        emb.close()
    assert outcome.state == "keyword-only"
    assert isinstance(outcome.keyword_only, ServerUnreachableError) and outcome.keyword_only.timed_out
    assert check_index(settings.db_path, minilm).embedded == 0
    assert keyword_files(settings, "volcanoes") == {"volcano.txt"}


BAD_ANSWERS = {
    "wrong_dim": "dimension 383, not 384",
    "wrong_count": "sent 1 vectors for 2 texts",
    "nan": "NaN",
    "zero": "all-zero vector",
}


@pytest.mark.parametrize("knob", sorted(BAD_ANSWERS))
def test_bad_vectors_are_refused_with_a_clear_message(ollama_standin: OllamaStandIn, knob: str) -> None:
    emb = quick_embedder(ollama_standin.url, MODEL)
    setattr(ollama_standin, knob, True)
    before = len(ollama_standin.embed_requests)
    try:
        with pytest.raises(ServerVectorsError) as caught:
            emb.encode(["first text", "second text"])
    finally:
        emb.close()
    assert BAD_ANSWERS[knob] in str(caught.value) and ollama_standin.url in str(caught.value)
    assert not caught.value.transient
    assert len(ollama_standin.embed_requests) == before + 1  # asking again would get the same answer


@pytest.mark.parametrize("knob", sorted(BAD_ANSWERS))
def test_bad_vectors_in_a_run_store_nothing_of_that_batch(
    tmp_path: Path, ollama_standin: OllamaStandIn, minilm, knob: str
) -> None:
    docs = write_topics(tmp_path / "docs")
    settings = settings_for(tmp_path, model=MODEL, server=ollama_standin.url)
    emb = quick_embedder(ollama_standin.url, MODEL, tokenizer=minilm.tokenizer)
    setattr(ollama_standin, knob, True)
    try:
        outcome = index(settings, [docs], emb)
    finally:
        emb.close()
    assert outcome.state == "keyword-only" and isinstance(outcome.keyword_only, ServerVectorsError)
    assert BAD_ANSWERS[knob].split()[0] in str(outcome.keyword_only)
    assert check_index(settings.db_path, minilm).embedded == 0
    assert keyword_files(settings, "chess") == {"chess.txt"}


def test_a_few_500s_are_retried_and_the_run_finishes(tmp_path: Path, ollama_standin: OllamaStandIn, minilm) -> None:
    docs = write_topics(tmp_path / "docs")
    settings = settings_for(tmp_path, model=MODEL, server=ollama_standin.url)
    # Three tries a request: the first request may meet both failures. One request at a time, so the
    # stand-in's count of requests is exact.
    emb = quick_embedder(ollama_standin.url, MODEL, in_flight=1, tokenizer=minilm.tokenizer)
    ollama_standin.fail_next(2)
    before = len(ollama_standin.requests)
    try:
        outcome = index(settings, [docs], emb)
    finally:
        emb.close()
    assert outcome.state == "done" and outcome.keyword_only is None
    state = check_index(settings.db_path, minilm)
    assert state.embedded == state.passages > 0
    embeds = [r for r in ollama_standin.requests[before:] if r.path == "/api/embed"]
    assert len(embeds) == len({tuple(r.body["input"]) for r in embeds}) + 2  # the two failures asked again


def test_a_server_that_keeps_failing_says_its_own_message(
    tmp_path: Path, ollama_standin: OllamaStandIn, minilm
) -> None:
    docs = write_topics(tmp_path / "docs")
    settings = settings_for(tmp_path, model=MODEL, server=ollama_standin.url)
    emb = quick_embedder(ollama_standin.url, MODEL, tokenizer=minilm.tokenizer)
    ollama_standin.fail_next(1000, 500, {"error": "CUDA out of memory"})
    try:
        outcome = index(settings, [docs], emb)
    finally:
        emb.close()
    err = outcome.keyword_only
    assert outcome.state == "keyword-only" and isinstance(err, ServerReplyError)
    assert (err.status, err.detail) == (500, "CUDA out of memory") and err.transient
    assert "CUDA out of memory" in str(err)
    assert check_index(settings.db_path, minilm).embedded == 0
    assert keyword_files(settings, "mortgage") == {"mortgage.md"}


# A served model whose name is also a folder here (Infinity serving a model under its path): a server
# that is down is a keyword-only run (exit 3), as for any other served name, not the local folder's error.


def test_server_down_with_a_model_named_like_a_local_folder_is_keyword_only(
    tmp_path: Path, minilm_path: str, minilm
) -> None:
    docs = write_topics(tmp_path / "docs")
    settings = settings_for(tmp_path, model=minilm_path, server=f"http://127.0.0.1:{closed_port()}")
    outcome = index(settings, [docs])
    assert outcome.state == "keyword-only" and isinstance(outcome.keyword_only, ServerUnreachableError)
    assert check_index(settings.db_path, minilm).embedded == 0
    assert keyword_files(settings, "glaciers") == {"glacier.txt"}


def test_cli_exit_3_for_it(tmp_path: Path, minilm_path: str) -> None:
    docs = write_topics(tmp_path / "docs")
    url = f"http://127.0.0.1:{closed_port()}"
    argv = [
        "index",
        str(docs),
        "--server",
        url,
        "--model",
        minilm_path,
        "--data-dir",
        str(tmp_path / "d"),
        "--no-progress",
    ]
    assert main(argv) == 3


def test_a_mistyped_server_does_not_replace_the_recorded_one(tmp_path: Path, ollama_standin: OllamaStandIn) -> None:
    docs = write_topics(tmp_path / "docs")
    good = settings_for(tmp_path, model=MODEL, server=ollama_standin.url)
    assert index(good, [docs]).state == "done"
    (docs / "new.txt").write_text("A new note about tide pools and the creatures living in them.", encoding="utf-8")
    typo = replace(good, server=f"http://127.0.0.1:{closed_port()}")
    assert index(typo, [docs]).state == "keyword-only"
    assert recorded_server(good.db_path) == ollama_standin.url  # searches still go where the vectors came from
    assert index(good, [docs]).state == "done"

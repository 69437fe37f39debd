"""ServerEmbedder against Ollama's native API (the loopback stand-in computing real MiniLM vectors):
what goes over the wire, batches split into requests, vectors in order, a model that is not pulled."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from jinasearch.core.embed.server import ServerEmbedder
from jinasearch.core.errors import ServerModelMissingError
from tests.core.helpers import settings_for
from tests.core.indexing.served import QUICK, SAME, check_index, index, keyword_files, quick_embedder, write_topics
from tests.servers.ollama_standin import OllamaStandIn

pytestmark = [pytest.mark.server, pytest.mark.model]


def varied_texts(n: int) -> list[str]:
    """n different texts, short to a few dozen tokens (all well inside MiniLM's 256)."""
    base = [
        "The cat sat on the mat.",
        "Quarterly revenue grew by 12 percent while costs fell.",
        "Wie spät ist es in Köln?",
        "def add(a, b):\n    return a + b",
        "Glaciers carve U-shaped valleys into mountains over thousands of years.",
    ]
    return [f"{base[i % len(base)]} (item {i}, {'x' * (i % 7)})" for i in range(n)]


def test_api_is_detected_and_requests_carry_a_list_truncate_and_the_models_context(
    ollama_standin: OllamaStandIn,
) -> None:
    emb = ServerEmbedder(ollama_standin.url, "all-minilm", retry=QUICK)
    try:
        assert emb.api == "ollama"
        assert (emb.dim, emb.max_tokens) == (384, ollama_standin.context_length) == (384, 512)
        assert emb.round_trip_s > 0
        emb.encode(["one passage", "another passage"])
    finally:
        emb.close()
    paths = [r.path for r in ollama_standin.requests]
    # Detected by /api/version, the model's facts read from /api/show, then only /api/embed.
    assert paths[:2] == ["/api/version", "/api/show"] and set(paths[2:]) == {"/api/embed"}
    bodies = ollama_standin.embed_requests
    assert bodies[-1]["input"] == ["one passage", "another passage"]
    for body in bodies:  # the probe too
        assert isinstance(body["input"], list) and body["model"] == "all-minilm"
        assert body["truncate"] is True and body["options"] == {"num_ctx": 512}


def test_given_api_skips_detection(ollama_standin: OllamaStandIn) -> None:
    emb = ServerEmbedder(ollama_standin.url, "all-minilm", api="ollama", retry=QUICK)
    emb.close()
    assert "/api/version" not in [r.path for r in ollama_standin.requests]


def test_a_large_batch_is_split_into_requests_and_vectors_come_back_in_order(
    ollama_standin: OllamaStandIn, minilm
) -> None:
    texts = varied_texts(300)
    emb = ServerEmbedder(ollama_standin.url, "all-minilm", retry=QUICK)
    ollama_standin.clear_requests()  # the probe
    try:
        got = emb.encode(texts)
    finally:
        emb.close()
    # Distinct requests: one the server dropped is sent again, which is the client's right.
    sent = {tuple(b["input"]) for b in ollama_standin.embed_requests}
    assert len(sent) == math.ceil(300 / emb.request_texts) > 1
    assert all(len(inputs) <= emb.request_texts for inputs in sent)
    # Every text in exactly one request (requests run in parallel, so they may arrive in any order).
    assert sorted(t for inputs in sent for t in inputs) == sorted(texts)
    assert got.shape == (300, 384) and got.dtype == np.float32
    cosines = np.sum(got * minilm.encode(texts), axis=1)
    assert cosines.min() >= SAME  # row i is text i's vector


def test_a_model_that_is_not_pulled_says_ollama_pull_and_is_not_retried(ollama_standin: OllamaStandIn) -> None:
    with pytest.raises(ServerModelMissingError) as caught:
        ServerEmbedder(ollama_standin.url, "nomic-embed-text", retry=QUICK)
    err = caught.value
    assert "ollama pull nomic-embed-text" in str(err)
    assert err.status == 404 and not err.transient and "not found" in err.detail
    paths = [r.path for r in ollama_standin.requests]
    assert paths.count("/api/show") == 1  # a 404 is an answer, not a fault worth repeating
    assert "/api/embed" not in paths  # no passage was sent for a model the server lacks


def test_a_run_for_a_model_not_pulled_is_keyword_only_and_the_next_run_after_the_pull_embeds_it(
    tmp_path: Path, ollama_standin: OllamaStandIn, minilm_sentence_transformer, minilm
) -> None:
    """The stand-in serves one model, so "after `ollama pull`" is a second stand-in that has it."""
    docs = write_topics(tmp_path / "docs")
    settings = settings_for(tmp_path, model="nomic-embed-text", server=ollama_standin.url)
    first = index(settings, [docs])
    assert first.state == "keyword-only" and isinstance(first.keyword_only, ServerModelMissingError)
    assert "ollama pull nomic-embed-text" in str(first.keyword_only)
    assert check_index(settings.db_path, minilm).embedded == 0
    assert keyword_files(settings, "glaciers") == {"glacier.txt"}

    with OllamaStandIn(model="nomic-embed-text", st_model=minilm_sentence_transformer) as pulled:
        settings = settings_for(tmp_path, model="nomic-embed-text", server=pulled.url)
        emb = quick_embedder(pulled.url, "nomic-embed-text", tokenizer=minilm.tokenizer)
        try:
            second = index(settings, [docs], emb)
        finally:
            emb.close()
    assert second.state == "done" and second.summary.passages_embedded > 0
    state = check_index(settings.db_path, minilm)
    assert state.embedded == state.passages > 0

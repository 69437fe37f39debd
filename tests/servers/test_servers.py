"""The test servers themselves: the Ollama stand-in answers as Ollama does, infinity-emb serves real vectors.

Only the standard library talks to them here, so these checks stand apart from any client under test.
"""

from __future__ import annotations

import http.client
import json
import math
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import numpy as np
import pytest

from tests.servers.infinity import InfinityServer
from tests.servers.ollama_standin import OllamaStandIn

pytestmark = [pytest.mark.server, pytest.mark.model]

TEXTS = ["The cat sat on the mat.", "Quarterly revenue grew by 12 percent.", "Wie spät ist es?"]
# 1,130 MiniLM tokens with [CLS] and [SEP]: longer than the model's 512 and than sentence-transformers' 256.
LONG = " ".join(f"w{i} apple" for i in range(300))


def call(url: str, body: Any = None, *, raw: bytes | None = None, method: str | None = None) -> tuple[int, Any, str]:
    """(status, JSON body or text, content type) of one request; HTTP errors are answers, not exceptions."""
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method or ("GET" if data is None else "POST"))
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            status, payload, ctype = resp.status, resp.read(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as err:
        status, payload, ctype = err.code, err.read(), err.headers.get("Content-Type", "")
    text = payload.decode()
    return status, json.loads(text) if ctype.startswith("application/json") else text, ctype


def cosine(a: Any, b: Any) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def first_tokens_vector(st: Any, text: str, n: int) -> np.ndarray:
    """The normalised vector of the text's first n tokens ([CLS] and [SEP] included), from the model's own forward."""
    import torch

    features = st.tokenizer(text, truncation=True, max_length=n, return_tensors="pt")
    with torch.no_grad():
        vector = st(dict(features))["sentence_embedding"][0].numpy()
    return vector / np.linalg.norm(vector)


def embed(standin: OllamaStandIn, **body: Any) -> tuple[int, Any, str]:
    return call(f"{standin.url}/api/embed", {"model": "all-minilm", **body})


# -- the Ollama stand-in ------------------------------------------------------------------------------------------


def test_standin_listens_on_loopback_and_describes_its_model(ollama_standin: OllamaStandIn) -> None:
    assert ollama_standin.url.startswith("http://127.0.0.1:")
    assert call(f"{ollama_standin.url}/api/version")[:2] == (200, {"version": "0.12.0"})
    assert call(f"{ollama_standin.url}/")[:2] == (200, "Ollama is running")
    status, tags, _ = call(f"{ollama_standin.url}/api/tags")
    assert status == 200 and [(m["name"], m["model"]) for m in tags["models"]] == [("all-minilm:latest",) * 2]

    status, show, _ = call(f"{ollama_standin.url}/api/show", {"model": "all-minilm"})
    assert status == 200
    assert show["details"]["family"] == "bert" and show["capabilities"] == ["embedding"]
    info = show["model_info"]
    assert (info["general.architecture"], info["bert.context_length"], info["bert.embedding_length"]) == (
        "bert",
        512,
        384,
    )
    assert call(f"{ollama_standin.url}/api/show", {"model": "nomic-embed-text"})[:2] == (
        404,
        {"error": "model 'nomic-embed-text:latest' not found"},
    )
    assert call(f"{ollama_standin.url}/api/show", {})[:2] == (400, {"error": "model is required"})


@pytest.mark.parametrize(
    ("body", "status", "answer"),
    [
        (b"", 400, {"error": "missing request body"}),
        (b'{"model": "all-minilm", "input": 5}', 400, {"error": "invalid input type"}),
        (b'{"model": "all-minilm", "input": ["a", 1]}', 400, {"error": "invalid input type"}),
        (b'{"model": "nope", "input": "a"}', 404, {"error": 'model "nope" not found, try pulling it first'}),
        (b'{"input": "a"}', 400, {"error": "invalid model name"}),
        # Not errors in Ollama: an embed request without input only loads the model.
        (b'{"model": "all-minilm"}', 200, {"model": "all-minilm", "embeddings": []}),
        (b'{"model": "all-minilm", "input": ""}', 200, {"model": "all-minilm", "embeddings": []}),
        (b'{"model": "all-minilm", "input": []}', 200, {"model": "all-minilm", "embeddings": []}),
    ],
    ids=["no-body", "number", "list-with-number", "unknown-model", "no-model", "no-input", "empty-str", "empty-list"],
)
def test_standin_embed_answers_as_ollama(
    ollama_standin: OllamaStandIn, body: bytes, status: int, answer: dict[str, Any]
) -> None:
    assert call(f"{ollama_standin.url}/api/embed", raw=body, method="POST")[:2] == (status, answer)


def test_standin_bad_json_and_unknown_paths(ollama_standin: OllamaStandIn) -> None:
    status, body, _ = call(f"{ollama_standin.url}/api/embed", raw=b'{"model": ', method="POST")
    assert status == 400 and body["error"]
    status, body, _ = call(f"{ollama_standin.url}/api/embed", raw=b'{"model": 5}', method="POST")
    assert status == 400 and "cannot unmarshal number" in body["error"]
    for method, path in [("GET", "/api/nothing"), ("GET", "/api/embed"), ("POST", "/v1/embeddings")]:
        raw = b"{}" if method == "POST" else None
        assert call(f"{ollama_standin.url}{path}", raw=raw, method=method) == (404, "404 page not found", "text/plain")


def test_standin_vectors_are_sentence_transformers_vectors(
    ollama_standin: OllamaStandIn, minilm_sentence_transformer: Any
) -> None:
    expected = minilm_sentence_transformer.encode(TEXTS, normalize_embeddings=True)
    status, body, _ = call(f"{ollama_standin.url}/api/embed", {"model": "All-MiniLM:latest", "input": TEXTS})
    assert status == 200 and body["model"] == "All-MiniLM:latest"  # the name as sent, as Ollama answers
    assert len(body["embeddings"]) == len(TEXTS)
    for got, want in zip(body["embeddings"], expected):
        assert len(got) == 384 and cosine(got, want) >= 0.9999
        assert math.isclose(float(np.linalg.norm(got)), 1.0, abs_tol=1e-5)
    assert body["prompt_eval_count"] == sum(ollama_standin.token_counts(TEXTS))
    assert body["total_duration"] > 0 and body["load_duration"] > 0

    status, one, _ = embed(ollama_standin, input=TEXTS[0])  # a single string is one input
    assert status == 200 and cosine(one["embeddings"][0], expected[0]) >= 0.9999


def test_standin_context_and_truncation(ollama_standin: OllamaStandIn, minilm_sentence_transformer: Any) -> None:
    assert ollama_standin.token_counts([LONG]) == [1130]
    status, body, _ = embed(ollama_standin, input=[TEXTS[0], LONG], truncate=False)
    assert (status, body) == (400, {"error": "the input length exceeds the context length"})

    status, body, _ = embed(ollama_standin, input=[LONG])  # truncate defaults to true: the first 512 tokens
    assert status == 200 and body["prompt_eval_count"] == 512
    assert cosine(body["embeddings"][0], first_tokens_vector(minilm_sentence_transformer, LONG, 512)) >= 0.9999

    status, body, _ = embed(ollama_standin, input=[LONG], truncate=True, options={"num_ctx": 64})
    assert status == 200 and body["prompt_eval_count"] == 64
    assert cosine(body["embeddings"][0], first_tokens_vector(minilm_sentence_transformer, LONG, 64)) >= 0.9999
    assert cosine(body["embeddings"][0], first_tokens_vector(minilm_sentence_transformer, LONG, 512)) < 0.99

    status, body, _ = embed(ollama_standin, input=[LONG], truncate=False, options={"num_ctx": 64})
    assert (status, body["error"]) == (400, "the input length exceeds the context length")
    sent = ollama_standin.embed_requests[-2]
    assert sent["options"] == {"num_ctx": 64} and sent["truncate"] is True


def test_standin_dimensions_cut_and_renormalise(
    ollama_standin: OllamaStandIn, minilm_sentence_transformer: Any
) -> None:
    full = minilm_sentence_transformer.encode([TEXTS[1]], normalize_embeddings=True)[0]
    status, body, _ = embed(ollama_standin, input=[TEXTS[1]], dimensions=64)
    assert status == 200 and len(body["embeddings"][0]) == 64
    assert math.isclose(float(np.linalg.norm(body["embeddings"][0])), 1.0, abs_tol=1e-5)
    assert cosine(body["embeddings"][0], full[:64]) >= 0.9999


def test_standin_fault_knobs(ollama_standin: OllamaStandIn) -> None:
    ollama_standin.fail_next(2, status=503, body={"error": "server busy, please try again"})
    assert embed(ollama_standin, input=TEXTS)[:2] == (503, {"error": "server busy, please try again"})
    assert embed(ollama_standin, input=TEXTS)[0] == 503
    assert embed(ollama_standin, input=TEXTS)[0] == 200

    ollama_standin.wrong_dim = True
    assert {len(v) for v in embed(ollama_standin, input=TEXTS)[1]["embeddings"]} == {383}
    ollama_standin.wrong_dim = False
    ollama_standin.wrong_count = True
    assert len(embed(ollama_standin, input=TEXTS)[1]["embeddings"]) == len(TEXTS) - 1
    ollama_standin.wrong_count = False
    ollama_standin.nan = True
    assert math.isnan(embed(ollama_standin, input=TEXTS)[1]["embeddings"][0][0])
    ollama_standin.nan = False
    ollama_standin.zero = True
    assert not any(embed(ollama_standin, input=TEXTS)[1]["embeddings"][0])
    ollama_standin.zero = False

    ollama_standin.delay_s = 0.3
    started = time.monotonic()
    assert embed(ollama_standin, input=TEXTS[:1])[0] == 200
    assert time.monotonic() - started >= 0.3


def test_standin_stop_refuses_connections(ollama_standin: OllamaStandIn) -> None:
    url = ollama_standin.url
    assert call(f"{url}/api/version")[0] == 200
    ollama_standin.stop()
    with pytest.raises(urllib.error.URLError) as caught:
        call(f"{url}/api/version")
    assert isinstance(caught.value.reason, ConnectionRefusedError)


def test_standin_stop_cuts_a_request_in_flight(ollama_standin: OllamaStandIn) -> None:
    ollama_standin.delay_s = 5.0
    outcome: list[BaseException | tuple[int, Any, str]] = []

    def ask() -> None:
        try:
            outcome.append(embed(ollama_standin, input=TEXTS))
        except (OSError, http.client.HTTPException) as exc:
            outcome.append(exc)

    asker = threading.Thread(target=ask)
    asker.start()
    time.sleep(0.3)
    started = time.monotonic()
    ollama_standin.stop()
    asker.join(10)
    assert time.monotonic() - started < 3 and len(outcome) == 1
    assert isinstance(outcome[0], (OSError, http.client.HTTPException)), outcome


def test_standin_kill_after(ollama_standin: OllamaStandIn) -> None:
    url = ollama_standin.url
    ollama_standin.kill_after(2)
    assert embed(ollama_standin, input=TEXTS[:1])[0] == 200
    assert embed(ollama_standin, input=TEXTS[:1])[0] == 200  # the last answer still arrives whole
    assert not ollama_standin.running
    with pytest.raises(urllib.error.URLError):
        call(f"{url}/api/embed", {"model": "all-minilm", "input": "a"})


# -- infinity-emb -----------------------------------------------------------------------------------------------


def test_infinity_serves_minilm_vectors_in_order(
    infinity_server: InfinityServer, minilm_sentence_transformer: Any, minilm_path: str
) -> None:
    assert infinity_server.url.startswith("http://127.0.0.1:") and infinity_server.url.endswith("/v1")
    status, models, _ = call(f"{infinity_server.url}/models")
    assert status == 200 and [m["id"] for m in models["data"]] == [infinity_server.model_name]
    # The session serves the folder under its own path (tests/conftest.py), so jinasearch finds its tokenizer.
    assert infinity_server.model_name == str(minilm_path)

    texts = [f"{t} ({i})" for i, t in enumerate(TEXTS * 12)]  # more than one batch's worth, to check the order
    expected = minilm_sentence_transformer.encode(texts, normalize_embeddings=True)
    status, body, _ = call(f"{infinity_server.url}/embeddings", {"model": infinity_server.model_name, "input": texts})
    assert status == 200 and body["model"] == infinity_server.model_name
    assert [d["index"] for d in body["data"]] == list(range(len(texts)))
    for item, want in zip(sorted(body["data"], key=lambda d: d["index"]), expected):
        assert cosine(item["embedding"], want) >= 0.999


def test_infinity_behaviours_our_client_must_expect(infinity_server: InfinityServer) -> None:
    """What the module docstring says infinity-emb 0.0.78 does; if an upgrade changes it, the docstring is stale."""
    url = f"{infinity_server.url}/embeddings"
    status, body, _ = call(url, {"model": "no-such-model", "input": ["a"]})
    assert status == 200 and body["model"] == infinity_server.model_name  # any name: the one model answers
    status, body, _ = call(url, {"model": infinity_server.model_name})
    assert status == 422 and body["detail"][0]["type"] == "missing"
    assert call(url, {"model": infinity_server.model_name, "input": []})[0] == 422
    assert call(url, {"model": infinity_server.model_name, "input": [5]})[0] == 422
    assert call(url, raw=b'{"model": ', method="POST")[0] == 422
    assert call(f"{infinity_server.url}/nothing")[:2] == (404, {"detail": "Not Found"})
    status, body, _ = call(url, {"model": infinity_server.model_name, "input": ["hi"], "dimensions": 10})
    assert status == 200 and len(body["data"][0]["embedding"]) == 10
    assert float(np.linalg.norm(body["data"][0]["embedding"])) < 0.5  # cut, not normalised again


def test_infinity_kill_makes_the_next_request_fail(infinity_server: InfinityServer) -> None:
    url = f"{infinity_server.url}/embeddings"
    assert call(url, {"model": infinity_server.model_name, "input": ["a"]})[0] == 200
    infinity_server.kill()
    assert not infinity_server.alive()
    with pytest.raises(urllib.error.URLError) as caught:
        call(url, {"model": infinity_server.model_name, "input": ["a"]})
    assert isinstance(caught.value.reason, ConnectionRefusedError)

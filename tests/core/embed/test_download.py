"""First-run download: byte progress is forwarded, offline fails fast with what to do, local folders are left alone."""

from __future__ import annotations

import time

import pytest

from jinasearch.core.embed import download
from jinasearch.core.errors import ModelUnavailableError


def test_progress_class_forwards_byte_counts_only() -> None:
    seen: list[tuple[int, int]] = []
    cls = download._progress_class(lambda done, total: seen.append((done, total)))
    files = cls(total=3, unit="it")
    files.update(1)
    nbytes = cls(total=1000, unit="B")
    nbytes.update(400)
    nbytes.update(600)
    assert seen == [(400, 1000), (1000, 1000)]


def test_offline_uncached_model_fails_fast_with_advice(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))  # an empty cache
    t0 = time.monotonic()
    with pytest.raises(ModelUnavailableError, match="internet"):
        download.fetch_model("jinaai/jina-embeddings-v2-small-en")
    assert time.monotonic() - t0 < 30  # no minute-long retry loop (generous: this is not a timing test)


def test_unreachable_hub_is_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: nothing listens
    assert download.hub_reachable(timeout=1.0) is False


def test_local_folder_needs_no_download(minilm_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(download, "hub_reachable", lambda timeout=3.0: pytest.fail("network touched"))
    download.fetch_model(minilm_path)

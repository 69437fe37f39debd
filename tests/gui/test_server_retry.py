"""After a run the embedding server cut short, the app runs again on its own, backing off; not for a
server that refuses the request, and from the start again once a run completes."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.config import Settings
from jinasearch.core.errors import ServerModelMissingError, ServerUnreachableError
from jinasearch.core.jobs import IndexJob, JobResult, JobState
from jinasearch.core.run_records import IndexSummary, RunOutcome
from jinasearch.gui.server_retry import ServerRetry

URL = "http://127.0.0.1:9"


def result(tmp_path: Path, state: str, lost: Exception | None = None) -> JobResult:
    job = IndexJob(Settings(data_dir=tmp_path), (str(tmp_path),))
    return JobResult(job, JobState.DONE, RunOutcome(state, IndexSummary(), lost))  # type: ignore[arg-type]


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ServerRetry, "FIRST_S", 0.05)
    monkeypatch.setattr(ServerRetry, "MAX_S", 0.2)


def test_a_server_that_went_away_gets_another_run_later_with_backoff(qtbot, tmp_path: Path, quick: None) -> None:  # type: ignore[no-untyped-def]
    runs: list[int] = []
    retry = ServerRetry(lambda: runs.append(1))
    gone = ServerUnreachableError("cannot reach the embedding server", URL)
    retry.after(result(tmp_path, "keyword-only", gone))
    qtbot.waitUntil(lambda: len(runs) == 1, timeout=2000)
    for _ in range(4):  # 0.1, 0.2, then capped at 0.2 s
        retry.after(result(tmp_path, "keyword-only", gone))
        assert retry.pending_s is not None and retry.pending_s <= ServerRetry.MAX_S + 0.01
    qtbot.waitUntil(lambda: len(runs) == 2, timeout=2000)
    retry.after(result(tmp_path, "done"))  # the vectors are in: no more tries, and the next fault starts over
    assert retry.pending_s is None
    retry.after(result(tmp_path, "keyword-only", gone))
    assert retry.pending_s is not None and retry.pending_s <= ServerRetry.FIRST_S + 0.01


def test_a_server_that_refuses_the_request_is_not_asked_again_on_its_own(qtbot, tmp_path: Path, quick: None) -> None:  # type: ignore[no-untyped-def]
    runs: list[int] = []
    retry = ServerRetry(lambda: runs.append(1))
    missing = ServerModelMissingError("run `ollama pull x` on the server", URL, status=404, detail="not found")
    retry.after(result(tmp_path, "keyword-only", missing))
    assert retry.pending_s is None
    qtbot.wait(200)
    assert runs == []


def test_a_model_that_failed_to_load_is_loaded_again_before_the_run(qtbot, tmp_path: Path, quick: None) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []
    retry = ServerRetry(lambda: calls.append("run"), reload=lambda: calls.append("load"), load_failed=lambda: True)
    retry.after(result(tmp_path, "keyword-only", ServerUnreachableError("cannot reach the embedding server", URL)))
    qtbot.waitUntil(lambda: calls == ["load", "run"], timeout=2000)

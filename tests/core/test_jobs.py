"""The app's job queue: a job that switches a folder is never swallowed by a queued job that does not."""

from __future__ import annotations

from pathlib import Path

from jinasearch.core.config import Settings
from jinasearch.core.jobs import IndexJob, JobQueue


def test_a_job_switching_ocr_is_not_swallowed_by_a_queued_job_without_it(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    q = JobQueue()
    assert q.add(IndexJob(settings, ("/a", "/b")))
    assert not q.add(IndexJob(settings, ("/a",)))  # a watcher's burst: the queued run covers it
    assert q.add(IndexJob(settings, ("/a",), ocr=False))  # the switch must run, or the click did nothing
    assert not q.add(IndexJob(settings, ("/a",), ocr=False))  # the same switch twice runs once
    assert q.add(IndexJob(settings, ("/a",), ocr=True))
    assert not q.add(IndexJob(settings, ("/a",)))  # leaving the switch as it is: covered by either
    assert [j.ocr for j in q.waiting] == [None, False, True]

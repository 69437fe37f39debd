"""Files a limit of this machine stopped (time, memory) are read again on later runs, a bounded number of
times; files that failed by themselves (damaged) wait until they change."""

from __future__ import annotations

from pathlib import Path

from jinasearch.core.config import LIMIT_TRIES
from jinasearch.core.extract.pool import ProcessRunner
from jinasearch.core.extract.runner import InlineRunner
from jinasearch.core.library import read_status
from tests.core.robust import proc

MISBEHAVE = "tests.core.robust.misbehave:misbehave"


def _failed(data: Path) -> dict[str, str]:
    return {Path(f.path).name: f.reason for f in read_status(proc.settings(data)).failed}


def test_a_timed_out_file_is_retried_on_the_next_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "slow.txt").write_text("HANG until the limit, then a note about glaciers")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (corpus / "fine.txt").write_text("a perfectly fine note about fjords")
    data = tmp_path / "data"
    # A busy hour: the reading of slow.txt hits the time limit.
    first = proc.index(data, corpus, runner=ProcessRunner(1, timeout_s=2, target=MISBEHAVE))
    assert first.summary.failed == 2
    assert "made no progress" in _failed(data)["slow.txt"]
    # The next run reads slow.txt again (with the normal extraction it reads fine); the damaged PDF,
    # unchanged, is not read again.
    second = proc.index(data, corpus, runner=InlineRunner())
    assert second.summary.indexed == 1 and second.summary.unchanged == 2
    assert set(_failed(data)) == {"broken.pdf"}


def test_a_file_that_always_hits_the_limit_is_tried_a_bounded_number_of_times(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "slow.txt").write_text("HANG every time")
    (corpus / "fine.txt").write_text("a perfectly fine note about fjords")
    data = tmp_path / "data"
    tried = []
    for _ in range(LIMIT_TRIES + 1):
        run = proc.index(data, corpus, runner=ProcessRunner(1, timeout_s=1, target=MISBEHAVE))
        tried.append(run.summary.failed)
    assert tried == [1] * LIMIT_TRIES + [0]  # then it waits until the file changes
    assert "made no progress" in _failed(data)["slow.txt"]
    (corpus / "slow.txt").write_text("HANG again, changed")
    # A changed file is read, and counts its tries afresh: the run after is a retry again.
    for _ in range(2):
        assert proc.index(data, corpus, runner=ProcessRunner(1, timeout_s=1, target=MISBEHAVE)).summary.failed == 1


def test_a_retry_that_reads_less_keeps_the_better_reading(tmp_path: Path) -> None:
    """Stored: three passages of a reading a limit cut short. A retry of the same file that fails, or
    reads less, counts as a try and keeps them; once the file changes, its new reading is stored."""
    from jinasearch.core.models import Chunk, Extracted
    from jinasearch.core.store import Store

    store = Store(tmp_path / "index.sqlite3")
    try:
        folder = store.add_folder("/docs", ())
        chunks = [Chunk(ordinal=i, text=f"part {i}", char_start=7 * i, char_end=7 * i + 6) for i in range(3)]
        text = Extracted("part 0 part 1 part 2", partial="stopped reading at page 4: made no progress for 5 s")
        common = {"folder_id": folder, "path": "/docs/a.pdf", "size": 10, "mtime": 1.0, "reader": 9}
        store.replace_document(**common, content_hash="h", extracted=text, chunks=chunks, limited=True)
        store.mark_failed(**common, content_hash=None, reason="stopped responding for 60 s", limited=True)
        store.replace_document(**common, content_hash="h", extracted=text, chunks=chunks[:1], limited=True)
        row = store.document("/docs/a.pdf")
        assert row is not None and (row.status, row.limit_tries) == ("indexed", 3)
        assert store.conn.execute("SELECT n_passages FROM documents").fetchone()[0] == 3
        changed = {**common, "mtime": 2.0}
        store.mark_failed(**changed, content_hash=None, reason="stopped responding for 60 s", limited=True)
        row = store.document("/docs/a.pdf")
        assert row is not None and (row.status, row.limit_tries) == ("failed", 1)
    finally:
        store.close()

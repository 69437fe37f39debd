"""A file read again because it changed while it was read: the watchdog judges the second reading afresh
(core/extract/job.py), so its hashing and setup do not count as the first reading's stall, nor its CPU
against the first reading's budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.extract.limits import Limits
from jinasearch.core.extract.pool import ProcessRunner
from jinasearch.core.scan import scan
from tests.core.docgen import pdf_bytes
from tests.core.extract.changing import NEW_TEXT

STAND_IN = "tests.core.extract.changing:changes_while_read"


@pytest.mark.parametrize(
    "name, limits",
    [
        # Hashing the saved file spins 1.5 s of CPU before the second reading's first page: past a 1 s
        # stall limit when the first reading's last page still counted as the latest progress.
        ("spin-hash-1.5.pdf", Limits(30, 0, 1.0, 30, 30, 0.2)),
        # Each reading's first page takes 1.2 s of CPU: 2.4 s in all, past a 2 s budget for the file
        # when the second reading spent what was left of the first one's.
        ("spin-page-1.2.pdf", Limits(2.0, 0, 30, 30, 30, 0.2)),
    ],
)
def test_a_file_read_again_after_it_changed_starts_with_fresh_progress(
    tmp_path: Path, name: str, limits: Limits
) -> None:
    (tmp_path / name).write_bytes(pdf_bytes(["The first version of the notes.", "Its second page.", "Third."]))
    runner = ProcessRunner(1, limits=limits, target=STAND_IN)
    try:
        (result,) = list(runner.run(list(scan([tmp_path])), {}))
    finally:
        runner.close()
    assert result.error is None and result.extracted is not None
    assert result.extracted.partial is None  # read whole: not stopped by the watchdog
    assert NEW_TEXT[0] in result.extracted.text and "first version" not in result.extracted.text
    assert [p.number for p in result.extracted.pages] == [1, 2, 3]
    assert runner.replaced == 0  # the worker was not ended

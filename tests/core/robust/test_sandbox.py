"""Hostile files: hangs, crashes and memory blow-ups cost one file, with a readable reason; caps before parsing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jinasearch.core.extract.limits import Limits
from jinasearch.core.extract.pool import ProcessRunner
from jinasearch.core.extract.runner import InlineRunner, Result
from jinasearch.core.models import FileInfo
from jinasearch.core.scan import scan

from .files import pdf_bytes, write_docx_bomb

MISBEHAVE = "tests.core.robust.misbehave:misbehave"


def infos(folder: Path) -> list[FileInfo]:
    return list(scan([folder]))


def by_name(results: list[Result]) -> dict[str, Result]:
    return {os.path.basename(r.file.path): r for r in results}


def test_hang_crash_and_bloat_cost_one_file_each(tmp_path: Path) -> None:
    for name, body in [
        ("hang.txt", "HANG"),
        ("spin.txt", "SPIN"),
        ("crash.txt", "CRASH"),
        ("exit.txt", "EXIT"),
        ("bloat.txt", "BLOAT"),
        ("ok1.txt", "a perfectly fine note"),
        ("ok2.md", "# another"),
    ]:
        (tmp_path / name).write_text(body)
    runner = ProcessRunner(2, timeout_s=3, memory_mb=300, target=MISBEHAVE)
    results = by_name(list(runner.run(infos(tmp_path), {})))
    assert set(results) == {"hang.txt", "spin.txt", "crash.txt", "exit.txt", "bloat.txt", "ok1.txt", "ok2.md"}
    # Limits by what the parser does, not by the clock: idle (sleeping) or burning CPU past its budget.
    assert results["hang.txt"].error == "stopped reading: made no progress for 3 s"
    assert results["spin.txt"].error == "stopped reading: took over 3 s of CPU time"
    assert results["crash.txt"].error == "extractor crashed (SIGSEGV)"
    assert results["exit.txt"].error == "extractor crashed (exit code 3)"
    assert results["bloat.txt"].error == "too large to extract in memory"
    assert results["ok1.txt"].extracted is not None and results["ok1.txt"].extracted.text == "a perfectly fine note"
    assert results["ok2.md"].extracted is not None
    # Limits of this machine are worth another run; a crash of the parser's own is the file's.
    assert {n for n, r in results.items() if r.limited} == {"hang.txt", "spin.txt", "bloat.txt"}
    assert runner.replaced == 4  # hang, spin, crash, exit: each worker stopped or lost, and replaced
    assert runner._live == set()  # every worker is gone once the run ends


def test_results_arrive_while_a_file_hangs(tmp_path: Path) -> None:
    """Completion order: good files are yielded before the hung one times out (no head-of-line blocking)."""
    (tmp_path / "a.txt").write_text("HANG")
    for i in range(5):
        (tmp_path / f"b{i}.txt").write_text(f"fine file number {i}")
    runner = ProcessRunner(2, timeout_s=3, target=MISBEHAVE)
    order = [os.path.basename(r.file.path) for r in runner.run(infos(tmp_path), {})]
    assert order[-1] == "a.txt" and len(order) == 6


def test_closing_the_generator_kills_busy_workers(tmp_path: Path) -> None:
    """Cancel = close the generator: workers stuck on hung files are killed, not waited for."""
    (tmp_path / "a.txt").write_text("fine")
    for i in range(4):
        (tmp_path / f"h{i}.txt").write_text("HANG")
    runner = ProcessRunner(2, timeout_s=600, target=MISBEHAVE)
    gen = runner.run(infos(tmp_path), {})
    first = next(gen)
    assert first.extracted is not None
    procs = [w.proc for w in list(runner._live)]
    assert procs
    gen.close()
    assert runner._live == set()
    assert all(p._closed or not p.is_alive() for p in procs)


def test_damaged_and_oversized_files_fail_with_reasons(tmp_path: Path) -> None:
    good = pdf_bytes(["The first page talks about volcanoes.", "The second page talks about glaciers."])
    (tmp_path / "good.pdf").write_bytes(good)
    (tmp_path / "truncated.pdf").write_bytes(good[: len(good) // 3])
    (tmp_path / "header-only.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "garbage.pdf").write_bytes(os.urandom(4096))
    write_docx_bomb(tmp_path / "bomb.docx", expands_mb=64)
    (tmp_path / "notzip.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 cr\xe8me br\xfbl\xe9e, d\xe9j\xe0 vu".encode("latin-1"))
    (tmp_path / "broken-utf8.md").write_bytes(b"valid start \xff\xfe\xc3\x28 and a valid end")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 1000)
    with open(tmp_path / "huge.txt", "wb") as fh:  # sparse: 300 MB on paper, nothing on disk
        fh.truncate(300 * 1024 * 1024)
    results = by_name(list(ProcessRunner(2, timeout_s=30).run(infos(tmp_path), {})))
    assert results["good.pdf"].extracted is not None
    assert [p.number for p in results["good.pdf"].extracted.pages] == [1, 2]
    for name in ("truncated.pdf", "header-only.pdf", "garbage.pdf"):
        assert results[name].error, name
        assert "PDF" in results[name].error or "no text" in results[name].error, results[name].error
    assert "decompression bomb" in (results["bomb.docx"].error or "")
    assert "damaged" in (results["notzip.docx"].error or "")
    # Invalid UTF-8 is decoded (encoding guessed on so few bytes may be off by a letter), never a failure.
    assert results["latin1.txt"].extracted.text.startswith("café cr")  # type: ignore[union-attr]
    text = results["broken-utf8.md"].extracted.text  # type: ignore[union-attr]
    assert text.startswith("valid start") and text.endswith("and a valid end")
    assert results["binary.txt"].error == "binary content, not text"
    assert results["huge.txt"].error == "too large to index (315 MB; limit 210 MB)"


def test_inline_and_sandboxed_runners_agree(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("alpha beta gamma")
    (tmp_path / "b.pdf").write_bytes(pdf_bytes(["delta epsilon"]))
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4 broken")
    files = infos(tmp_path)
    inline = sorted(InlineRunner().run(files, {}), key=lambda r: r.file.path)
    sandboxed = sorted(ProcessRunner(2).run(files, {}), key=lambda r: r.file.path)
    assert inline == sandboxed


def test_workers_are_recycled_and_default_runner_is_sandboxed(tmp_path: Path) -> None:
    from jinasearch.core.extract.pool import default_runner

    for i in range(5):
        (tmp_path / f"n{i}.txt").write_text(f"note number {i}")
    runner = ProcessRunner(1, max_tasks=2)  # a fresh worker every two files bounds any parser leak
    results = list(runner.run(infos(tmp_path), {}))
    assert sorted(r.extracted.text for r in results if r.extracted) == [f"note number {i}" for i in range(5)]
    assert runner.replaced == 0 and runner._live == set()
    assert isinstance(default_runner(), ProcessRunner)


def test_a_worker_that_cannot_start_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("fine")
    runner = ProcessRunner(1, target="tests.core.robust.no_such_module:extract")
    with pytest.raises(RuntimeError, match="could not start an extraction worker"):
        list(runner.run(infos(tmp_path), {}))
    assert runner._live == set()


@pytest.mark.parametrize("name", ["manual-spin.pdf", "manual-sleep.pdf"])
def test_a_page_that_hangs_keeps_the_pages_before_it(tmp_path: Path, name: str) -> None:
    """Page 4 of 10 never finishes: pages 1-3 are kept, the rest recorded with the reason."""
    pages = [f"Page {i + 1} is about topic number {i + 1} and the word marker{i + 1}." for i in range(10)]
    (tmp_path / name).write_bytes(pdf_bytes(pages))
    runner = ProcessRunner(1, limits=Limits(10, 0, 2, 2, 20, 0.5), target="tests.core.robust.misbehave:hang_on_page")
    (result,) = list(runner.run(infos(tmp_path), {}))
    assert result.error is None and result.extracted is not None
    text = result.extracted.text
    assert "marker1" in text and "marker3" in text and "marker4" not in text
    assert [p.number for p in result.extracted.pages] == [1, 2, 3]
    reason = result.extracted.partial or ""
    assert reason.startswith("stopped reading at page 4 of 10: ")
    assert ("no progress for 2 s of CPU time" if "spin" in name else "made no progress for 2 s") in reason
    assert runner.replaced == 1 and runner._live == set()


def test_a_frozen_worker_is_killed_when_it_falls_silent(tmp_path: Path) -> None:
    (tmp_path / "frozen.txt").write_text("FREEZE")
    (tmp_path / "fine.txt").write_text("a fine note about kettles")
    runner = ProcessRunner(2, limits=Limits(60, 0, 60, 60, 3, 0.5), target="tests.core.robust.misbehave:freeze")
    results = by_name(list(runner.run(infos(tmp_path), {})))
    assert results["frozen.txt"].error == "stopped responding for 3 s"
    assert results["fine.txt"].extracted is not None
    assert runner.replaced == 1

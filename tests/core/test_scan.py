"""scan(): junk and hidden folders skipped, exclusion globs, symlink loops end, special files never yielded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jinasearch.core.scan import is_excluded, scan


def touch(path: Path, text: str = "hello") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def names(root: Path, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return [os.path.relpath(f.path, root) for f in scan([root], **kw)]


def test_skips_hidden_and_junk_folders(tmp_path: Path) -> None:
    touch(tmp_path / "a.txt")
    touch(tmp_path / "sub" / "b.md")
    for junk in (
        ".git/x.txt",
        "node_modules/pkg/readme.md",
        "__pycache__/m.txt",
        ".venv/lib/x.txt",
        "venv/x.txt",
        ".hidden/y.txt",
        "sub/.secret.txt",
    ):
        touch(tmp_path / junk)
    assert names(tmp_path) == ["a.txt", os.path.join("sub", "b.md")]


def test_exclude_globs_match_names_and_paths(tmp_path: Path) -> None:
    touch(tmp_path / "keep.txt")
    touch(tmp_path / "app.log")
    touch(tmp_path / "drafts" / "d.txt")
    touch(tmp_path / "build" / "out.txt")
    got = names(tmp_path, excludes=["*.log", "*/drafts/*", "build"])
    assert got == ["keep.txt"]
    assert is_excluded("/x/drafts/d.txt", "d.txt", ["*/drafts/*"])
    assert not is_excluded("/x/a.txt", "a.txt", ["*.log"])


def test_file_info_and_accept_filter(tmp_path: Path) -> None:
    f = touch(tmp_path / "a.txt", "12345")
    touch(tmp_path / "b.bin")
    infos = list(scan([tmp_path], accept=lambda p: p.endswith(".txt")))
    assert [i.path for i in infos] == [str(f)]
    assert infos[0].size == 5 and infos[0].mtime == f.stat().st_mtime


def test_root_may_be_a_file_and_missing_root_is_reported(tmp_path: Path) -> None:
    f = touch(tmp_path / "a.txt")
    errors: list[tuple[str, str]] = []
    got = list(scan([f, tmp_path / "nope"], on_error=lambda p, r: errors.append((p, r))))
    assert [i.path for i in got] == [str(f)]
    assert errors and errors[0][0].endswith("nope") and "cannot read" in errors[0][1]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_terminates_and_files_counted_once(tmp_path: Path) -> None:
    touch(tmp_path / "a" / "x.txt")
    os.symlink(tmp_path, tmp_path / "a" / "loop")  # a -> root -> a -> ...
    os.symlink(tmp_path / "a", tmp_path / "a" / "self")
    os.symlink(tmp_path / "a" / "x.txt", tmp_path / "link.txt")  # same file twice
    os.symlink(tmp_path / "missing.txt", tmp_path / "dangling.txt")
    got = list(scan([tmp_path]))
    # One file reached by two routes is yielded once (whichever route the walk meets first).
    assert len(got) == 1 and Path(got[0].path).resolve() == (tmp_path / "a" / "x.txt").resolve()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_not_yielded(tmp_path: Path) -> None:
    touch(tmp_path / "a.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    assert names(tmp_path) == ["a.txt"]


def test_unreadable_folder_is_reported_not_fatal(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    touch(tmp_path / "a.txt")
    locked = tmp_path / "locked"
    touch(locked / "b.txt")
    locked.chmod(0)
    try:
        errors: list[tuple[str, str]] = []
        got = [i.path for i in scan([tmp_path], on_error=lambda p, r: errors.append((p, r)))]
    finally:
        locked.chmod(0o755)
    assert got == [str(tmp_path / "a.txt")]
    assert errors and errors[0][0] == str(locked)

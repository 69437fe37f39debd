"""scan(): built-in rules skip junk and record each skip, user globs, symlink loops end, special files never yielded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jinasearch.core.config import DEFAULT_EXCLUDE_RULES
from jinasearch.core.run_records import Skipped
from jinasearch.core.scan import is_excluded, scan


def touch(path: Path, text: str = "hello") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def names(root: Path, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return [os.path.relpath(f.path, root) for f in scan([root], **kw)]


def test_skips_hidden_and_junk_folders_and_records_each_with_its_rule(tmp_path: Path) -> None:
    touch(tmp_path / "a.txt")
    touch(tmp_path / "sub" / "b.md")
    for junk in (
        ".git/x.txt",
        "node_modules/pkg/readme.md",
        "__pycache__/m.txt",
        ".venv/lib/x.txt",
        "myenv/pyvenv.cfg",
        "myenv/lib/x.txt",
        "conda/conda-meta/history",
        "conda/x.txt",
        "py/site-packages/x.txt",
        ".hidden/y.txt",
        "sub/.secret.txt",
    ):
        touch(tmp_path / junk)
    skipped: list[Skipped] = []
    assert names(tmp_path, on_skip=skipped.append) == ["a.txt", os.path.join("sub", "b.md")]
    assert {(os.path.relpath(s.path, tmp_path), s.rule) for s in skipped} == {
        (".git", "hidden"),
        (".hidden", "hidden"),
        (".venv", "hidden"),
        ("__pycache__", "__pycache__"),
        ("conda", "python-env"),
        ("myenv", "python-env"),
        ("node_modules", "node_modules"),
        (os.path.join("py", "site-packages"), "site-packages"),
        (os.path.join("sub", ".secret.txt"), "hidden"),
    }
    assert set(DEFAULT_EXCLUDE_RULES) == {s.rule for s in skipped}  # every rule has been seen to work


def test_a_users_folders_named_env_venv_build_or_lib_are_indexed(tmp_path: Path) -> None:
    for folder in ("env", "venv", "build", "lib"):
        touch(tmp_path / folder / "notes.txt")
    skipped: list[Skipped] = []
    got = names(tmp_path, on_skip=skipped.append)
    assert got == [os.path.join(f, "notes.txt") for f in ("build", "env", "lib", "venv")]
    assert skipped == []


def test_switched_off_the_built_in_rules_skip_nothing_and_the_users_globs_still_do(tmp_path: Path) -> None:
    touch(tmp_path / "node_modules" / "pkg" / "readme.md")
    touch(tmp_path / "venv" / "pyvenv.cfg")
    touch(tmp_path / "venv" / "notes.txt")
    touch(tmp_path / ".notes" / "n.txt")
    touch(tmp_path / "app.log")
    skipped: list[Skipped] = []
    got = names(tmp_path, excludes=["*.log"], default_excludes=False, on_skip=skipped.append)
    assert got == [
        os.path.join(".notes", "n.txt"),
        os.path.join("node_modules", "pkg", "readme.md"),
        os.path.join("venv", "notes.txt"),
        os.path.join("venv", "pyvenv.cfg"),
    ]
    assert skipped == []


def test_a_root_is_indexed_even_when_a_rule_would_skip_it(tmp_path: Path) -> None:
    env = tmp_path / ".env-docs"
    touch(env / "pyvenv.cfg")
    touch(env / "notes.txt")
    assert names(env, accept=lambda p: p.endswith(".txt")) == ["notes.txt"]


def test_hidden_files_nobody_would_read_are_not_listed(tmp_path: Path) -> None:
    touch(tmp_path / ".DS_Store")
    touch(tmp_path / ".todo.txt")
    skipped: list[Skipped] = []
    list(scan([tmp_path], accept=lambda p: p.endswith(".txt"), on_skip=skipped.append))
    assert [os.path.basename(s.path) for s in skipped] == [".todo.txt"]


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

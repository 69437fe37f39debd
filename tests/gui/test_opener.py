"""Opening a PDF at its page: the command for each known viewer, and no command when none fits."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from jinasearch.gui.opener import PAGE_VIEWERS, page_command


def install(bin_dir: Path, name: str) -> str:
    exe = bin_dir / name
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return str(exe)


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))  # only the viewers this test installs exist
    return folder


@pytest.mark.parametrize(("viewer", "args"), PAGE_VIEWERS)
def test_each_known_viewer_gets_the_page_in_its_own_syntax(bin_dir: Path, viewer: str, args: tuple[str, ...]) -> None:
    exe = install(bin_dir, viewer)
    cmd = page_command("/docs/manual.pdf", 212)
    assert cmd == [exe, *(a.format(page=212) for a in args), "/docs/manual.pdf"]
    assert any("212" in part for part in cmd[1:-1])


def test_the_first_viewer_in_the_list_wins(bin_dir: Path) -> None:
    install(bin_dir, "okular")
    evince = install(bin_dir, "evince")
    cmd = page_command("/docs/a.PDF", 3)
    assert cmd is not None and cmd[0] == evince and cmd[1] == "--page-label=3"


def test_no_command_without_a_viewer_a_page_or_a_pdf(bin_dir: Path) -> None:
    assert page_command("/docs/manual.pdf", 5) is None  # nothing installed: the system opener is used
    install(bin_dir, "evince")
    assert page_command("/docs/manual.pdf", None) is None
    assert page_command("/docs/notes.txt", 5) is None
    assert os.environ["PATH"] == str(bin_dir)

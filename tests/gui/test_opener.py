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


# -- names that are not UTF-8: the opener and the clipboard get the name's exact bytes ------------------

RAW_FILE = b"caf\xe9.txt"  # Latin-1 'café.txt': not valid UTF-8


def recorder(bin_dir: Path, name: str, out: Path) -> str:
    """An opener that writes the arguments it got, one a line, as the bytes it got."""
    exe = bin_dir / name
    exe.write_text(
        f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "{out}.tmp" && /bin/mv "{out}.tmp" "{out}"\n'
    )
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return str(exe)


def got(qtbot, out: Path) -> list[bytes]:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(out.exists, timeout=5000)
    return out.read_bytes().splitlines()


def odd_file(tmp_path: Path, folder: bytes = b"docs", name: bytes = RAW_FILE) -> tuple[bytes, str]:
    """A real file whose name is not UTF-8: (its exact path, its path as records hold it)."""
    from jinasearch.core.scan import record_path

    raw = os.path.join(os.fsencode(tmp_path), folder, name)
    os.makedirs(os.path.dirname(raw), exist_ok=True)
    with open(raw, "wb") as f:
        f.write(b"%PDF-1.4" if name.endswith(b".pdf") else b"menu du jour")
    return raw, record_path(os.fsdecode(raw))


def test_a_name_that_is_not_utf8_reaches_the_opener_byte_for_byte(qtbot, bin_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jinasearch.gui.opener import open_file, open_folder

    raw, record = odd_file(tmp_path, b"d\xe9p\xf4t")
    out = tmp_path / "argv"
    assert not open_file(record)  # no opener at all: said so (the window shows why), never a mangled name
    recorder(bin_dir, "xdg-open", out)
    assert open_file(record) and got(qtbot, out) == [raw]
    out.unlink()
    assert open_folder(record) and got(qtbot, out) == [os.path.dirname(raw)]


def test_a_pdf_that_is_not_utf8_opens_at_its_page_byte_for_byte(qtbot, bin_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jinasearch.gui.opener import open_file

    raw, record = odd_file(tmp_path, name=b"r\xe9sum\xe9.pdf")
    out = tmp_path / "argv"
    recorder(bin_dir, "evince", out)
    assert page_command(os.fsdecode(raw), 7) == [str(bin_dir / "evince"), "--page-label=7", os.fsdecode(raw)]
    assert open_file(record, 7) and got(qtbot, out) == [b"--page-label=7", raw]


def test_copy_path_puts_the_real_name_on_the_clipboard(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QGuiApplication

    from jinasearch.gui.opener import copy_path

    raw, record = odd_file(tmp_path)
    copy_path(record)
    mime = QGuiApplication.clipboard().mimeData()
    assert bytes(mime.data("text/plain")) == raw
    uri = bytes(mime.data("text/uri-list")).strip()
    assert uri.startswith(b"file:///") and uri.endswith(b"/docs/caf%E9.txt")
    copy_path(str(tmp_path / "plain name é.txt"))  # a UTF-8 name stays plain text
    assert QGuiApplication.clipboard().text() == str(tmp_path / "plain name é.txt")


def test_the_window_opens_and_copies_a_name_that_is_not_utf8(qtbot, make_window, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    from tests.gui.helpers import index_folder, search

    raw, _record = odd_file(tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    out = tmp_path / "argv"
    recorder(bin_dir, "xdg-open", out)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    w = make_window()
    index_folder(qtbot, w, tmp_path / "docs")
    (hit,) = search(qtbot, w, "menu du jour")
    w.results.copy_action.trigger()
    assert bytes(QGuiApplication.clipboard().mimeData().data("text/plain")) == raw
    w.results.list.setFocus()
    qtbot.keyClick(w.results.list, Qt.Key.Key_Return)
    assert got(qtbot, out) == [raw] and not w.banner.isVisible()

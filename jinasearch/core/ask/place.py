"""Where the running app listens for the command line, and the key that proves a caller is the same user.

A Unix socket (a named pipe on Windows) in the user's runtime folder, never a network port. The folder
is made 0700 and checked to be this user's: nobody else can reach the socket or read the key beside it.
The key is new at each start of the app, so it is only good while that app runs. One socket per data
directory: two apps on two indexes each answer for their own.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..config import APP_NAME

Family = Literal["AF_UNIX", "AF_PIPE"]
KEY_BYTES = 32
# sockaddr_un holds 108 bytes on Linux, 104 on macOS: a longer runtime folder falls back to the temp folder.
MAX_SOCKET_PATH = 100


class AskPlaceError(OSError):
    """The runtime folder cannot be made private (another user owns it, or it is open to others)."""


@dataclass(frozen=True)
class Place:
    """The address the app listens on for one data directory, and the key file beside it."""

    folder: Path
    address: str
    family: Family
    key_path: Path


def place_for(data_dir: Path | str) -> Place:
    """The one address for `data_dir` (the same from the app and from the command line)."""
    tag = hashlib.sha256(os.path.realpath(os.path.expanduser(data_dir)).encode("utf-8", "surrogateescape"))
    name = "ask-" + tag.hexdigest()[:16]
    folder = _runtime_folder()
    if sys.platform == "win32":
        # Pipe names are global on Windows: the user's name keeps two users' apps apart; the key, in the
        # user's own folder, keeps others out.
        user = hashlib.sha256(os.environ.get("USERNAME", "").encode("utf-8")).hexdigest()[:8]
        return Place(folder, rf"\\.\pipe\{APP_NAME}-{user}-{name}", "AF_PIPE", folder / f"{name}.key")
    address = str(folder / f"{name}.sock")
    if len(os.fsencode(address)) > MAX_SOCKET_PATH:
        folder = Path(tempfile.gettempdir()) / f"{APP_NAME}-{os.getuid()}"
        address = str(folder / f"{name}.sock")
    return Place(folder, address, "AF_UNIX", folder / f"{name}.key")


def _runtime_folder() -> Path:
    from platformdirs import user_runtime_dir

    with warnings.catch_warnings():
        # Without $XDG_RUNTIME_DIR platformdirs warns and uses /tmp/runtime-UID; made private below.
        warnings.simplefilter("ignore")
        return Path(user_runtime_dir(APP_NAME, appauthor=False))


def prepare(place: Place) -> None:
    """Make the folder (0700) and check that it is this user's alone; AskPlaceError when it is not."""
    try:
        # Missing parents 0700 too (Path.mkdir would make them 0755): platformdirs accepts only a private
        # $XDG_RUNTIME_DIR, so one made open here would send the next caller to another folder.
        for folder in reversed([place.folder, *place.folder.parents]):
            if not folder.exists():
                folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise AskPlaceError(f"cannot make {place.folder}: {exc.strerror}") from None
    check_private(place.folder, fix=True)


def check_private(folder: Path, *, fix: bool = False) -> None:
    """A folder someone else owns or can open could hold their socket, or let them read the key.
    `fix`: close our own folder that is open to others (the app's start; a reader only refuses)."""
    if sys.platform == "win32":
        return  # the user's local app data folder: Windows keeps other users out of it
    st = folder.stat()
    if st.st_uid != os.getuid():
        raise AskPlaceError(f"{folder} belongs to another user")
    if stat.S_IMODE(st.st_mode) & 0o077:
        if not fix:
            raise AskPlaceError(f"{folder} is open to other users")
        try:
            os.chmod(folder, 0o700)  # ours, made by an older umask or a tool: close it
        except OSError:
            raise AskPlaceError(f"{folder} is open to other users") from None


def write_key(place: Place) -> bytes:
    """A new random key in a 0600 file (written whole, then moved in: a reader never sees half of it)."""
    key = secrets.token_bytes(KEY_BYTES)
    tmp = place.key_path.with_name(f"{place.key_path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, key)
    finally:
        os.close(fd)
    os.replace(tmp, place.key_path)
    return key


def read_key(place: Place) -> bytes | None:
    """The running app's key; None when there is none (no app, or one that has quit)."""
    try:
        check_private(place.folder)
        key = place.key_path.read_bytes()
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


def remove(path: Path | str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass

"""What a person can do with a result: open it (at its page), show its folder, copy its path; and, when
the system has no application to do it, say so in the window with the way out."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..core.attached import split_attached, written_out
from ..core.errors import AttachmentGoneError
from ..core.models import Hit
from . import opener

if TYPE_CHECKING:
    from .progress import Banner


def open_hit(hit: Hit) -> bool:
    """Open the hit's file at its page; a mail attachment (core/attached.py) is not a file on disk, so a
    copy of it is written out of its mail into a private temporary folder and opened. Raises
    AttachmentGoneError when the mail no longer holds it."""
    where = split_attached(hit.path)
    if where is None or os.path.exists(hit.path):
        return opener.open_file(hit.path, hit.page)
    return opener.open_file(str(written_out(where)), hit.page)


def reveal_hit(hit: Hit) -> bool:
    return opener.open_folder(_file_of(hit))


def copy_hit_path(hit: Hit) -> None:
    opener.copy_path(_file_of(hit))


def _file_of(hit: Hit) -> str:
    """The file on disk a hit is in: its own, or the mail file of an attachment."""
    where = split_attached(hit.path)
    return hit.path if where is None or os.path.exists(hit.path) else where.mail


def open_or_say(hit: Hit, banner: Banner) -> None:
    try:
        opened = open_hit(hit)
    except AttachmentGoneError as exc:
        _say(banner, hit, f"Could not open {os.path.basename(hit.path)}: {exc}")
        return
    if not opened:
        _say(banner, hit, f"Could not open {os.path.basename(hit.path)}: no application on this computer opens it")


def reveal_or_say(hit: Hit, banner: Banner) -> None:
    if not reveal_hit(hit):
        _say(banner, hit, f"Could not show the folder of {os.path.basename(hit.path)}: no file manager answered")


def _say(banner: Banner, hit: Hit, what: str) -> None:
    """The reason in the window, not on stderr, with the path one click away."""
    banner.setProperty("path", _file_of(hit))
    banner.show_error(f"{what}. Copy its path to open it another way.", key="open", action="Copy path")


def copy_said_path(banner: Banner) -> None:
    opener.copy_path(str(banner.property("path") or ""))
    banner.clear("open")

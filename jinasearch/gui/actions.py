"""What a person can do with a result: open it (at its page), show its folder, copy its path; and, when
the system has no application to do it, say so in the window with the way out."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..core.models import Hit
from . import opener

if TYPE_CHECKING:
    from .progress import Banner


def open_hit(hit: Hit) -> bool:
    return opener.open_file(hit.path, hit.page)


def reveal_hit(hit: Hit) -> bool:
    return opener.open_folder(hit.path)


def copy_hit_path(hit: Hit) -> None:
    opener.copy_path(hit.path)


def open_or_say(hit: Hit, banner: Banner) -> None:
    if not open_hit(hit):
        _say(banner, hit, f"Could not open {os.path.basename(hit.path)}: no application on this computer opens it")


def reveal_or_say(hit: Hit, banner: Banner) -> None:
    if not reveal_hit(hit):
        _say(banner, hit, f"Could not show the folder of {os.path.basename(hit.path)}: no file manager answered")


def _say(banner: Banner, hit: Hit, what: str) -> None:
    """The reason in the window, not on stderr, with the path one click away."""
    banner.setProperty("path", hit.path)
    banner.show_error(f"{what}. Copy its path to open it another way.", key="open", action="Copy path")


def copy_said_path(banner: Banner) -> None:
    opener.copy_path(str(banner.property("path") or ""))
    banner.clear("open")

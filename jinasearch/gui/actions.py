"""What a person can do with a result: open it (at its page), show its folder, copy its path."""

from __future__ import annotations

from ..core.models import Hit
from . import opener


def open_hit(hit: Hit) -> bool:
    return opener.open_file(hit.path, hit.page)


def reveal_hit(hit: Hit) -> bool:
    return opener.open_folder(hit.path)


def copy_hit_path(hit: Hit) -> None:
    opener.copy_path(hit.path)

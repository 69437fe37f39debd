"""What the settings dialog checks before anything is saved, without Qt: each field's problem, in words
a person can act on (the embedding server's address and model are checked by server_box.py)."""

from __future__ import annotations

import os
from typing import Literal

from ..core.exclusions import pattern_problem
from .prefs import LATE_WINDOW_RANGE, Prefs

Field = Literal["model", "overlap", "excludes", "late_window"]


def looks_like_folder(name: str) -> bool:
    """A model given as a folder on this computer rather than a hub name ("org/name")."""
    return name.startswith(("/", "~", ".", "\\")) or (len(name) > 2 and name[1] == ":" and name[0].isalpha())


def problems(prefs: Prefs) -> dict[Field, str]:
    """Every field that cannot be saved as it stands, with the reason."""
    out: dict[Field, str] = {}
    if prefs.where == "local":
        name = prefs.model.strip()
        if not name:
            out["model"] = "Give a model: pick one, type a sentence-transformers name, or choose a folder."
        elif looks_like_folder(name) and not os.path.isdir(os.path.expanduser(name)):
            out["model"] = f"There is no folder {name} on this computer."
    if prefs.overlap_tokens * 2 > prefs.chunk_tokens:
        out["overlap"] = (
            f"At most half the passage size ({prefs.chunk_tokens // 2} tokens): "
            "neighbouring passages would repeat more than they add."
        )
    low, high = LATE_WINDOW_RANGE
    window = prefs.recipe.window if prefs.recipe is not None and prefs.recipe.late else None
    if window is not None and not low <= window <= high:
        out["late_window"] = f"Between {low:,} and {high:,} tokens (the model's own limit may cap it lower)."
    elif window is not None and window <= prefs.chunk_tokens:
        out["late_window"] = (
            f"Larger than the passage size ({prefs.chunk_tokens:,} tokens): a window no longer than one "
            "passage gives it no context."
        )
    bad = [why for pattern in prefs.excludes if (why := pattern_problem(pattern)) is not None]
    if bad:
        out["excludes"] = "\n".join(bad)
    return out

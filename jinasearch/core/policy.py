"""Which model is current: one set of rules for the indexer, the searcher and the app.

The index records the model its vectors come from and refuses to mix vectors of two models. A
model switch stages the new model's vectors beside the old ones and swaps them in at once, so
until the swap the recorded model is the one every search must use.
"""

from __future__ import annotations

import os
from typing import Literal, TypeVar

T = TypeVar("T")

# What an indexing run does about the model it was given (`chosen`) and the one the index records:
# "adopt"    - record `chosen` (a new index, or one without any vector yet) and index with it;
# "same"     - `chosen` is the recorded model: index with it (a switch begun earlier is abandoned);
# "stage"    - a switch to `chosen`, asked for now or begun by an interrupted run: stage its vectors;
# "mismatch" - another model's index and no switch asked for: refuse.
RunPlan = Literal["adopt", "same", "stage", "mismatch"]


# A model on an embedding server is recorded as this prefix + the name the server knows it by. The
# server's address is recorded beside it (store meta "server"), not in the key: the same model served
# from another host (the GPU box moved) gives the same vectors, while a local model and a served one
# of the same name are different models (another runtime, maybe quantised) unless the user says so.
SERVED = "server:"


def model_key(name: str, *, served: bool = False) -> str:
    """How a model is recorded in the index: local folders by absolute path, hub models by name, a
    served model (`served`, or a key already) as SERVED + its name on the server."""
    if name.startswith(SERVED):
        return name
    if served:
        return SERVED + name
    expanded = os.path.expanduser(name)
    return os.path.abspath(expanded) if os.path.isdir(expanded) else name


def served_name(key: str) -> str | None:
    """The server's name for a served model's key; None for a local model."""
    return key[len(SERVED) :] if key.startswith(SERVED) else None


def plan_run(chosen: T, recorded: T | None, staged: T | None, *, has_vectors: bool, reembed: bool) -> RunPlan:
    """The rule for an indexing run; `chosen` is what makes the vectors: a model_key, with the recipe
    (core/embed/late.py) where the caller weighs it too."""
    if recorded is None or (recorded != chosen and not has_vectors):
        return "adopt"  # nothing to keep answering with: simply take the new model
    if recorded == chosen:
        return "same"
    if staged == chosen or reembed:
        return "stage"
    return "mismatch"


def search_model_during_switch(chosen: str, recorded: str | None, staged: str | None) -> str | None:
    """The model a front end must keep loaded for search besides `chosen`: the recorded one while a
    switch to `chosen` is staged (the old vectors answer until the swap); None otherwise."""
    if recorded is not None and recorded != chosen and staged == chosen:
        return recorded
    return None

"""A model switch without a gap: embed everything with the new model into staging, then swap in one commit.

Until the swap the index keeps its old model, vectors and FAISS file, so searchers keep answering
by meaning with the old model. Passages added or changed meanwhile are staged with the new model
like the rest; with the old model they are keyword-only until the swap (embedding them twice would
need both models loaded in the indexer, for a window that ends with the re-embed). A cancelled or
crashed run keeps what it staged: the next run embeds only the texts still missing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import Literal

from ..config import Recipe, Settings, default_recipe
from ..errors import ModelMismatchError, RecipeUnsupportedError
from ..policy import plan_run, served_name
from ..store import PendingPassage, Store
from ..store.schema import META_API, META_SERVER
from ..store.staging import Staging
from .embedding import EMBED_WINDOW, Encoder, Step, embed_windows


def stage_all(staging: Staging, encoder: Callable[[], Encoder], window: int = EMBED_WINDOW) -> Iterator[Step]:
    """Stage a vector for every passage text that lacks one; yields a Step per model batch.

    The cursor walks passage ids upwards, so one run reads the table once however many windows it takes.
    """
    if staging.dim is None:
        staging.set_dim(encoder().emb.dim)  # needed by the swap even when nothing is left to embed
    total = staging.count_unstaged()
    if total == 0:
        return

    def windows() -> Iterator[Sequence[PendingPassage]]:
        cursor = 0
        while rows := staging.unstaged(cursor, window):
            cursor = rows[-1].id
            yield rows

    yield from embed_windows(encoder(), windows(), staging.stage, total)


def swap(staging: Staging, settings: Settings) -> float | None:
    """Swap the staged vectors in (one transaction) and record where the new model runs; returns its
    duration, None if incomplete.

    The FAISS file goes inside the transaction: until the commit a searcher that loads it finds the
    old model's vectors with the old model's meta; after it, no file (rebuilt from SQLite) or a new one."""
    t0 = time.monotonic()
    if not staging.swap(before_commit=lambda: settings.faiss_path.unlink(missing_ok=True)):
        return None
    record_server(staging.store, settings)  # the swap's model answered: it staged every vector
    return time.monotonic() - t0


# What a run was asked to do about another model than the index's: nothing (refuse), re-embed
# (--reembed), or take it as the same model (--same-model: the same weights, e.g. run by a server).
ModelChange = Literal[False, True, "same"]


def plan(store: Store, settings: Settings, asked: ModelChange, dim_of: Callable[[], int]) -> bool:
    """Decide where this run's vectors go (core/policy.py); True: into staging for a switch to the
    settings' model and recipe (naive or late chunking), which `asked` (--reembed), a recipe given
    that differs from the index's, or an interrupted run began. Otherwise the run's server is recorded
    (a served model's server may move without a re-embed). `dim_of` loads the run's model for its
    dimension, which --same-model checks before it adopts the model."""
    model = settings.model_key
    if asked == "same":
        adopt(store, model, dim_of)
        asked = False
    staging = Staging(store)
    recorded_model = store.model()
    recipe = chosen_recipe(store, staging, settings)
    if recipe.late and served_name(model) is not None:
        raise RecipeUnsupportedError(
            "late chunking needs the model's vector of every token, and an embedding server gives one vector "
            "per text: embed each passage alone (--no-late-chunking) or run the model on this computer"
        )
    if settings.topic_cuts and served_name(model) is not None:  # checked again where they run (topic_pass.py)
        raise RecipeUnsupportedError(
            "topic cuts read the model's vector of every token, and an embedding server gives one vector per "
            "text: index without --topic-cuts or run the model on this computer"
        )
    chosen = (model, recipe.key)
    recorded = (recorded_model, store.recipe()) if recorded_model is not None else None
    staged = (staging.model, staging.recipe) if staging.model is not None else None
    # Asking for another recipe of the same model is asking for the re-embed (a deliberate choice, while
    # another model may be a slip of the finger: that one needs --reembed).
    recipe_asked = settings.recipe is not None and recorded_model == model
    has_vectors = store.dim() is not None
    decision = plan_run(chosen, recorded, staged, has_vectors=has_vectors, reembed=bool(asked) or recipe_asked)
    if decision == "mismatch":
        raise ModelMismatchError(
            f"this index was built with model '{recorded_model}', not '{model}'. Search it with that "
            "model, use another --data-dir, or pass --reembed to re-embed everything with the new one.",
            recorded_model,
        )
    if decision == "stage":
        staging.begin(model, recipe.key)
    elif staging.model is not None or recorded != chosen:
        with store.db.atomic():
            staging.discard()  # switched back before the re-embed finished: nothing to swap
            store.set_model(model)
            store.set_recipe(recipe.key)
    if decision != "stage":
        record_server(store, settings, confirmed=False)
    return decision == "stage"


def chosen_recipe(store: Store, staging: Staging, settings: Settings) -> Recipe:
    """The recipe a run asks for: the settings' own, else the one a switch under way stages, else the
    index's, else (a new index) the default."""
    if settings.recipe is not None:
        return settings.recipe
    if staging.model is not None and staging.model == settings.model_key:
        return Recipe.from_key(staging.recipe)
    if store.model() is not None:
        return Recipe.from_key(store.recipe())
    return default_recipe(settings.model_key)


def run_recipe(store: Store, staging: bool) -> Recipe:
    """The recipe this run's vectors are made with, once planned: the staged one while staging."""
    return Recipe.from_key(Staging(store).recipe if staging else store.recipe())


def adopt(store: Store, model: str, dim_of: Callable[[], int]) -> None:
    """Record `model` as the index's model, keeping every vector: the person says it computes the same
    vectors as the recorded one (a local model and the same weights on a server are different model keys,
    core/policy.py). Refused when the dimensions differ: those cannot be the same model."""
    recorded, dim = store.model(), store.dim()
    if recorded is None or recorded == model or dim is None:
        return  # nothing to keep: the usual rules adopt it
    if (new := dim_of()) != dim:
        raise ModelMismatchError(
            f"'{model}' gives vectors of {new} dimensions and the index's '{recorded}' {dim}: they cannot be "
            "the same model; pass --reembed to re-embed everything with it instead",
            recorded,
        )
    with store.db.atomic():
        Staging(store).discard()
        store.set_model(model)


def server_moved(store: Store, settings: Settings) -> bool:
    """The run names another server for the index's served model than the one recorded."""
    return settings.server is not None and store.model() == settings.model_key and store.server()[0] != settings.server


def record_server(store: Store, settings: Settings, *, confirmed: bool = True) -> None:
    """Record where the index's model runs (core/policy.py: SERVED): a served model's server URL and
    API, so search and status know where queries go; nothing for a local model. Until the server has
    answered (`confirmed`), a recorded address is kept: a mistyped --server must not replace a good one."""
    key = settings.model_key
    if store.model() != key or (served_name(key) and settings.server is None):
        return  # another model is recorded (a switch staging), or no server given: the recorded one stays
    want = (settings.server, settings.api or "") if settings.server else (None, None)
    have = (store.get_meta(META_SERVER), store.get_meta(META_API))
    if want == have or (not confirmed and have[0] is not None):
        return
    with store.db.atomic():
        for key, value in zip((META_SERVER, META_API), want):
            if value is None:
                store.delete_meta(key)
            else:
                store.set_meta(key, value)

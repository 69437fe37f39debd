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
from pathlib import Path

from ..store import PendingPassage
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


def swap(staging: Staging, faiss_path: Path) -> float | None:
    """Swap the staged vectors in (one transaction); returns its duration, None if incomplete.

    The FAISS file goes inside the transaction: until the commit a searcher that loads it finds the
    old model's vectors with the old model's meta; after it, no file (rebuilt from SQLite) or a new one."""
    t0 = time.monotonic()
    if not staging.swap(before_commit=lambda: faiss_path.unlink(missing_ok=True)):
        return None
    return time.monotonic() - t0

"""A model switch without a gap: embed everything with the new model into staging, then swap in one commit.

Until the swap the index keeps its old model, vectors and FAISS file, so searchers keep answering
by meaning with the old model. Passages added or changed meanwhile are staged with the new model
like the rest; with the old model they are keyword-only until the swap (embedding them twice would
need both models loaded in the indexer, for a window that ends with the re-embed). A cancelled or
crashed run keeps what it staged: the next run embeds only the texts still missing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from .embed import Embedder
from .store.staging import Staging


def stage_all(
    staging: Staging, embedder: Callable[[], Embedder], should_stop: Callable[[], bool], window: int
) -> Iterator[tuple[int, int, float]]:
    """Stage a vector for every passage text that lacks one; yields (done, total, texts/s) per batch.

    Like the indexer's own embedding: each window is de-duplicated by text hash (identical texts are
    embedded once) and sorted by length so a batch wastes little on padding. The cursor walks passage
    ids upwards, so one run reads the table once however many windows it takes.
    """
    if staging.dim is None:
        staging.set_dim(embedder().dim)  # needed by the swap even when nothing is left to embed
    total = staging.count_unstaged()
    if total == 0:
        return
    emb = embedder()
    done = cursor = 0
    start = time.monotonic()
    while not should_stop():
        rows = staging.unstaged(cursor, window)
        if not rows:
            break
        cursor = rows[-1][0]
        unique: dict[str, str] = {}
        for _pid, text, h in rows:
            unique.setdefault(h, text)
        items = sorted(unique.items(), key=lambda kv: len(kv[1]))
        for i in range(0, len(items), emb.batch_size):
            if should_stop():
                return
            batch = items[i : i + emb.batch_size]
            done += staging.stage([h for h, _ in batch], emb.encode([t for _, t in batch]))
            elapsed = time.monotonic() - start
            yield min(done, total), total, done / elapsed if elapsed > 0 else 0.0

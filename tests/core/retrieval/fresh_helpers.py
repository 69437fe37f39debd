"""What the query-time embedding tests share: a small library indexed with the real MiniLM model, whose
newest files wait for their vectors, and an embedder that counts what it encodes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from jinasearch.core.config import Settings
from jinasearch.core.embed import Embedder
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.store import Store
from jinasearch.core.store.schema import META_DIM
from tests.core.helpers import settings_for, write

QUERY = "how to keep my laptop battery healthy"
ANSWER = "battery-care.txt"  # answers it, in other words than the query's
BAIT = "hens.txt"  # holds nearly every word of the query, and is about something else
# The files a person just added: keyword-searchable, their vectors not computed yet.
NEW = {
    ANSWER: "Battery care for your laptop: avoid leaving the notebook plugged in at full charge all the "
    "time, and store it at about half charge when you will not use it for weeks. Heat shortens the life "
    "of the cells, so do not leave it in a hot car.",
    BAIT: "How to keep my hens healthy: a dry coop, fresh water, and a battery of nest boxes along the "
    "wall. I note their eggs on a laptop in the shed.",
    "desk-lunch.txt": "Healthy lunch ideas to keep at your desk: how my team keeps snacks healthy and the "
    "laptop free of crumbs.",
}
# Files indexed earlier, with their vectors.
OLD = {
    "garden.txt": "Tomatoes want full sun, deep watering twice a week and a stake once they flower.",
    "taxes.txt": "The tax return is due by the end of April; keep every receipt for five years.",
    "bread.txt": "Knead the dough for ten minutes, let it rise for an hour, then bake at 220 degrees.",
}


class CountingEmbedder:
    """The real model, recording every text it is asked to embed (a search embeds passages one at a
    time through `encode_query`, like the query; the indexer through `encode`)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name, self.dim, self.tokenizer, self.batch_size = inner.name, inner.dim, inner.tokenizer, inner.batch_size
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded.extend(texts)
        return self.inner.encode(texts)

    def encode_query(self, text: str) -> np.ndarray:
        self.encoded.append(text)
        return self.inner.encode_query(text)

    def passages(self) -> list[str]:
        """What it embedded besides the test's query."""
        return [t for t in self.encoded if t != QUERY]


def library(tmp_path: Path, minilm: Embedder, minilm_path: str, *, none_embedded: bool = False) -> Settings:
    """The library indexed with MiniLM, then its NEW files' vectors taken away (with `none_embedded`,
    every vector and the recorded dimension: an index whose first vector is still to come)."""
    docs = tmp_path / "docs"
    for name, text in {**OLD, **NEW}.items():
        write(docs / name, text)
    settings = settings_for(tmp_path, model=minilm_path, chunk_tokens=200, overlap_tokens=16)
    run_to_end(Indexer(settings, embedder=minilm).index([docs]))
    store = Store(settings.db_path)
    try:
        with store.db.atomic():
            if none_embedded:
                store.conn.execute("UPDATE passages SET vector = NULL")
                store.delete_meta(META_DIM)
            else:
                names = [str(docs / n) for n in NEW]
                marks = ",".join("?" * len(names))
                store.conn.execute(
                    f"UPDATE passages SET vector = NULL WHERE doc_id IN (SELECT id FROM documents WHERE path IN ({marks}))",
                    names,
                )
            store.bump_vectors_version()
    finally:
        store.close()
    settings.faiss_path.unlink(missing_ok=True)
    return settings


def pending(settings: Settings) -> int:
    store = Store(settings.db_path, readonly=True)
    try:
        return store.count_pending()
    finally:
        store.close()

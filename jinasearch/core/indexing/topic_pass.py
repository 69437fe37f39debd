"""The topic pass: documents cut at their topic boundaries (indexing/topic_cut.py) once they are read.

Topic cuts judge where a document's subject changes from sentence vectors, so they need the model,
and the extraction workers cut without it (keyword search must not wait for a model). A run with
topic cuts on therefore reads and cuts as always, then, before it embeds what waits for vectors,
re-cuts each document whose passages the topic cut has not made yet (documents record it,
store/schema.py: `cut`), through the re-cut's path (indexing/recut.py): new passages get their
vectors in the transaction that swaps them in, so a document is never without vectors. A document
read again is cut by its reading again, and the next run with topic cuts visits it again.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Settings, default_window
from ..embed.base import token_embedder
from ..errors import RecipeUnsupportedError
from ..store import Store
from ..topics import TOPIC_SHARE, TOPIC_WINDOW
from .budget import EmbedPolicy
from .embedding import Encoder
from .late import LateRunner
from .recut import RecutStep, recut_all, settings_key
from .topic_cut import TopicChunking


def topics_waiting(store: Store, settings: Settings, policy: EmbedPolicy) -> bool:
    """Whether this run's settings ask for topic cuts and a document that gets vectors waits for them."""
    return settings.topic_cuts and store.count_not_cut(settings_key(settings), policy.data_folders) > 0


def topic_pass(
    store: Store,
    settings: Settings,
    encoder: Encoder,
    policy: EmbedPolicy,
    *,
    share: float = TOPIC_SHARE,
    window: int = TOPIC_WINDOW,
) -> Iterator[RecutStep]:
    """Re-cut by topic every indexed document the topic cut has not made; a RecutStep per group.
    `share` and `window`: core/topics.py (other values than the defaults are for benchmarks)."""
    tokens = token_embedder(encoder.emb)
    if tokens is None:
        raise RecipeUnsupportedError(
            f"'{encoder.emb.name}' gives no token vectors, which topic cuts read: index without --topic-cuts"
        )
    # Sentences are read in windows as late chunking reads passages, without place lines: a
    # sentence's neighbours are its context, and a title before each would make them alike.
    runner = LateRunner(tokens, encoder.control, default_window(settings.model_key), place_lines=False)
    cutting = TopicChunking(
        encoder.emb.tokenizer,
        settings.chunk_tokens,
        settings.overlap_tokens,
        settings.section_cuts,
        runner=runner,
        share=share,
        window=window,
    )
    yield from recut_all(store, cutting, encoder, policy, visit_all=False)

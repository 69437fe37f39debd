"""End to end with the real MiniLM model: drop a folder, ask in other words, see the semantic match."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.gui.results import card_for, passage_document
from tests.gui.helpers import index_folder, painted_spans, search


@pytest.mark.model
def test_real_model_finds_a_passage_by_meaning(
    qtbot, make_window, docs: Path, minilm, minilm_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JINASEARCH_MODEL", minilm_path)
    w = make_window(embedder=minilm)
    assert w.controller.prefs.model == minilm_path
    result = index_folder(qtbot, w, docs, timeout=120_000)
    assert result.status == "done" and result.summary.passages_embedded >= 3
    # No word in common with the travel note: only meaning can find it.
    with qtbot.waitSignal(
        w.controller.sentences, timeout=60_000, check_params_cb=lambda seq, _spans: seq == w.session.seq
    ):
        hits = search(qtbot, w, "what should I pack for my trip abroad", timeout=60_000)
    assert hits[0].path == str(docs / "sub" / "travel.txt")
    assert hits[0].sources == ("semantic",)
    top = w.results.model.hit(0)  # the best sentence arrives right after the results
    assert top is not None and top.passage_id == hits[0].passage_id
    card = card_for(top)
    assert card.badge == "semantic"
    painted = painted_spans(passage_document(card, w.results.list.font(), 400))
    assert [k for *_x, k in painted] == ["sentence"]  # the sentence closest in meaning is marked
    sentence = next(card.text[a:b] for a, b, k in painted if k == "sentence")
    assert "passport" in sentence
    # Words and meaning together.
    hits = search(qtbot, w, "tomatoes watering", timeout=60_000)
    assert hits[0].path == str(docs / "garden.txt") and set(hits[0].sources) == {"keyword", "semantic"}

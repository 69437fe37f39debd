"""Changing the model or the passage size in the app: search keeps answering while the index is redone."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from jinasearch.core.library import read_status
from tests.fakes import FakeEmbedder
from tests.gui.helpers import index_folder, search


class HeldEmbedder(FakeEmbedder):
    """The new model: its passage batches wait until the test lets them go (queries never wait)."""

    def __init__(self) -> None:
        super().__init__(dim=16, name="new-model")
        self.started = threading.Event()
        self.release = threading.Event()
        self.queries: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.started.set()
        self.release.wait(30)
        return super().encode(texts)

    def encode_query(self, text: str) -> np.ndarray:
        self.queries.append(text)
        return super().encode([text])[0]


def test_search_keeps_answering_by_meaning_with_the_old_model_during_the_re_embed(
    qtbot,
    make_window,
    docs: Path,  # type: ignore[no-untyped-def]
) -> None:
    old, new = FakeEmbedder(dim=32, name="fake-embedder"), HeldEmbedder()
    models = {"fake-embedder": old, "new-model": new}
    w = make_window(factory=lambda name, _device: models[name])
    c = w.controller
    index_folder(qtbot, w, docs)
    qtbot.waitUntil(lambda: c.status.model == "fake-embedder", timeout=10_000)
    assert any("semantic" in h.sources for h in search(qtbot, w, "tomatoes sun"))

    try:
        with qtbot.waitSignal(c.runStarted, timeout=10_000, check_params_cb=lambda job: job.reembed):
            c.apply_prefs(type(c.prefs)(model="new-model", chunk_tokens=c.prefs.chunk_tokens))
        assert new.started.wait(30)  # the re-embed is under way and held mid-way
        for query in ("tomatoes sun", "train passport"):
            hits = search(qtbot, w, query)
            assert hits and any("semantic" in h.sources for h in hits) and w.session.note == "ok"
        assert read_status(c.settings).model == "fake-embedder" and new.queries == []
        assert read_status(c.settings).staged_model == "new-model"
    finally:
        new.release.set()
    with qtbot.waitSignal(c.runFinished, timeout=30_000) as done:
        pass
    assert done.args[0].status == "done" and done.args[0].job.reembed
    st = read_status(c.settings)
    assert st.model == "new-model" and st.staged_model is None and st.embedded == st.passages
    qtbot.waitUntil(lambda: c.models.old is None, timeout=10_000)  # the old model is let go after the swap

    hits = search(qtbot, w, "tomatoes sun")
    assert hits and any("semantic" in h.sources for h in hits) and new.queries[-1] == "tomatoes sun"


def test_a_new_passage_size_re_cuts_indexed_files_in_the_background(qtbot, make_window, docs: Path) -> None:
    w = make_window()
    c = w.controller
    index_folder(qtbot, w, docs)
    before = read_status(c.settings)
    with qtbot.waitSignal(c.runFinished, timeout=30_000, check_params_cb=lambda r: r.job.rechunk) as done:
        c.apply_prefs(type(c.prefs)(model=c.prefs.model, chunk_tokens=8, overlap_tokens=0))
    assert done.args[0].status == "done"
    after = read_status(c.settings)
    assert after.passages > before.passages and after.embedded == after.passages
    hits = search(qtbot, w, "train passport")
    assert hits and any("semantic" in h.sources for h in hits) and len(hits[0].text.split()) <= 8


def test_an_index_of_another_model_says_so_and_offers_the_re_embed(
    qtbot,
    make_window,
    docs: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    """A model chosen outside Settings ($JINASEARCH_MODEL, a model folder that moved): the index's vectors
    are another model's, so the results are by words alone, which the list itself does not show."""
    models = {"fake-embedder": FakeEmbedder(dim=32, name="fake-embedder"), "moved": FakeEmbedder(dim=32, name="moved")}
    first = make_window(factory=lambda name, _device: models[name])
    index_folder(qtbot, first, docs)
    first.shutdown()
    monkeypatch.setenv("JINASEARCH_MODEL", "moved")

    def said(w) -> bool:  # type: ignore[no-untyped-def]
        return w.banner.isVisible() and w.banner.key == "mismatch"

    w = make_window(factory=lambda name, _device: models[name])
    # The saved folder's catch-up run is refused for the other model: it says what search says, not an error.
    qtbot.waitUntil(lambda: said(w), timeout=10_000)
    text = w.banner.text.text()
    assert "built with fake-embedder" in text and "now uses moved (named by $JINASEARCH_MODEL)" in text
    assert w.banner.action.text() == "Re-embed"
    hits = search(qtbot, w, "tomatoes sun")
    assert hits and all(h.sources == ("keyword",) for h in hits) and w.session.note == "model-mismatch"
    w.banner.show_error("Could not open the file", key="open")  # another banner takes its place...
    search(qtbot, w, "train passport")
    assert said(w)  # ...and the next search brings it back
    w.banner.close_btn.click()
    search(qtbot, w, "tomatoes sun")
    assert not w.banner.isVisible()  # closed by the person: not again this session
    w.shutdown()

    w = make_window(factory=lambda name, _device: models[name])  # a new session says it again
    qtbot.waitUntil(lambda: said(w), timeout=10_000)
    with qtbot.waitSignal(w.controller.runFinished, timeout=30_000, check_params_cb=lambda r: r.job.reembed) as done:
        w.banner.action.click()
    assert done.args[0].status == "done" and not w.banner.isVisible()
    assert read_status(w.controller.settings).model == "moved"
    hits = search(qtbot, w, "tomatoes sun")
    assert any("semantic" in h.sources for h in hits) and w.session.note == "ok" and not w.banner.isVisible()

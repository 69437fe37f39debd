"""Pause while the app embeds: encoding stops at once, and a cancel then keeps the index consistent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.fakes import FakeEmbedder
from tests.gui.helpers import drop_paths


class PausingEmbedder(FakeEmbedder):
    """Simulates the user pressing Pause while a batch is being embedded."""

    def __init__(self) -> None:
        super().__init__()
        self.on_encode = lambda: None

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.on_encode()
        return super().encode(texts)


def test_pause_during_embedding_stops_encoding_and_cancel_keeps_the_index_consistent(
    qtbot, make_window, tmp_path: Path
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    for i in range(40):
        (folder / f"n{i}.txt").write_text(f"Note {i} about invoices number {i * 7} and the spring budget {i}.")
    emb = PausingEmbedder()
    w = make_window(embedder=emb)
    worker = w.controller.indexer
    emb.on_encode = lambda: worker.control.pause() if len(emb.encoded) >= 8 else None
    with qtbot.waitSignal(worker.paused, timeout=20_000):
        drop_paths(w, [folder])
    encoded = len(emb.encoded)
    assert 8 <= encoded < 40
    with qtbot.waitSignal(w.controller.runFinished, timeout=5_000) as done:
        w.controller.cancel()
    assert done.args[0].status == "cancelled"
    assert len(emb.encoded) == encoded  # nothing was embedded while paused
    con = sqlite3.connect(w.controller.settings.db_path)
    with_vectors, total = con.execute("SELECT COUNT(vector), COUNT(*) FROM passages").fetchone()
    con.close()
    assert total == 40 and 0 < with_vectors < total  # committed batches kept, the rest still pending

"""The running app answers `jinasearch search` with its own model, while the person searches in the window."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from jinasearch.cli import main
from jinasearch.gui.ask_service import AskService
from tests.ask_helpers import private_runtime
from tests.gui.helpers import index_folder, search


def test_the_app_answers_the_command_line_while_the_person_searches(  # type: ignore[no-untyped-def]
    qtbot, make_window, docs: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    private_runtime(monkeypatch)
    w = make_window()
    index_folder(qtbot, w, docs)
    ask = AskService(w.controller)  # the model is in already: it answers at once
    assert ask.server.running
    data_dir = str(w.controller.data_dir)
    try:
        for _round in range(3):
            codes: list[int] = []
            argv = ["search", "invoice payment due", "--json", "-k", "2", "--data-dir", data_dir]
            cli = threading.Thread(target=lambda out=codes, argv=argv: out.append(main(argv)))
            cli.start()  # the command line asks while the person's own search runs on the same thread
            hits = search(qtbot, w, "train to Lisbon passport")
            cli.join(30)
            assert hits[0].path == str(docs / "sub" / "travel.txt")
            out, err = capsys.readouterr()
            assert codes == [0] and err == ""
            answer = json.loads(out)
            assert answer[0]["path"] == str(docs / "invoice.md")
            # By meaning too: the app's model answered (this process could not load "fake-embedder" itself).
            assert "semantic" in answer[0]["sources"] and answer[0]["highlights"]
    finally:
        ask.stop()
    assert not os.path.exists(ask.server.place.address) and not ask.server.place.key_path.exists()


def test_the_vector_index_is_loaded_before_the_first_question(  # type: ignore[no-untyped-def]
    qtbot, make_window, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the model is in, the search thread loads the FAISS cache itself: the first search (the
    person's or the command line's) does not wait for it."""
    private_runtime(monkeypatch)
    w = make_window()
    index_folder(qtbot, w, docs)
    w.controller.searcher.close()  # a fresh searcher, as after the app's start: nothing loaded yet
    ask = AskService(w.controller)
    try:
        worker = w.controller.searcher
        qtbot.waitUntil(
            lambda: worker._searcher is not None and worker._searcher._binding.vectors is not None, timeout=10_000
        )
        assert len(worker._searcher._binding.vectors) > 0
    finally:
        ask.stop()

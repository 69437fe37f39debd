"""The app with an embedding server: it embeds there and says where; a server it cannot reach is a
plain message and keyword search goes on; a new URL for the same served model is no model switch."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from jinasearch.core.library import read_status
from jinasearch.gui.prefs import Prefs, save_prefs
from jinasearch.gui.window import MainWindow
from tests.gui.embed_stub import MODEL, closed_port_url, stub_server
from tests.gui.helpers import index_folder, search


@pytest.fixture(autouse=True)
def plain_env(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name in ("JINASEARCH_MODEL", "JINASEARCH_SERVER", "JINASEARCH_API", "JINASEARCH_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def served_window(qtbot, qsettings: QSettings, tmp_path: Path) -> Iterator[Callable[[str], MainWindow]]:  # type: ignore[no-untyped-def]
    """A window whose saved settings embed on the server at `url`, with the app's own model loading."""
    windows: list[MainWindow] = []

    def make(url: str) -> MainWindow:
        save_prefs(qsettings, Prefs(where="server", server_url=url, server_model=MODEL))
        w = MainWindow(qsettings, tmp_path / "data", watch=False)
        qtbot.addWidget(w)
        windows.append(w)
        w.show()
        return w

    yield make
    for w in windows:
        w.shutdown()


def test_the_app_embeds_on_the_server_and_says_where(qtbot, served_window, docs: Path) -> None:  # type: ignore[no-untyped-def]
    with stub_server() as srv:
        w = served_window(srv.url)
        with qtbot.waitSignal(w.controller.modelLoaded, timeout=10_000):
            w.start()
        port = srv.url.rsplit(":", 1)[1]
        assert w.where.text() == f"Embedding on 127.0.0.1:{port} (OpenAI-compatible)"
        assert not w.banner.isVisible()
        result = index_folder(qtbot, w, docs)
        assert result.status == "done" and result.summary.passages_embedded > 0
        st = read_status(w.controller.settings)
        assert (st.model, st.server, st.embedded) == ("server:m", srv.url, st.passages)
        assert any("Tomatoes need full sun" in t for t in srv.texts)
        hits = search(qtbot, w, "invoice payment")
        assert hits and w.session.note == "ok"
        w.shutdown()


def test_a_server_it_cannot_reach_is_a_plain_message_and_keyword_search_works(qtbot, served_window, docs: Path) -> None:  # type: ignore[no-untyped-def]
    w = served_window(closed_port_url())
    with qtbot.waitSignal(w.controller.modelFailed, timeout=10_000):
        w.start()
    text = w.banner.text.text()
    assert w.banner.isVisible() and "cannot reach the embedding server" in text
    assert "Keyword search still works" in text and "Traceback" not in text
    result = index_folder(qtbot, w, docs)
    assert result.status == "done" and result.keyword_only
    hits = search(qtbot, w, "invoice payment")
    assert hits and hits[0].sources == ("keyword",)


def test_a_new_url_for_the_same_served_model_is_no_model_switch(qtbot, make_window, docs: Path) -> None:  # type: ignore[no-untyped-def]
    w = make_window()  # the fake model stands in for whatever a server would run
    c = w.controller
    index_folder(qtbot, w, docs)
    started: list[object] = []
    c.runStarted.connect(started.append)
    served = replace(c.prefs, where="server", server_url="http://127.0.0.1:9", server_model=MODEL)
    with qtbot.waitSignal(c.runFinished, timeout=30_000):
        c.apply_prefs(served)  # local -> served: another model, re-embedded
    assert [job.reembed for job in started] == [True]
    assert read_status(c.settings).model == "server:m"

    with qtbot.waitSignal(c.modelLoaded, timeout=10_000):
        c.apply_prefs(replace(served, server_url="http://127.0.0.2:9"))
    assert len(started) == 1 and c.running is None  # nothing re-embedded
    assert c.models.chosen.backend.server == "http://127.0.0.2:9" and c.models.chosen.key == "server:m"
    with qtbot.waitSignal(c.runFinished, timeout=30_000):
        c.reindex_all()
    assert read_status(c.settings).server == "http://127.0.0.2:9"  # the next run records where it ran


def test_new_settings_while_the_server_does_not_answer_keep_the_window_free(qtbot, served_window) -> None:  # type: ignore[no-untyped-def]
    """A load waiting on a silent server is let go, not waited for, when the settings change."""
    with stub_server() as srv:
        srv.hold.clear()
        w = served_window(srv.url)
        c = w.controller
        w.start()
        assert c.models.chosen.busy
        t0 = time.monotonic()
        c.apply_prefs(replace(c.prefs, server_url=srv.url + "/v1"))  # the same server, its API's base named
        assert time.monotonic() - t0 < 1.0
        with qtbot.waitSignal(c.modelLoaded, timeout=10_000) as loaded:
            srv.hold.set()
        assert loaded.args == [MODEL] and c.models.chosen.backend.server == srv.url + "/v1"
        assert c.models.chosen.ready
        w.shutdown()

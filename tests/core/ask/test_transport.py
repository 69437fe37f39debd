"""The socket between the command line and the app: same user only, typed failures, a clean stop."""

from __future__ import annotations

import os
import socket
import stat
import threading
import time
from pathlib import Path

import pytest

from jinasearch.core.ask import AppAlreadyServing, AppClient, AppUnavailable, Found, SearchRequest, place_for
from jinasearch.core.ask.place import KEY_BYTES
from tests.ask_helpers import StandIn, private_runtime, sample_hit


@pytest.fixture(autouse=True)
def runtime(monkeypatch: pytest.MonkeyPatch) -> Path:
    return private_runtime(monkeypatch)


def ask(data_dir: Path, **kw: float) -> Found:
    with AppClient(place_for(data_dir), **kw) as app:  # type: ignore[arg-type]
        reply = app.ask(SearchRequest(str(data_dir), "lava"))
    assert isinstance(reply, Found)
    return reply


def unavailable(data_dir: Path, **kw: object) -> AppUnavailable:
    with pytest.raises(AppUnavailable) as caught:
        with AppClient(place_for(data_dir), **kw) as app:  # type: ignore[arg-type]
            app.ask(SearchRequest(str(data_dir), "lava"))
    return caught.value


def ask_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("jinasearch-ask") and t.is_alive()]


def test_round_trip_and_a_clean_stop(tmp_path: Path) -> None:
    hit = sample_hit()
    with StandIn(tmp_path, (hit,)) as app:
        place = app.server.place
        assert stat.S_IMODE(place.folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(place.key_path.stat().st_mode) == 0o600 and len(place.key_path.read_bytes()) == KEY_BYTES
        assert ask(tmp_path).hits == (hit,)
        with AppClient(place) as client:  # several questions on one connection
            for q in ("one", "two"):
                assert client.ask(SearchRequest(str(tmp_path), q)).hits == (hit,)  # type: ignore[union-attr]
        assert [r.query for r in app.asked] == ["lava", "one", "two"]
    assert not os.path.exists(place.address) and not place.key_path.exists()
    assert ask_threads() == []
    assert unavailable(tmp_path).reason == "no-app"


def test_no_app_is_known_at_once(tmp_path: Path) -> None:
    t0 = time.monotonic()
    assert unavailable(tmp_path).reason == "no-app"
    assert time.monotonic() - t0 < 0.2


def test_a_socket_left_by_a_crashed_app(tmp_path: Path) -> None:
    """The file stays when an app dies; connecting to it fails at once, and the next app replaces it."""
    place = place_for(tmp_path)
    place.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(place.address)
    dead.close()  # bound, never listened on, closed: the file remains, as after a crash
    place.key_path.write_bytes(os.urandom(KEY_BYTES))
    assert os.path.exists(place.address)
    t0 = time.monotonic()
    assert unavailable(tmp_path).reason == "no-app"
    assert time.monotonic() - t0 < 0.2
    with StandIn(tmp_path, (sample_hit(),)):
        assert len(ask(tmp_path).hits) == 1


def test_a_live_app_is_not_replaced(tmp_path: Path) -> None:
    with StandIn(tmp_path, (sample_hit(),)):
        with pytest.raises(AppAlreadyServing):
            StandIn(tmp_path).server.start()
        assert len(ask(tmp_path).hits) == 1  # the first still answers


def test_another_key_is_refused_and_the_app_keeps_answering(tmp_path: Path) -> None:
    with StandIn(tmp_path, (sample_hit(),)) as app:
        assert unavailable(tmp_path, key=os.urandom(KEY_BYTES)).reason == "denied"
        assert app.asked == []  # the request never reached the searcher
        assert len(ask(tmp_path).hits) == 1


def test_a_slow_answer_is_given_up_on(tmp_path: Path) -> None:
    with StandIn(tmp_path, (sample_hit(),), delay_s=1.0):
        t0 = time.monotonic()
        assert unavailable(tmp_path, answer_timeout_s=0.2).reason == "slow"
        assert time.monotonic() - t0 < 0.6


def test_the_app_searches_while_the_caller_works(tmp_path: Path) -> None:
    """send, then the caller's own work, then receive: the app has the question before receive is called."""
    with StandIn(tmp_path, (sample_hit(),), delay_s=0.2) as app, AppClient(place_for(tmp_path)) as client:
        client.send(SearchRequest(str(tmp_path), "lava"))
        deadline = time.monotonic() + 5
        while not app.asked and time.monotonic() < deadline:  # the caller's work, while the app answers
            time.sleep(0.01)
        assert [r.query for r in app.asked] == ["lava"]
        reply = client.receive()
        assert isinstance(reply, Found) and reply.hits == (sample_hit(),)
    with pytest.raises(AppUnavailable) as caught:
        client.receive()  # closed: nothing to wait for
    assert caught.value.reason == "broken"


def test_a_send_that_fails_is_a_broken_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with StandIn(tmp_path, (sample_hit(),)) as app, AppClient(place_for(tmp_path)) as client:
        conn = client._conn
        assert conn is not None

        def broken_pipe(data: bytes) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        monkeypatch.setattr(conn, "send_bytes", broken_pipe)
        with pytest.raises(AppUnavailable) as caught:
            client.send(SearchRequest(str(tmp_path), "lava"))
        assert caught.value.reason == "broken" and "Broken pipe" in caught.value.detail
        assert client._conn is None  # closed, not left half-used
        with pytest.raises(AppUnavailable) as again:
            client.receive()
        assert again.value.reason == "broken" and app.asked == []


def test_an_app_that_does_not_speak_is_given_up_on(tmp_path: Path) -> None:
    """A stopped (or hung) app whose socket still accepts: the key check never comes."""
    place = place_for(tmp_path)
    place.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    mute = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    mute.bind(place.address)
    mute.listen(4)
    place.key_path.write_bytes(os.urandom(KEY_BYTES))
    try:
        t0 = time.monotonic()
        assert unavailable(tmp_path, connect_timeout_s=0.2).reason == "slow"
        assert time.monotonic() - t0 < 0.6
    finally:
        mute.close()


def test_a_caller_that_says_nothing_does_not_hold_up_others_or_the_stop(tmp_path: Path) -> None:
    with StandIn(tmp_path, (sample_hit(),)) as app:
        silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        silent.connect(app.server.place.address)
        try:
            assert len(ask(tmp_path).hits) == 1
            t0 = time.monotonic()
            app.server.stop()
            assert time.monotonic() - t0 < 1.0
        finally:
            silent.close()
    assert [t for t in ask_threads() if t != "jinasearch-ask-connect"] == []


def test_the_runtime_folder_must_be_private(tmp_path: Path) -> None:
    place = place_for(tmp_path)
    place.folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    os.chmod(place.folder, 0o755)
    with StandIn(tmp_path, (sample_hit(),)):  # the app closes its own folder
        assert stat.S_IMODE(place.folder.stat().st_mode) == 0o700
        assert len(ask(tmp_path).hits) == 1
        os.chmod(place.folder, 0o755)
        # A caller does not trust a key that others could have read (or put there).
        assert unavailable(tmp_path).reason == "no-app"
        os.chmod(place.folder, 0o700)

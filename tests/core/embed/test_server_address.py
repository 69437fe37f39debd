"""Server URLs as users type them, what leaves the machine, and the server's own words in an error."""

from __future__ import annotations

import pytest

from jinasearch.core.embed.server.address import parse_address
from jinasearch.core.embed.server.transport import Retry, server_message
from jinasearch.core.errors import ServerAddressError


@pytest.mark.parametrize(
    ("typed", "url", "loopback"),
    [
        ("http://localhost:11434/", "http://localhost:11434", True),
        ("127.0.0.1:7997", "http://127.0.0.1:7997", True),
        ("http://[::1]:8080/v1/", "http://[::1]:8080/v1", True),
        ("https://Embed.Example.org/openai/v1", "https://embed.example.org/openai/v1", False),
        ("http://192.168.1.20:11434", "http://192.168.1.20:11434", False),
    ],
)
def test_addresses_are_normalised_and_loopback_is_known(typed: str, url: str, loopback: bool) -> None:
    address = parse_address(typed)
    assert address.url == url
    assert address.loopback is loopback
    assert address.sends_text_away is not loopback


def test_plain_http_to_another_host_is_flagged_and_said() -> None:
    away = parse_address("http://192.168.1.20:11434")
    assert away.cleartext_away
    assert "sent to 192.168.1.20" in away.where() and "unencrypted" in away.where()
    assert not parse_address("https://gpu.example.org").cleartext_away
    assert not parse_address("http://localhost:11434").cleartext_away
    assert "this computer" in parse_address("http://localhost:11434").where()


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "empty"),
        ("ftp://host", "not an http(s) URL"),
        ("http://user:secret@host:11434", "no user name or password"),
        ("http://host:99999", "bad port"),
        ("http://", "names no host"),
    ],
)
def test_bad_addresses_say_what_to_give(typed: str, says: str) -> None:
    with pytest.raises(ServerAddressError) as err:
        parse_address(typed)
    assert says in str(err.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"error": "model \\"x\\" not found, try pulling it first"}', 'model "x" not found, try pulling it first'),
        ('{"error": {"message": "Invalid API key", "type": "auth"}}', "Invalid API key"),
        ('{"detail": "Not Found"}', "Not Found"),
        ('{"detail": [{"msg": "field required", "loc": ["body", "input"]}]}', "field required"),
        ("404 page not found", "404 page not found"),
        ("", "no message"),
    ],
)
def test_the_servers_own_message_is_kept(body: str, message: str) -> None:
    assert server_message(body) == message


def test_backoff_doubles_up_to_its_cap() -> None:
    assert Retry(tries=6, first_wait_s=0.5, max_wait_s=4).waits() == [0.5, 1, 2, 4, 4]
    assert Retry(tries=1).waits() == []

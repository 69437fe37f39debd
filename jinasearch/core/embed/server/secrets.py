"""The API key for a server: from the environment or the OS keyring, never from the settings file or
the index (both are plain files a backup or another user may read)."""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)

ENV_API_KEY = "JINASEARCH_API_KEY"
KEYRING_SERVICE = "jinasearch"


def api_key_for(url: str) -> str | None:
    """$JINASEARCH_API_KEY, else the keyring's password for service "jinasearch" and user `url`."""
    env = os.environ.get(ENV_API_KEY)
    if env:
        return env
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, url)
    except Exception as exc:  # noqa: BLE001 - no keyring backend (headless), locked, not installed
        log.debug("no API key from the keyring: %s", exc)
        return None


def save_api_key(url: str, key: str) -> None:
    """Keep `key` in the OS keyring for `url` (raises the keyring's error when there is no keyring)."""
    import keyring

    if key:
        keyring.set_password(KEYRING_SERVICE, url, key)
    else:
        try:
            keyring.delete_password(KEYRING_SERVICE, url)
        except Exception:  # noqa: BLE001 - nothing to delete
            pass

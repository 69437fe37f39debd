"""First-run model download with byte progress, and a fast offline check instead of minutes of retries."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from ..errors import ModelUnavailableError

OnProgress = Callable[[int, int], None]  # bytes done, bytes total (0 while unknown)


def is_local(name: str) -> bool:
    return os.path.isdir(os.path.expanduser(name))


def is_cached(name: str) -> bool:
    """Whether a hub model is already complete in the local Hugging Face cache (no network used)."""
    from huggingface_hub import snapshot_download

    try:
        snapshot_download(name, local_files_only=True)
        return True
    except Exception:  # noqa: BLE001 - any miss (not cached, partial, bad name) means "not cached"
        return False


def hub_reachable(timeout: float = 3.0) -> bool:
    """A TCP connect to the model hub: offline machines answer in milliseconds or time out in seconds,
    where the hub client would retry for over a minute before giving up."""
    if os.environ.get("HF_HUB_OFFLINE") == "1":
        return False
    url = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname or "huggingface.co", port), timeout=timeout):
            return True
    except OSError:
        return False


def offline_message(name: str) -> str:
    return (
        f"model '{name}' is not downloaded yet and the model hub cannot be reached. Connect to the internet "
        "once so it can be downloaded (it is cached for offline use afterwards), or choose a "
        "sentence-transformers model folder on this computer (--model, JINASEARCH_MODEL or Settings)."
    )


def fetch_model(name: str, on_progress: OnProgress | None = None) -> None:
    """Make sure a hub model is in the local cache, reporting bytes as they arrive; no-op for local
    folders and cached models. Raises ModelUnavailableError with what to do when it cannot."""
    if is_local(name) or is_cached(name):
        return
    if not hub_reachable():
        raise ModelUnavailableError(offline_message(name))
    from huggingface_hub import snapshot_download

    try:
        snapshot_download(name, tqdm_class=_progress_class(on_progress))
    except Exception as exc:  # noqa: BLE001 - network, auth, disk: all end as one clear message
        raise ModelUnavailableError(f"downloading model '{name}' failed: {str(exc).splitlines()[0][:200]}") from None


def _progress_class(on_progress: OnProgress | None) -> Any:
    """A tqdm class that forwards the hub's byte counter (its bars with unit 'B') to `on_progress`."""
    from tqdm.auto import tqdm

    class Reporting(tqdm):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["disable"] = True  # no terminal output: the caller shows progress its own way
            super().__init__(*args, **kwargs)
            self._bytes = kwargs.get("unit") == "B"
            self._done = int(kwargs.get("initial") or 0)  # a disabled tqdm does not count: we do

        def update(self, n: float | None = 1) -> bool | None:
            out = super().update(n)
            self._done += int(n or 0)
            if self._bytes and on_progress is not None:
                on_progress(self._done, int(self.total or 0))
            return out

    return Reporting

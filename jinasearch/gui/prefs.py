"""The user's choices, saved with QSettings between runs, and the core Settings they translate to."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QSettings

from ..core.config import (
    DEFAULT_CHUNK_TOKENS,
    DEFAULT_EMBED_CAP,
    DEFAULT_LATE_WINDOW,
    DEFAULT_MODEL,
    DEFAULT_OVERLAP_TOKENS,
    ENV_MODEL,
    LARGE_MODEL,
    Recipe,
    Settings,
    default_api,
    default_server,
)
from ..core.policy import model_key
from .model import Backend
from .server_link import API_NAMES, normal_url

MODEL_CHOICES: tuple[tuple[str, str], ...] = (
    ("Jina v2 small, English (fast, 512-dim)", DEFAULT_MODEL),
    ("Jina v2 base, English (better, slower)", LARGE_MODEL),
)
DEVICES = ("auto", "cpu", "cuda", "mps")
# The settings dialog's API choice: None asks the server which one it speaks.
APIS: tuple[tuple[str, str | None], ...] = (
    ("Auto (ask the server)", None),
    *((name, api) for api, name in API_NAMES.items()),
)
Where = Literal["local", "server"]
# The late-chunking window the settings accept, in tokens: below 64 a window holds little more than the
# passage itself; above 8,192 no model we know reads (Jina v2's limit; the model's own limit caps it too).
LATE_WINDOW_RANGE = (64, 8192)
# The choices whose change makes the app rescan every folder with them: a run with another recipe than
# the index's stages the re-embed (core/indexing/reembed.py), search answering meanwhile.
RESCAN_FIELDS = ("excludes", "default_excludes", "embed_cap", "run_recipe")


@dataclass(frozen=True)
class Prefs:
    model: str = DEFAULT_MODEL
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS
    excludes: tuple[str, ...] = field(default_factory=tuple)
    device: str = "auto"
    default_excludes: bool = True  # the built-in rules (core/config.py), for every folder
    embed_cap: int | None = DEFAULT_EMBED_CAP  # vectors for at most this many passages of a file (None: all)
    # Where to embed: "local" runs `model` on `device`; "server" sends passages to `server_url`, where the
    # model is `server_model` (as that server spells it). Both sets are kept, so switching back and
    # forth in the dialog does not lose what was typed. No API key here: it lives in the OS keyring.
    where: Where = "local"
    server_url: str = ""
    api: str | None = None  # "ollama", "openai"; None: asked of the server
    server_model: str = ""
    # Hosts the person agreed to send passage text to (asked once per host, core/embed/server/address.py).
    trusted_hosts: tuple[str, ...] = ()
    # How passage vectors are made (late chunking or each passage alone). None until the person chooses
    # in the settings: the index's own recipe then holds (a new index: core default_recipe), so an index
    # made by the command line is not re-embedded just because the app opened it.
    recipe: Recipe | None = None

    @property
    def server(self) -> str | None:
        """The embedding server's URL when one is chosen; None: the model runs on this computer."""
        return self.server_url if self.where == "server" and self.server_url else None

    @property
    def embed_model(self) -> str:
        """The model's name as its runtime knows it (a hub name or folder here, the server's name there)."""
        return self.server_model if self.server is not None else self.model

    @property
    def model_key(self) -> str:
        """How the index records the chosen model: a served model differs from a local one of the same name."""
        return model_key(self.embed_model, served=self.server is not None)

    @property
    def backend(self) -> Backend:
        """Where the chosen model runs; the device means nothing to a served model (a change is no reload)."""
        if self.server is not None:
            return Backend(server=self.server, api=self.api)
        return Backend(device=self.device)

    def settings(self, data_dir: Path) -> Settings:
        return Settings(
            data_dir=data_dir,
            model=self.embed_model,
            chunk_tokens=self.chunk_tokens,
            overlap_tokens=self.overlap_tokens,
            excludes=self.excludes,
            device=self.device,
            default_excludes=self.default_excludes,
            embed_cap=self.embed_cap,
            server=self.server,
            api=self.api if self.server is not None else None,
            recipe=self.run_recipe,
        )

    @property
    def run_recipe(self) -> Recipe | None:
        """The recipe runs ask for: a served model gives no token vectors, so it embeds each passage alone
        whatever was chosen for this computer's model (kept for when the person comes back to it)."""
        return Recipe() if self.server is not None else self.recipe


def _str_list(value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]  # type: ignore[union-attr]


def _int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _bool(value: object, default: bool) -> bool:
    """QSettings gives a bool back as a bool or, from an ini file, as the text 'true' / 'false'."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return default


def _text(value: object) -> str:
    return str(value or "").strip()


def _recipe(qs: QSettings) -> Recipe | None:
    """The saved recipe; None when the person never chose one (or the file holds no usable choice)."""
    saved = qs.value("late_chunking")
    if _bool(saved, True) != _bool(saved, False):
        return None  # neither a bool nor 'true' / 'false': never chosen
    low, high = LATE_WINDOW_RANGE
    return Recipe(
        late=_bool(saved, False),
        window=min(high, max(low, _int(qs.value("late_window"), DEFAULT_LATE_WINDOW))),
        place_lines=_bool(qs.value("late_place_lines"), True),
    )


def load_prefs(qs: QSettings) -> Prefs:
    """Saved choices. $JINASEARCH_MODEL, when set, wins over the saved model in use (tests, scripts), as
    $JINASEARCH_SERVER and $JINASEARCH_API win over the saved server, as for the command line."""
    env_server = normal_url(default_server())  # checked as the command line checks it
    server_url = env_server or _text(qs.value("server/url"))
    where: Where = "server" if env_server or _text(qs.value("where")) == "server" else "local"
    api = default_api() or _text(qs.value("server/api")) or None
    model = _text(qs.value("model")) or DEFAULT_MODEL
    server_model = _text(qs.value("server/model"))
    env_model = os.environ.get(ENV_MODEL)
    if env_model and where == "server" and server_url:
        server_model = env_model
    elif env_model:
        model = env_model
    device = _text(qs.value("device")) or "auto"
    return Prefs(
        model=model,
        chunk_tokens=max(16, _int(qs.value("chunk_tokens"), DEFAULT_CHUNK_TOKENS)),
        overlap_tokens=max(0, _int(qs.value("overlap_tokens"), DEFAULT_OVERLAP_TOKENS)),
        excludes=tuple(_str_list(qs.value("excludes"))),
        device=device if device in DEVICES else "auto",
        default_excludes=_bool(qs.value("default_excludes"), True),
        embed_cap=_int(qs.value("embed_cap"), DEFAULT_EMBED_CAP) or None,  # 0: no cap
        where=where if server_url else "local",
        server_url=server_url,
        api=api if api in [a for _label, a in APIS] else None,
        server_model=server_model,
        trusted_hosts=tuple(_str_list(qs.value("server/trusted_hosts"))),
        recipe=_recipe(qs),
    )


def save_prefs(qs: QSettings, prefs: Prefs) -> None:
    qs.setValue("model", prefs.model)
    qs.setValue("chunk_tokens", prefs.chunk_tokens)
    qs.setValue("overlap_tokens", prefs.overlap_tokens)
    qs.setValue("excludes", list(prefs.excludes))
    qs.setValue("device", prefs.device)
    qs.setValue("default_excludes", prefs.default_excludes)
    qs.setValue("embed_cap", prefs.embed_cap or 0)
    qs.setValue("where", prefs.where)
    qs.setValue("server/url", prefs.server_url)
    qs.setValue("server/api", prefs.api or "")
    qs.setValue("server/model", prefs.server_model)
    qs.setValue("server/trusted_hosts", list(prefs.trusted_hosts))
    if prefs.recipe is None:
        qs.remove("late_chunking")
        qs.remove("late_window")
        qs.remove("late_place_lines")
    else:
        qs.setValue("late_chunking", prefs.recipe.late)
        qs.setValue("late_window", prefs.recipe.window)
        qs.setValue("late_place_lines", prefs.recipe.place_lines)
    qs.sync()


def load_folders(qs: QSettings) -> list[str]:
    return _str_list(qs.value("folders"))


def save_folders(qs: QSettings, folders: list[str]) -> None:
    qs.setValue("folders", list(folders))
    qs.sync()

"""The user's choices, saved with QSettings between runs, and the core Settings they translate to."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSettings

from ..core.config import (
    DEFAULT_CHUNK_TOKENS,
    DEFAULT_MODEL,
    DEFAULT_OVERLAP_TOKENS,
    ENV_MODEL,
    LARGE_MODEL,
    Settings,
)

MODEL_CHOICES: tuple[tuple[str, str], ...] = (
    ("Jina v2 small, English (fast, 512-dim)", DEFAULT_MODEL),
    ("Jina v2 base, English (better, slower)", LARGE_MODEL),
)
DEVICES = ("auto", "cpu", "cuda", "mps")


@dataclass(frozen=True)
class Prefs:
    model: str = DEFAULT_MODEL
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS
    excludes: tuple[str, ...] = field(default_factory=tuple)
    device: str = "auto"
    default_excludes: bool = True  # the built-in rules (core/config.py), for every folder

    def settings(self, data_dir: Path) -> Settings:
        return Settings(
            data_dir=data_dir,
            model=self.model,
            chunk_tokens=self.chunk_tokens,
            overlap_tokens=self.overlap_tokens,
            excludes=self.excludes,
            device=self.device,
            default_excludes=self.default_excludes,
        )


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


def load_prefs(qs: QSettings) -> Prefs:
    """Saved choices; $JINASEARCH_MODEL, when set, wins over the saved model (tests, scripts)."""
    model = os.environ.get(ENV_MODEL) or str(qs.value("model", "") or "") or DEFAULT_MODEL
    device = str(qs.value("device", "auto") or "auto")
    return Prefs(
        model=model,
        chunk_tokens=max(16, _int(qs.value("chunk_tokens"), DEFAULT_CHUNK_TOKENS)),
        overlap_tokens=max(0, _int(qs.value("overlap_tokens"), DEFAULT_OVERLAP_TOKENS)),
        excludes=tuple(_str_list(qs.value("excludes"))),
        device=device if device in DEVICES else "auto",
        default_excludes=_bool(qs.value("default_excludes"), True),
    )


def save_prefs(qs: QSettings, prefs: Prefs) -> None:
    qs.setValue("model", prefs.model)
    qs.setValue("chunk_tokens", prefs.chunk_tokens)
    qs.setValue("overlap_tokens", prefs.overlap_tokens)
    qs.setValue("excludes", list(prefs.excludes))
    qs.setValue("device", prefs.device)
    qs.setValue("default_excludes", prefs.default_excludes)
    qs.sync()


def load_folders(qs: QSettings) -> list[str]:
    return _str_list(qs.value("folders"))


def save_folders(qs: QSettings, folders: list[str]) -> None:
    qs.setValue("folders", list(folders))
    qs.sync()

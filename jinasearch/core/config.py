"""Where the index lives and which model builds it: defaults, environment overrides, validation."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataDirError

DEFAULT_MODEL = "jinaai/jina-embeddings-v2-small-en"
LARGE_MODEL = "jinaai/jina-embeddings-v2-base-en"
APP_NAME = "jinasearch"

ENV_DATA_DIR = "JINASEARCH_DATA_DIR"
ENV_MODEL = "JINASEARCH_MODEL"

# Folders nobody wants searched: version control, dependency caches, virtual environments.
DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "__pycache__",
    ".venv",
    "venv",
    "env",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    "site-packages",
)

# Passage size in model tokens, and the tokens neighbouring passages share (see docs/benchmarks.md,
# "Passage size"). Every default lives here; the CLI, the app's settings and the re-cut read these.
DEFAULT_CHUNK_TOKENS = 200
DEFAULT_OVERLAP_TOKENS = 32

DB_NAME = "index.sqlite3"
FAISS_NAME = "vectors.faiss"
LOCK_NAME = "indexer.lock"


@dataclass(frozen=True)
class Settings:
    """Everything a run needs that a user may choose; frozen so a running job cannot see it change."""

    data_dir: Path
    model: str = DEFAULT_MODEL
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS
    # The user's exclusion globs, on top of DEFAULT_EXCLUDES.
    excludes: tuple[str, ...] = field(default_factory=tuple)
    device: str = "auto"

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_NAME

    @property
    def faiss_path(self) -> Path:
        return self.data_dir / FAISS_NAME

    @property
    def lock_path(self) -> Path:
        return self.data_dir / LOCK_NAME


def default_data_dir() -> Path:
    """The data directory: $JINASEARCH_DATA_DIR, else the platform's user data directory."""
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_model() -> str:
    """The model name: $JINASEARCH_MODEL, else the Jina small English model."""
    return os.environ.get(ENV_MODEL) or DEFAULT_MODEL


def ensure_data_dir(path: Path) -> Path:
    """Create the data directory and prove it is writable, or raise a message that says what to do."""
    path = path.expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DataDirError(
            f"cannot write to data directory {path}: {exc.strerror or exc}. "
            f"Choose another with --data-dir or ${ENV_DATA_DIR}."
        ) from None
    return path

"""Where the index lives and which model builds it: defaults, environment overrides, validation."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import DataDirError, IndexNewerError
from .run_records import ExcludeRule

DEFAULT_MODEL = "jinaai/jina-embeddings-v2-small-en"
LARGE_MODEL = "jinaai/jina-embeddings-v2-base-en"
APP_NAME = "jinasearch"

ENV_DATA_DIR = "JINASEARCH_DATA_DIR"
ENV_MODEL = "JINASEARCH_MODEL"
ENV_SERVER = "JINASEARCH_SERVER"
ENV_API = "JINASEARCH_API"

# What a scan leaves out on its own, unless switched off (`index --no-default-excludes`, or "Skip
# hidden files, Python environments and package folders" in the app's settings). Each rule is kept
# narrow on purpose: a rule on a bare name such as `env`, `venv`, `build` or `lib` would drop a
# person's own folder of that name without a word. So a folder counts as a Python environment by what
# it holds (pyvenv.cfg, which venv and virtualenv write; conda-meta/, which conda writes), whatever it
# is called; only names no person picks for their documents are matched by name. Rules never apply
# to a folder given to `index` itself, only to what is found beneath it. Every skip is recorded
# (core/models.py: Skipped) and shown by `jinasearch status` and the app's "Skipped…" list.
DEFAULT_EXCLUDE_RULES: dict[ExcludeRule, str] = {
    "hidden": "names starting with '.' (.git, .venv, .tox, .cache, ...)",
    "python-env": "folders holding pyvenv.cfg or conda-meta (Python environments, whatever their name)",
    "node_modules": "folders named node_modules",
    "__pycache__": "folders named __pycache__",
    "site-packages": "folders named site-packages or dist-packages",
}
# Every reason a scan leaves something out, as status and the app's Skipped list explain it.
SKIP_REASONS: dict[ExcludeRule, str] = {**DEFAULT_EXCLUDE_RULES, "empty": "an empty file: nothing to index"}
# The names behind the rules above, in one place for the scanner.
PYTHON_ENV_MARKERS: frozenset[str] = frozenset({"pyvenv.cfg", "conda-meta"})
EXCLUDED_FOLDER_NAMES: dict[str, ExcludeRule] = {
    "node_modules": "node_modules",
    "__pycache__": "__pycache__",
    "site-packages": "site-packages",
    "dist-packages": "site-packages",
}

# Passage size in model tokens, and the tokens neighbouring passages share (see docs/benchmarks.md,
# "Tokenizer estimate and passage size"). Every default lives here; the CLI, the app's settings and the re-cut read these.
DEFAULT_CHUNK_TOKENS = 200
DEFAULT_OVERLAP_TOKENS = 32

# Section cuts: a heading always starts a new passage, however short the section before it (off: a
# short section stays with its neighbours, core/chunk.py: MIN_FILL). Measured in docs/benchmarks.md, "Late chunking".
DEFAULT_SECTION_CUTS = False
# Topic cuts: passages also end where the subject changes, judged from the model's sentence vectors
# (core/topics.py), so they are made after the reading, by a pass with the model (indexing/topic_pass.py).
# Off: on docs-dev they cost file ranking and passages more than they gain (docs/benchmarks.md, "Late chunking").
DEFAULT_TOPIC_CUTS = False

# Late chunking (core/embed/late.py): on by default for the models it was made with (Jina v2: 8,192
# positions; the late-chunking paper's BEIR gains are with jina-embeddings-v2-small), off for the others:
# with MiniLM it costs docs-dev's file ranking more than it gains in passages. The window, the most
# tokens the model reads at once (capped by the model's positions: 512 for MiniLM), is the largest
# whose CPU cost per passage stays near 1.3x the naive path's. Figures: docs/benchmarks.md, "Late chunking".
DEFAULT_LATE_CHUNKING = False
LATE_CHUNKING_MODELS = ("jina-embeddings-v2-",)
DEFAULT_LATE_WINDOW = 1024
# Smaller windows for the models that would otherwise hold a pause or a cancel for much longer than a
# second on a CPU (the model cannot stop inside a window): v2-base reads 1,024 tokens in ~2.1 s here and
# 512 in ~1.0 s, at the same cost per passage (1.16x). With a GPU, --late-window 8192 is the user's choice.
LATE_WINDOW_BY_MODEL = {"jina-embeddings-v2-base-": 512}

# Passages of one file that get vectors; the rest stays keyword-searchable only (indexing/budget.py).
# 2,000 passages of 200 tokens is about 350 pages of a dense manual: every manual of the docs-dev
# set (the longest, gnuplot's, is 1,482) is embedded whole, while one 20 MB log or a dump, had its
# folder's "also search by meaning" switch on, costs about a minute of a laptop CPU, not an hour.
DEFAULT_EMBED_CAP = 2000
# Passages are embedded tier by tier: the first EMBED_TIER passages of every file, then the next
# (store/schema.py: PENDING). 64 passages is about 25 pages: a small file gets all its vectors in
# the first tier, and one huge file waits behind the openings of all the others.
EMBED_TIER = 64

# Runs in a row that may read a file again after a limit of this machine (time, memory, a lost worker)
# stopped it: a busy hour at first indexing must not cost the file for good, a file that always hits
# the limit must not cost every run its time.
LIMIT_TRIES = 3

DB_NAME = "index.sqlite3"
FAISS_NAME = "vectors.faiss"
LOCK_NAME = "indexer.lock"


# How passage vectors are made (core/embed/late.py), as the index records it: `Recipe.key`.
NAIVE = "naive"
_LATE_KEY = re.compile(r"late:(\d+)(:bare)?")


@dataclass(frozen=True)
class Recipe:
    """How passage vectors are made, as the index records it beside the model: naive (each passage
    alone) or late chunking with windows of up to `window` tokens (capped by the model's positions)."""

    late: bool = False
    window: int = DEFAULT_LATE_WINDOW
    # Late chunking: each passage begins with its place line (title and heading path, context.py:
    # model_input) inside the window, as a naive passage does; False ("bare"): the window holds the
    # passages' own text only, their context coming from the document around them.
    place_lines: bool = True

    @property
    def key(self) -> str:
        if not self.late:
            return NAIVE
        return f"late:{self.window}" + ("" if self.place_lines else ":bare")

    @classmethod
    def from_key(cls, key: str | None) -> Recipe:
        """The recipe an index records; no record is an index from before late chunking: naive."""
        if key in (None, "", NAIVE):
            return cls()
        m = _LATE_KEY.fullmatch(key or "")
        if m is None:  # a newer version's recipe: say so instead of guessing how its vectors were made
            raise IndexNewerError(
                f"this index's vectors were made by a recipe this version does not know ('{key}'): "
                "update jinasearch, or index into another --data-dir"
            )
        return cls(late=True, window=int(m.group(1)), place_lines=m.group(2) is None)

    def describe(self) -> str:
        if not self.late:
            return "each passage alone"
        bare = "" if self.place_lines else ", passages without their title and section line"
        return f"late chunking, windows of {self.window} tokens{bare}"


def default_recipe(model_key: str) -> Recipe:
    """The recipe a new index takes with this model (a served model cannot late-chunk: one vector per text)."""
    from .policy import served_name

    name = model_key.lower()
    late = DEFAULT_LATE_CHUNKING or any(m in name for m in LATE_CHUNKING_MODELS)
    return Recipe(late=late and served_name(model_key) is None, window=default_window(model_key))


def default_window(model: str) -> int:
    """The late-chunking window a model gets unless one is given (before its positions cap it)."""
    name = model.lower()
    return next((w for m, w in LATE_WINDOW_BY_MODEL.items() if m in name), DEFAULT_LATE_WINDOW)


@dataclass(frozen=True)
class Settings:
    """Everything a run needs that a user may choose; frozen so a running job cannot see it change."""

    data_dir: Path
    model: str = DEFAULT_MODEL
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS
    section_cuts: bool = DEFAULT_SECTION_CUTS
    topic_cuts: bool = DEFAULT_TOPIC_CUTS
    # The user's exclusion globs, on top of DEFAULT_EXCLUDE_RULES.
    excludes: tuple[str, ...] = field(default_factory=tuple)
    # False: the built-in rules skip nothing, only the user's globs do. One choice for every folder, as
    # the app's exclusion globs are: a person who wants hidden folders or node_modules searched wants it
    # wherever they are, and a per-folder switch would have to be found again for each folder.
    default_excludes: bool = True
    device: str = "auto"
    # Vectors for at most this many passages of one file (None: no cap; "recorded": the cap the index
    # was last labelled for, so a command-line run without --embed-cap keeps the app's choice), indexing/budget.py.
    embed_cap: int | None | Literal["recorded"] = DEFAULT_EMBED_CAP
    # An embedding server's base URL (None: the model runs here), and the API it speaks ("ollama" or
    # "openai"; None: found out by asking it). See core/embed/server/.
    server: str | None = None
    api: str | None = None
    # How passage vectors are made (None: as the index records; a new index takes default_recipe(model)).
    # Another recipe than the index's re-embeds through staging (indexing/reembed.py).
    recipe: Recipe | None = None

    @property
    def model_key(self) -> str:
        """How this run's model is recorded in the index (core/policy.py)."""
        from .policy import model_key

        return model_key(self.model, served=self.server is not None)

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


def default_server() -> str | None:
    """The embedding server: $JINASEARCH_SERVER, else None (the model runs on this computer)."""
    return os.environ.get(ENV_SERVER) or None


def default_api() -> str | None:
    """$JINASEARCH_API ("ollama" or "openai"), else None: asked of the server."""
    return os.environ.get(ENV_API) or None


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

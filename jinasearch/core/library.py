"""What a front end shows about the index without touching SQL: folder stats, failed files, text, removal."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .config import Recipe, Settings, ensure_data_dir
from .errors import IndexBusyError, UnknownFolderError, UnknownTypeError
from .lock import GRACE_S
from .models import Filters
from .run_records import FailedFile, FolderStats, Skipped
from .store import DocText, Store, save_vectors
from .store.recovery import leftovers
from .store.staging import Staging


@dataclass(frozen=True)
class SwitchStatus:
    """A re-embed under way (another model, another recipe or both): what is being staged and how far
    it got."""

    model: str
    staged: int
    remaining: int
    recipe: Recipe = Recipe()  # how the staged vectors are made (core/embed/late.py)


@dataclass(frozen=True)
class LibraryStatus:
    """A snapshot for a folder panel or `jinasearch status`: counts per folder, failed files with reasons,
    and what the built-in exclusion rules left out, with the rule."""

    folders: tuple[FolderStats, ...] = ()
    failed: tuple[FailedFile, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    model: str | None = None
    dim: int | None = None
    # How the index's vectors are made (naive or late chunking); None while it records no model.
    recipe: Recipe | None = None
    indexed: int = 0
    passages: int = 0
    embedded: int = 0
    # Passages kept for keyword search only by choice (data files, past one file's cap: indexing/budget.py).
    keyword_only: int = 0
    # A model switch under way (the index still answers with `model`); None otherwise.
    switch: SwitchStatus | None = None
    # Damaged copies of the index set aside by a repair, kept until the next complete run.
    damaged_copies: tuple[Path, ...] = ()
    # A served model's embedding server and API (None: the model runs on this computer).
    server: str | None = None
    server_api: str | None = None

    @property
    def pending(self) -> int:
        """Passages waiting for a vector (not those keyword only by choice)."""
        return self.passages - self.embedded - self.keyword_only

    @property
    def keyword_only_files(self) -> int:
        return sum(f.keyword_only_files for f in self.folders)

    @property
    def staged_model(self) -> str | None:
        return self.switch.model if self.switch is not None else None

    @property
    def next_recipe(self) -> Recipe | None:
        """The recipe new vectors are made with: a switch's under way, else the index's."""
        return self.switch.recipe if self.switch is not None else self.recipe


def read_status(settings: Settings, *, switch_counts: bool = False) -> LibraryStatus:
    """Folder stats and failed files; an empty status when there is no index yet. `switch_counts`
    also counts what a model switch has staged (a scan of the staging table: the CLI's status asks)."""
    if not settings.db_path.exists():
        return LibraryStatus()
    store = Store(settings.db_path, readonly=True)
    try:
        with store.snapshot():  # one committed state; a damaged page is a CorruptIndexError
            counts = store.counts()
            staging = Staging(store)
            staged = staging.model
            switch = None
            if staged is not None:
                switch = SwitchStatus(
                    staged,
                    staging.count_staged() if switch_counts else 0,
                    staging.count_unstaged() if switch_counts else 0,
                    Recipe.from_key(staging.recipe),
                )
            server, server_api = store.server()
            return LibraryStatus(
                folders=tuple(store.folder_stats()),
                failed=tuple(store.failed()),
                skipped=tuple(store.skipped()),
                model=store.model(),
                dim=store.dim(),
                recipe=Recipe.from_key(store.recipe()) if store.model() is not None else None,
                indexed=counts.indexed,
                passages=counts.passages,
                embedded=counts.embedded,
                keyword_only=counts.keyword_only,
                switch=switch,
                damaged_copies=tuple(leftovers(settings.data_dir)),
                server=server,
                server_api=server_api,
            )
    finally:
        store.close()


def document_text(settings: Settings, doc_id: int) -> DocText | None:
    """A document's full extracted text, pages and headings, for a preview; None when it is gone."""
    if not settings.db_path.exists():
        return None
    store = Store(settings.db_path, readonly=True)
    try:
        return store.doc_text(doc_id)
    finally:
        store.close()


def indexed_folders(settings: Settings) -> list[str]:
    """The folders the index knows, as they were given to `index`."""
    if not settings.db_path.exists():
        return []
    store = Store(settings.db_path, readonly=True)
    try:
        return [f.path for f in store.folders()]
    finally:
        store.close()


def check_filters(settings: Settings, filters: Filters) -> tuple[str, ...]:
    """Refuse filters that can only find nothing, saying why; else the asked file types the index lacks.

    UnknownFolderError: the folder is neither under an indexed folder nor holds one. UnknownTypeError:
    the index has no searchable file of any asked type. An index with nothing searchable passes: the
    search itself then says it is empty (or still filling)."""
    if not settings.db_path.exists():
        return ()
    store = Store(settings.db_path, readonly=True)
    try:
        folders, known = tuple(f.path for f in store.folders()), tuple(store.file_types())
    finally:
        store.close()
    if not folders or not known:
        return ()
    if filters.folder and not any(_overlaps(filters.folder, f) for f in folders):
        raise UnknownFolderError(
            f"{filters.folder} is not under any indexed folder, so nothing can be found there "
            f"(indexed: {', '.join(folders)})",
            filters.folder,
            folders,
        )
    return UnknownTypeError.check(filters.exts, known)


def _overlaps(folder: str, indexed: str) -> bool:
    """Whether a search under `folder` can meet documents of `indexed`: one holds the other."""
    a, b = os.path.abspath(folder).rstrip(os.sep) + os.sep, indexed.rstrip(os.sep) + os.sep
    return a.startswith(b) or b.startswith(a)


def remove_folder(settings: Settings, path: str) -> int:
    """Forget a folder and its documents, passages and vectors; returns how many files it held."""
    from filelock import FileLock, Timeout

    if not settings.db_path.exists():
        return 0
    ensure_data_dir(settings.data_dir)
    path = os.path.abspath(os.path.expanduser(path))
    lock = FileLock(str(settings.lock_path))
    try:
        lock.acquire(timeout=GRACE_S)
    except Timeout:
        raise IndexBusyError("another jinasearch process is indexing; try again when it has finished") from None
    try:
        store = Store(settings.db_path)
        try:
            folder_id = store.folder_id(path)
            if folder_id is None:
                return 0  # never indexed (or already removed): nothing to forget
            n = store.remove_folder(folder_id)
            save_vectors(store, settings.faiss_path)
            store.vacuum()
            return n
        finally:
            store.close()
    finally:
        lock.release()

"""What a front end shows about the index without touching SQL: folder stats, failed files, text, removal."""

from __future__ import annotations

import os
from dataclasses import dataclass

from .config import Settings, ensure_data_dir
from .errors import IndexBusyError
from .models import Page
from .store import FolderStats, Store


@dataclass(frozen=True)
class LibraryStatus:
    """A snapshot for a folder panel: per-folder counts and the files that failed, with reasons."""

    folders: tuple[FolderStats, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    model: str | None = None
    passages: int = 0
    embedded: int = 0
    # A model switch under way: the model being staged (the index still answers with `model`).
    staged_model: str | None = None


def read_status(settings: Settings) -> LibraryStatus:
    """Folder stats and failed files; an empty status when there is no index yet."""
    if not settings.db_path.exists():
        return LibraryStatus()
    store = Store(settings.db_path, readonly=True)
    try:
        counts = store.counts()
        return LibraryStatus(
            folders=tuple(store.folder_stats()),
            failed=tuple(store.failed()),
            model=store.get_meta("model"),
            passages=counts["passages"],
            embedded=counts["embedded"],
            staged_model=store.get_meta("staged_model"),
        )
    finally:
        store.close()


def document_text(settings: Settings, doc_id: int) -> tuple[str, tuple[Page, ...]] | None:
    """A document's full extracted text and pages, for a preview; None when it is gone."""
    if not settings.db_path.exists():
        return None
    store = Store(settings.db_path, readonly=True)
    try:
        return store.doc_text(doc_id)
    finally:
        store.close()


def remove_folder(settings: Settings, path: str) -> int:
    """Forget a folder and its documents, passages and vectors; returns how many files it held."""
    from filelock import FileLock, Timeout

    from .store import open_vectors

    if not settings.db_path.exists():
        return 0
    ensure_data_dir(settings.data_dir)
    path = os.path.abspath(os.path.expanduser(path))
    lock = FileLock(str(settings.lock_path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise IndexBusyError("another jinasearch process is indexing; try again when it has finished") from None
    try:
        store = Store(settings.db_path)
        try:
            folder_id = store.folder_id(path)
            if folder_id is None:
                return 0  # never indexed (or already removed): nothing to forget
            n = store.remove_folder(folder_id)
            dim = store.get_meta("dim")
            if dim:
                open_vectors(store, settings.faiss_path, int(dim)).save(settings.faiss_path)
            return n
        finally:
            store.close()
    finally:
        lock.release()

"""Errors a person can act on: each carries a one-line message that says what to do."""

from __future__ import annotations


class JinaSearchError(Exception):
    """Base for errors shown to a user as a single line (never a traceback)."""


class PathMissingError(JinaSearchError):
    """A path given by the user does not exist."""


class IndexEmptyError(JinaSearchError):
    """Search was asked of an index that has nothing in it yet."""


class IndexFillingError(IndexEmptyError):
    """Search was asked while an indexing run holds the writer lock and has committed nothing yet.

    An IndexEmptyError still (there is nothing to search), which the index stops being in a moment."""


class UnknownFolderError(JinaSearchError):
    """A search's folder filter lies outside every indexed folder: it could only ever find nothing."""

    def __init__(self, message: str, folder: str, indexed: tuple[str, ...]) -> None:
        super().__init__(message)
        self.folder = folder
        self.indexed = indexed


class UnknownTypeError(JinaSearchError):
    """A search's type filter names only file types the index has no searchable file of."""

    def __init__(self, message: str, asked: tuple[str, ...], known: tuple[str, ...]) -> None:
        super().__init__(message)
        self.asked = asked
        self.known = known


class ModelMismatchError(JinaSearchError):
    """The index was built with another model; mixing vectors would give nonsense."""


class ModelUnavailableError(JinaSearchError):
    """The embedding model could not be loaded (offline and not cached, bad name, ...)."""


class DataDirError(JinaSearchError):
    """The data directory cannot be created or written."""


class IndexBusyError(JinaSearchError):
    """Another process is indexing into the same data directory."""


class ExtractionError(Exception):
    """A file could not be read; `reason` is short and meant for a person. `limited`: a limit of this
    machine stopped it (memory), not the file itself, so a later run tries again."""

    def __init__(self, reason: str, *, limited: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.limited = limited


class CorruptIndexError(JinaSearchError):
    """The index database is damaged: a reader cannot use it, or a writer cannot repair it now."""


class IndexOutdatedError(JinaSearchError):
    """A reader found an index made by an older version; only a writer may migrate it."""

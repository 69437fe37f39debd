"""Errors a person can act on: each carries a one-line message that says what to do."""

from __future__ import annotations

from collections.abc import Sequence


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

    @classmethod
    def check(cls, asked: Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
        """The asked types (any case, with or without a dot) the index lacks; raised when it lacks every
        one of them, as the filter box and `type:` alike could then only find nothing. An index
        knowing no type passes: the search itself says it is empty (or still filling)."""
        wanted, have = tuple(dict.fromkeys(e.lower().lstrip(".") for e in asked)), tuple(known)
        missing = tuple(e for e in wanted if e not in have)
        if wanted and have and missing == wanted:
            raise cls(f"the index has no {' or '.join(wanted)} files (it has: {', '.join(have)})", wanted, have)
        return missing


class ModelMismatchError(JinaSearchError):
    """The index was built with another model; mixing vectors would give nonsense. `recorded`: the
    index's model (None where a caller did not know it)."""

    def __init__(self, message: str, recorded: str | None = None) -> None:
        super().__init__(message)
        self.recorded = recorded


class RecipeUnsupportedError(JinaSearchError):
    """Late chunking was asked of a model that gives no token vectors (a model on an embedding server)."""


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


class NotReadHereError(ExtractionError):
    """A file this reading does not read, by design, not by damage: a type no extractor handles, an
    image attached to a mail (OCR reads the index's files, not attachments). A mail names such an
    attachment without calling the mail read in part."""


class AttachmentGoneError(JinaSearchError):
    """A mail attachment found in the index that its mail file no longer holds (moved, changed, deleted
    since it was indexed): it cannot be opened until the next run reads the mail again."""


class CorruptIndexError(JinaSearchError):
    """The index database is damaged: a reader cannot use it, or a writer cannot repair it now."""


class IndexOutdatedError(JinaSearchError):
    """A reader found an index made by an older version; only a writer may migrate it."""


class IndexNewerError(JinaSearchError):
    """The index records something only a newer version knows (an embedding recipe)."""


class ServerAddressError(JinaSearchError):
    """An embedding server's URL cannot be used as given (not http(s), no host, credentials in it)."""


class ServerError(ModelUnavailableError):
    """An embedding server gave no usable vectors. A ModelUnavailableError: a run without them indexes
    for keyword search, and the passages wait for their vectors. `transient`: worth trying again (the
    server is down, busy or slow), as opposed to a request it will always refuse."""

    def __init__(self, message: str, url: str, *, transient: bool) -> None:
        super().__init__(message)
        self.url = url
        self.transient = transient


class ServerUnreachableError(ServerError):
    """No answer: connection refused, unknown host, TLS failure, or a timeout."""

    def __init__(self, message: str, url: str, *, timed_out: bool = False) -> None:
        super().__init__(message, url, transient=True)
        self.timed_out = timed_out


class ServerReplyError(ServerError):
    """The server answered with an HTTP error; `detail` is its own message."""

    def __init__(self, message: str, url: str, *, status: int, detail: str) -> None:
        super().__init__(message, url, transient=status >= 500 or status in (408, 429))
        self.status = status
        self.detail = detail


class ServerModelMissingError(ServerReplyError):
    """The server does not have the model (Ollama: not pulled)."""


class ServerVectorsError(ServerError):
    """The server answered, but with vectors that cannot be stored: wrong count or dimension, NaN, zero."""

    def __init__(self, message: str, url: str) -> None:
        super().__init__(message, url, transient=False)

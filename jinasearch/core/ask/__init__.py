"""The command line asks the running app: one model in memory, answers in milliseconds.

`AskServer` (the app's side) listens on a same-user socket and answers with the front end's own
searcher (`answer_search`); `AppClient` (the command line's) asks it within timeouts and raises
`AppUnavailable` when the app is absent, slow or refuses, so the caller searches itself.
"""

from __future__ import annotations

from .answer import answer_search, refusal
from .client import ANSWER_TIMEOUT_S, CONNECT_TIMEOUT_S, AppClient, AppUnavailable, Unavailable
from .place import AskPlaceError, Place, place_for
from .server import AppAlreadyServing, AskServer
from .wire import Failed, Found, Refused, RefuseReason, Reply, SearchRequest

__all__ = [
    "ANSWER_TIMEOUT_S",
    "CONNECT_TIMEOUT_S",
    "AppAlreadyServing",
    "AppClient",
    "AppUnavailable",
    "AskPlaceError",
    "AskServer",
    "Failed",
    "Found",
    "Place",
    "RefuseReason",
    "Refused",
    "Reply",
    "SearchRequest",
    "Unavailable",
    "answer_search",
    "place_for",
    "refusal",
]

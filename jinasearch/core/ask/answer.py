"""The app's answer to one request: the same search the command line would run, with the app's searcher.

The app answers only what the command line would have found itself: the same index, the same model
and the same place it runs. Anything else is refused with its reason, and the command line searches
itself, so an answer from the app never differs from one made without it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..config import Settings
from ..errors import JinaSearchError
from ..models import Filters
from ..policy import model_key
from .wire import Failed, Found, Refused, Reply, SearchRequest

if TYPE_CHECKING:
    from ..search import Searcher


def refusal(searcher: Searcher, settings: Settings, request: SearchRequest) -> Refused | None:
    """Why the app must not answer `request` with `searcher` (opened on `settings`); None: it may."""
    if _real(request.data_dir) != _real(settings.data_dir):
        return Refused("other-index")
    if (request.server, request.api if request.server else None) != (
        settings.server,
        settings.api if settings.server else None,
    ):
        return Refused("other-settings")
    if request.model is not None and model_key(request.model, served=request.server is not None) != searcher.model:
        return Refused("other-model")
    # Without its model the app would answer by words alone where the command line, loading the
    # model, answers by meaning too: not the same answer.
    if request.mode != "keyword" and searcher.model is not None and searcher.embedder is None:
        return Refused("not-ready")
    return None


def answer_search(searcher: Searcher, settings: Settings, request: SearchRequest) -> Reply:
    """Check the filters and search as `jinasearch search` does (cli.py: cmd_search), or refuse."""
    from ..library import check_filters

    refused = refusal(searcher, settings, request)
    if refused is not None:
        return refused
    filters = request.filters or Filters()
    try:
        lacking = check_filters(settings, filters)
        hits = searcher.search(
            request.query,
            k=request.k,
            per_file=request.per_file,
            mode=request.mode,
            filters=filters,
            sentences=request.sentences,
        )
    except JinaSearchError as exc:
        return Failed(str(exc))
    why = searcher.unavailable
    return Found(tuple(hits), tuple(lacking), str(why) if why is not None else None)


def _real(path: str | os.PathLike[str]) -> str:
    return os.path.realpath(os.path.expanduser(path))

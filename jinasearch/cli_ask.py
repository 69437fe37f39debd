"""`jinasearch search` asks the running app first: its model is loaded already, so the answer takes
milliseconds instead of the seconds a model load takes here (core/ask/).

The app answers only a search it would answer exactly as this command would (same index, model,
server); otherwise, or when it is absent or slow, the command searches itself. Nothing on this path
imports numpy or torch: asking must cost far less than the load it saves (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence

from .core.config import Settings
from .core.errors import JinaSearchError

log = logging.getLogger(__name__)

# What is said on stderr when the app was there but did not answer (the command then searches
# itself). An app that is not running, or that serves another index or model, is not news: nothing.
FALLBACK_NOTES = {
    "slow": "the app answers slowly",
    "denied": "the app did not accept this user's key",
    "broken": "the connection to the app broke",
    "busy": "the app is busy",
    "not-ready": "the app is still loading its model",
    "closing": "the app is quitting",
    "version": "the app is another version of jinasearch",
    "failed": "the app could not answer",
}


def add_app_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-app",
        action="store_true",
        help="search here, without asking the running app (which answers at once, its model being loaded)",
    )


def answered_by_app(args: argparse.Namespace, settings: Settings, queries: Sequence[str]) -> int:
    """Print the running app's answers to `queries` as a search here prints them; how many it answered
    (the rest, from that one on, are searched here). A JinaSearchError the app's search raised is
    raised here, as this command's own search would have."""
    done = 0 if args.no_app else _ask(args, settings, queries)
    if done < len(queries) and args.mode != "keyword" and sys.stderr.isatty():
        print("jinasearch: loading the model...", file=sys.stderr)
    return done


def _ask(args: argparse.Namespace, settings: Settings, queries: Sequence[str]) -> int:
    from .cli_args import filters_from
    from .core.ask import AppClient, AppUnavailable, Failed, SearchRequest, place_for

    filters = filters_from(args)

    def request(q: str) -> SearchRequest:
        return SearchRequest(
            data_dir=str(settings.data_dir),
            query=q,
            k=args.k,
            per_file=args.per_file,
            mode=args.mode,
            filters=filters,
            model=args.model,
            server=settings.server,
            api=settings.api,
            sentences=args.json,  # only the JSON output shows the best sentence
        )

    t0, done = time.monotonic(), 0
    try:
        with AppClient(place_for(settings.data_dir)) as app:
            for q in queries:
                app.send(request(q))
                # The printing code (and the hit's breadcrumb) is imported while the app searches,
                # not before the question is even asked: part of what a whole process costs.
                from .cli_output import print_answer, print_lacking

                reply = app.receive()
                if isinstance(reply, Failed):
                    raise JinaSearchError(reply.message)
                if done == 0:
                    print_lacking(reply.lacking)
                print_answer(q, list(reply.hits), reply.by_words_only, as_json=args.json, many=len(queries) > 1)
                done += 1
    except AppUnavailable as exc:
        note = FALLBACK_NOTES.get(exc.refused or exc.reason)
        log.info("the app did not answer (%s); searching here", exc)
        if note is not None:
            print(f"jinasearch: {note}; searching here", file=sys.stderr)
    if done:
        log.info("the app answered %d of %d queries in %.3f s", done, len(queries), time.monotonic() - t0)
    return done

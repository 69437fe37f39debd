"""The headless command line: index / search / status / remove over the same core the GUI drives."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .cli_args import (
    PATH_BYTES_HELP,
    add_budget_args,
    add_passage_args,
    add_server_args,
    date,
    date_end,
    device,
    file_type,
    filters_from,
    positive,
    recipe_from,
    rules_help,
    syntax_help,
    where_embedded,
)
from .cli_ask import add_app_arg, answered_by_app
from .core.config import (
    ENV_DATA_DIR,
    ENV_MODEL,
    Settings,
    default_api,
    default_data_dir,
    default_model,
    default_server,
)
from .core.errors import JinaSearchError
from .core.models import MODES


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="jinasearch",
        description="Search your own documents by meaning and by words, privately on this computer.",
        epilog=f"Environment: {ENV_DATA_DIR} (data directory), {ENV_MODEL} (embedding model). Exit codes: 0 done, "
        "2 error, 3 indexed for keyword search only (the model or its server was not available), 130 interrupted.",
    )
    p.add_argument("--version", action="version", version=f"jinasearch {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        help=f"where the index lives (default: ${ENV_DATA_DIR} or the platform's user data folder)",
    )
    common.add_argument("-v", "--verbose", action="store_true", help="log what happens")

    _index_parser(sub, common)
    _search_parser(sub, common)

    st = sub.add_parser("status", parents=[common], help="folders, counts, failed files with reasons")
    st.add_argument("--json", action="store_true", help=f"print JSON ({PATH_BYTES_HELP})")

    rm = sub.add_parser("remove", parents=[common], help="forget a folder and its data")
    rm.add_argument("path", metavar="PATH", help="a folder given to 'index' before")
    return p


def _index_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    ix = sub.add_parser("index", parents=[common], help="index folders (again: only what changed)")
    ix.add_argument("paths", nargs="+", metavar="PATH", help="folders or files to index")
    ix.add_argument(
        "--model",
        help=f"sentence-transformers model name or folder (default: ${ENV_MODEL} or "
        "jinaai/jina-embeddings-v2-small-en)",
    )
    ix.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files or folders matching GLOB (repeatable; on top of the built-in rules), e.g. '*.log'",
    )
    ix.add_argument("--no-default-excludes", action="store_true", help=rules_help())
    ix.add_argument("--reembed", action="store_true", help="allow switching the index to another model")
    ix.add_argument(
        "--same-model",
        action="store_true",
        help="the model given computes the same vectors as the index's (the same weights, e.g. on a server): "
        "use it without re-embedding (its dimension must match)",
    )
    add_server_args(ix)
    add_budget_args(ix)
    ix.add_argument(
        "--device", default="auto", type=device, help="where to embed: auto (default), cpu, cuda or mps (if present)"
    )
    add_passage_args(ix)
    ix.add_argument("--no-progress", action="store_true", help="no progress bar")


def _search_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    se = sub.add_parser(
        "search",
        parents=[common],
        help="search the index",
        epilog=syntax_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    se.add_argument("query", nargs="?", help="what you are looking for, in plain language (syntax below)")
    se.add_argument("--queries", type=Path, metavar="FILE", help="run every line of FILE as a query")
    se.add_argument("-k", type=positive, default=10, help="number of files to show (default 10)")
    se.add_argument(
        "--per-file", type=positive, default=1, metavar="N", help="passages shown per file, best first (default 1)"
    )
    se.add_argument("--mode", choices=MODES, default="hybrid", help="hybrid (default), semantic or keyword")
    se.add_argument("--folder", help="only results under this folder (an indexed folder or one inside it)")
    se.add_argument(
        "--type", action="append", default=[], type=file_type, metavar="EXT", help="only this file type, e.g. pdf"
    )
    se.add_argument("--after", type=date, help="only files modified on or after YYYY-MM-DD")
    se.add_argument("--before", type=date_end, help="only files modified on or before YYYY-MM-DD")
    se.add_argument("--from", dest="sender", metavar="TEXT", help="only mail messages whose sender holds TEXT")
    se.add_argument("--subject", metavar="TEXT", help="only mail messages whose subject holds TEXT")
    se.add_argument("--model", help="must match the index's model (default: the one recorded in the index)")
    se.add_argument("--json", action="store_true", help=f"print a JSON array of hits ({PATH_BYTES_HELP})")
    add_server_args(se)
    add_app_arg(se)


def settings_from(args: argparse.Namespace) -> Settings:
    data_dir = args.data_dir or default_data_dir()
    model = getattr(args, "model", None) or default_model()
    extra = {}
    if args.command == "index":
        extra = {
            "chunk_tokens": args.chunk_tokens,
            "overlap_tokens": args.overlap_tokens,
            "section_cuts": args.section_cuts,
            "topic_cuts": args.topic_cuts,
            "excludes": tuple(args.exclude),
            "default_excludes": not args.no_default_excludes,
            "device": args.device,
            "embed_cap": args.embed_cap,
            "recipe": recipe_from(args),
        }
    if args.command in ("index", "search"):
        extra["server"] = args.server or server_from_env()
        extra["api"] = args.api or default_api()
    return Settings(data_dir=Path(data_dir).expanduser(), model=model, **extra)


def server_from_env() -> str | None:
    env = default_server()
    if not env:
        return None  # not importing the server backend (it brings numpy): a search the app answers is quick
    from .core.embed.server import parse_address

    return parse_address(env).url  # a bad value: ServerAddressError, said as an error


# -- commands ---------------------------------------------------------------------------------------


def cmd_index(args: argparse.Namespace) -> int:
    from .cli_output import ProgressBar
    from .core.extract import default_runner
    from .core.indexer import Indexer

    settings = settings_from(args)
    if settings.server is not None:
        print(f"jinasearch: embedding on {where_embedded(settings.server)}", file=sys.stderr)
    if args.reembed and args.same_model:
        raise JinaSearchError("give --reembed (new vectors) or --same-model (keep them), not both")
    change = "same" if args.same_model else args.reembed
    indexer = Indexer(settings, reembed=change, runner=default_runner(), embed_data=args.embed_data, ocr=args.ocr)
    show = not args.no_progress and sys.stderr.isatty()
    outcome = None
    with ProgressBar(show) as bar:
        for prog in indexer.index(args.paths):
            bar.show(prog)
            outcome = prog.outcome or outcome
    assert outcome is not None
    s = outcome.summary
    print(
        f"{s.scanned} files: {s.indexed} indexed, {s.unchanged} unchanged, {s.failed} failed, "
        f"{s.removed} removed; {s.passages_added} passages added, {s.passages_embedded} embedded "
        f"in {s.seconds:.1f} s"
        + (f"; scanned pages of {s.ocr_read} file{'s' * (s.ocr_read != 1)} read by OCR" if s.ocr_read else "")
    )
    if s.failed:
        print(f"failed files: run 'jinasearch status' to see why ({s.failed})", file=sys.stderr)
    if s.excluded:
        print(f"skipped by built-in rules: 'jinasearch status' lists them ({s.excluded})", file=sys.stderr)
    if outcome.keyword_only is not None:
        # Not a failure (the files are searchable by keyword), but not the whole job either: exit 3 tells a script.
        print(
            f"keyword search only: {outcome.keyword_only} Keyword search works now; search by meaning follows "
            "on the next run once the model is available.",
            file=sys.stderr,
        )
        return 3
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    if bool(args.query) == bool(args.queries):
        raise JinaSearchError("give either a QUERY or --queries FILE")
    if args.queries:
        try:
            queries = [q.strip() for q in args.queries.read_text(encoding="utf-8").splitlines() if q.strip()]
        except OSError as exc:
            raise JinaSearchError(f"cannot read {args.queries}: {exc.strerror}") from None
    else:
        queries = [args.query]
    settings = settings_from(args)
    # The running app answers at once, its model loaded (cli_ask.py); what it did not answer is searched here.
    start = answered_by_app(args, settings, queries)
    if start == len(queries):
        return 0
    from .cli_output import print_answer, print_lacking
    from .core.library import check_filters
    from .core.search import Searcher

    searcher = Searcher(settings, model=args.model)
    try:
        filters = filters_from(args)
        # Filters that can find nothing at all are an error (raised); some asked types missing, a note.
        lacking = check_filters(settings, filters)
        if not start:
            print_lacking(lacking)
        for q in queries[start:]:
            # The best sentence is a model call over the hits' sentences; only --json shows it.
            hits = searcher.search(
                q, k=args.k, per_file=args.per_file, mode=args.mode, filters=filters, sentences=args.json
            )
            print_answer(q, hits, searcher.unavailable, as_json=args.json, many=len(queries) > 1)
    finally:
        searcher.close()
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from .cli_status import cmd_status as status

    return status(args)


def cmd_remove(args: argparse.Namespace) -> int:
    from .core.library import indexed_folders, remove_folder

    settings = settings_from(args)
    if not settings.db_path.exists():
        raise JinaSearchError(f"no index in {settings.data_dir}; nothing to remove")
    path = os.path.abspath(os.path.expanduser(args.path))
    known = indexed_folders(settings)
    if path not in known:
        raise JinaSearchError(f"{path} is not an indexed folder (indexed: {', '.join(known) or 'none'})")
    # The same removal as the app's: under the indexer lock, vectors saved after.
    n = remove_folder(settings, path)
    print(f"removed {path} ({n} files)")
    return 0


COMMANDS = {"index": cmd_index, "search": cmd_search, "status": cmd_status, "remove": cmd_remove}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    t0 = time.monotonic()
    try:
        return COMMANDS[args.command](args)
    except JinaSearchError as exc:
        print(f"jinasearch: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jinasearch: interrupted; what was committed is kept, run the command again to continue", file=sys.stderr)
        return 130
    finally:
        logging.getLogger(__name__).info("took %.2f s", time.monotonic() - t0)


if __name__ == "__main__":
    sys.exit(main())

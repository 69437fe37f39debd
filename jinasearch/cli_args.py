"""The command line's argument types (a bad value is an argparse error that says what to give), the filters they
make, and the help texts drawn from the core's one source of each."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from .core.config import DEFAULT_EXCLUDE_RULES
from .core.models import QUERY_SYNTAX

if TYPE_CHECKING:
    from .core.config import Recipe
    from .core.models import Filters


# What --json's help says of path_bytes (README.md, "Command line", has the whole story).
PATH_BYTES_HELP = "path_bytes: each file's exact name as base64, to open names that are not UTF-8"


def rules_help() -> str:
    """`index --no-default-excludes`'s help: the built-in rules it switches off, from their one source."""
    rules = "; ".join(f"{rule}: {what}" for rule, what in DEFAULT_EXCLUDE_RULES.items())
    return f"also index what the built-in rules skip ({rules}); 'jinasearch status' lists what they skipped"


def syntax_help() -> str:
    """`search --help`'s closing table: what a query may say besides plain language, from its one source."""
    width = max(len(form) for form, _ in QUERY_SYNTAX)
    rows = "\n".join(f"  {form:<{width}}  {what}" for form, what in QUERY_SYNTAX)
    return (
        f"query syntax (anything else is plain language, searched by meaning and by words):\n{rows}\n"
        "e.g.: jinasearch search '\"connection refused\" -docker type:md in:notes'"
    )


def date(text: str) -> float:
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD") from None


def date_end(text: str) -> float:
    """`--before 2024-05-31` includes that whole day: a bare date means the end of it."""
    start = date(text)
    if len(text.strip()) <= 10:  # YYYY-MM-DD without a time
        return (datetime.fromtimestamp(start) + timedelta(days=1)).timestamp() - 1e-6
    return start


def device(text: str) -> str:
    """A device this machine has: `--device cuda` on the CPU build is refused here, with the reason,
    not after the model failed to load."""
    from .core.embed import device_problem

    problem = device_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{problem}; use cpu, or leave --device out (auto)")
    return text


def server_url(text: str) -> str:
    """An embedding server's base URL, normalised (`gpu-box:11434` means http://gpu-box:11434)."""
    from .core.embed.server import parse_address
    from .core.errors import ServerAddressError

    try:
        return parse_address(text).url
    except ServerAddressError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


class _ServerApis:
    """The embedding-server APIs as `--api`'s choices, read from core/embed/server only when argparse
    looks at them (--api given, or --help): importing it brings numpy (0.1-0.3 s), which a search that
    the running app answers must not pay (cli_ask.py)."""

    def _apis(self) -> tuple[str, ...]:
        from .core.embed.server import APIS

        return APIS

    def __contains__(self, value: object) -> bool:
        return value in self._apis()

    def __iter__(self) -> Iterator[str]:
        return iter(self._apis())


def add_server_args(p: argparse.ArgumentParser) -> None:
    """`--server` and `--api`, on `index` and `search` alike."""
    from .core.config import ENV_API, ENV_SERVER

    p.add_argument(
        "--server",
        type=server_url,
        metavar="URL",
        help=f"embed on this embedding server (Ollama, or any OpenAI-compatible /v1/embeddings) instead of this "
        f"computer, e.g. http://gpu-box:11434; --model names the model as the server does (default: ${ENV_SERVER})",
    )
    p.add_argument(
        "--api",
        choices=_ServerApis(),  # type: ignore[arg-type]  # a container argparse only iterates and tests
        metavar="API",  # else argparse reads the choices at once, to check the metavar
        help=f"the server's API: %(choices)s (default: ${ENV_API}, else asked of the server)",
    )


def add_budget_args(p: argparse.ArgumentParser) -> None:
    """What gets vectors (core/indexing/budget.py): the folders' data files, and the cap per file."""
    from .core.config import DEFAULT_EMBED_CAP

    p.add_argument(
        "--embed-data",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also search the data files (logs, CSV/TSV, JSON/XML dumps, minified code) of these folders by "
        "meaning; by default they are found by keyword only (--no-embed-data switches it back off)",
    )
    p.add_argument(
        "--ocr",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="read scanned pages and images of these folders by OCR (Tesseract), after every text layer; on "
        "for a new folder, --no-ocr switches it off (their pages then wait, listed by status)",
    )
    p.add_argument(
        "--embed-cap",
        type=embed_cap,
        default="recorded",  # not given: the cap the index records (argparse runs a string default through `type`)
        metavar="N",
        help=f"embed at most N passages of one file, the rest found by keyword only ('none': no cap; default: "
        f"as the index was last set, {DEFAULT_EMBED_CAP} for a new one)",
    )


def add_passage_args(p: argparse.ArgumentParser) -> None:
    """How files are cut into passages (core/chunk.py) and how passages become vectors (core/embed/late.py)."""
    from .core.config import DEFAULT_CHUNK_TOKENS, DEFAULT_OVERLAP_TOKENS, DEFAULT_SECTION_CUTS, DEFAULT_TOPIC_CUTS

    p.add_argument("--chunk-tokens", type=positive, default=DEFAULT_CHUNK_TOKENS, help="passage size in model tokens")
    p.add_argument(
        "--overlap-tokens", type=int, default=DEFAULT_OVERLAP_TOKENS, help="tokens shared by neighbouring passages"
    )
    p.add_argument(
        "--section-cuts",
        action=argparse.BooleanOptionalAction,
        default=DEFAULT_SECTION_CUTS,
        help="start a new passage at every heading, however short the section before it (default: "
        f"{'on' if DEFAULT_SECTION_CUTS else 'off'}: a short section stays with its neighbours)",
    )
    p.add_argument(
        "--topic-cuts",
        action=argparse.BooleanOptionalAction,
        default=DEFAULT_TOPIC_CUTS,
        help="also end passages where a document's subject changes, judged by the model once files are read: "
        "every document of the index not cut so yet is cut again, at one more model pass over its text (a "
        f"file a later run without it reads again is cut as usual; default: {'on' if DEFAULT_TOPIC_CUTS else 'off'})",
    )
    add_recipe_args(p)


def add_recipe_args(p: argparse.ArgumentParser) -> None:
    """How passage vectors are made (core/embed/late.py); another recipe than the index's re-embeds."""
    from .core.config import DEFAULT_LATE_WINDOW

    p.add_argument(
        "--late-chunking",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="embed each passage in the context of its document (late chunking; --no-late-chunking: each "
        "passage alone). Default: as the index was made; for a new one, on for the Jina v2 models and off for "
        "others. A change re-embeds everything while search keeps answering with the old vectors",
    )
    p.add_argument(
        "--late-window",
        type=positive,
        metavar="TOKENS",
        help=f"late chunking: the most tokens the model reads at once (default {DEFAULT_LATE_WINDOW}, 512 for the "
        "Jina v2 base model; capped by the model's own limit); implies --late-chunking",
    )
    p.add_argument(
        "--late-place-lines",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="late chunking: each passage begins with its title and section line inside the window, as "
        "a passage embedded alone does (default), or the window holds the passages' own text only "
        "(--no-late-place-lines); either implies --late-chunking",
    )


def recipe_from(args: argparse.Namespace) -> Recipe | None:
    """The recipe the flags ask for; None: as the index records."""
    from .core.config import Recipe, default_model, default_window

    place_lines = args.late_place_lines
    if args.late_chunking is False:
        if args.late_window is not None or place_lines is not None:
            from .core.errors import JinaSearchError

            flag = "--late-window" if args.late_window is not None else "--[no-]late-place-lines"
            raise JinaSearchError(f"{flag} goes with late chunking: leave it out with --no-late-chunking")
        return Recipe()
    if args.late_chunking or args.late_window is not None or place_lines is not None:
        window = args.late_window or default_window(getattr(args, "model", None) or default_model())
        if window < args.chunk_tokens + 2:  # [CLS] and [SEP] take two places
            from .core.errors import JinaSearchError

            raise JinaSearchError(
                f"a late-chunking window of {window} tokens cannot hold a passage of {args.chunk_tokens}: give "
                f"--late-window {args.chunk_tokens + 2} or more, or smaller passages (--chunk-tokens)"
            )
        return Recipe(late=True, window=window, place_lines=place_lines is not False)
    return None


def embed_cap(text: str) -> int | None | Literal["recorded"]:
    """N >= 1, 'none' (no cap), or 'recorded' (the default: as the index was last set)."""
    word = text.strip().lower()
    if word == "none":
        return None
    if word == "recorded":
        return "recorded"
    try:
        return positive(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of passages of 1 or more, or 'none', not '{text}'"
        ) from None


def where_embedded(server: str | None, device: str | None = None) -> str:
    """Where embeddings are computed, in words (status, the index command's privacy note)."""
    if server is None:
        return "this computer" + (f" ({device})" if device and device != "auto" else "")
    from .core.embed.server import parse_address

    return parse_address(server).where()


def positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return n


def file_type(text: str) -> str:
    """`--type pdf` (or `.PDF`): the suffix as the index keeps it, lowercase without the dot."""
    ext = text.strip().lower().lstrip(".")
    if not ext or any(c in ext for c in "/\\*?. "):
        # An empty type used to filter on files without a suffix and find nothing, silently.
        raise argparse.ArgumentTypeError(f"'{text}' is not a file type; give a suffix such as pdf, md or txt")
    return ext


def filters_from(args: argparse.Namespace) -> Filters:
    """`search`'s filters as the core takes them: the folder absolute, as records hold paths."""
    from .core.models import Filters
    from .core.scan import record_path

    # `~/docs` or a relative folder would otherwise be compared as given and match nothing.
    folder = record_path(os.path.abspath(os.path.expanduser(args.folder))) if args.folder else None
    return Filters(
        folder=folder,
        exts=tuple(args.type),
        modified_after=args.after,
        modified_before=args.before,
        sender=getattr(args, "sender", None),
        subject=getattr(args, "subject", None),
    )

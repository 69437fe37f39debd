"""`jinasearch status`: folders, counts, failed and skipped files, a model switch, where embeddings are computed."""

from __future__ import annotations

import argparse
import json

from .cli_args import where_embedded
from .cli_output import path_json, print_skipped, shown_path
from .core.errors import JinaSearchError


def cmd_status(args: argparse.Namespace) -> int:
    from .cli import settings_from
    from .core.library import read_status

    settings = settings_from(args)
    if not settings.db_path.exists():
        raise JinaSearchError(f"no index in {settings.data_dir} yet; run 'jinasearch index FOLDER' first")
    st = read_status(settings, switch_counts=True)
    switch = st.switch
    failed_count = len(st.failed)
    info = {
        "data_dir": str(settings.data_dir),
        "model": st.model,
        "dim": st.dim,
        "server": st.server,
        "server_api": st.server_api,
        "embedded_on": where_embedded(st.server),
        "indexed": st.indexed,
        "failed": failed_count,
        "passages": st.passages,
        "embedded": st.embedded,
        "pending": st.passages - st.embedded,
        "switching_to": (
            {"model": switch.model, "staged": switch.staged, "remaining": switch.remaining} if switch else None
        ),
        "folders": [
            {**path_json(f.path), "files": f.files, "failed": f.failed, "passages": f.passages, "pending": f.pending}
            for f in st.folders
        ],
        "failed_files": [{**path_json(f.path), "reason": f.reason} for f in st.failed],
        "skipped": [{**path_json(s.path), "rule": s.rule} for s in st.skipped],
        "damaged_copies": [str(p) for p in st.damaged_copies],
    }
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    vectors = f"{st.dim} dimensions" if st.dim else "no vectors yet"
    print(f"index: {info['data_dir']}\nmodel: {info['model'] or 'none yet'} ({vectors})")
    print(f"embedded on: {info['embedded_on']}")
    print(f"{st.indexed} files indexed, {failed_count} failed, {st.passages} passages ({st.embedded} embedded)")
    if switch:
        print(
            f"switching to model {switch.model}: {switch.staged} passage texts re-embedded, "
            f"{switch.remaining} to go; searches use the current model until then "
            f"(continue with: jinasearch index FOLDER {continue_args(switch.model)})"
        )
    for f in st.folders:
        # Passages without a vector are found by keyword only: say so per folder, as the app does.
        waiting = f" ({f.pending} keyword only, waiting for vectors)" if f.pending else ""
        print(f"  {shown_path(f.path)}: {f.files} files, {f.passages} passages{waiting}, {f.failed} failed")
    if st.failed:
        print("failed files:")
        for f in st.failed:
            print(f"  {shown_path(f.path)}: {f.reason}")
    print_skipped(st.skipped)
    if st.damaged_copies:
        print("damaged copies set aside by a repair (removed after the next complete run):")
        for p in st.damaged_copies:
            print(f"  {p}")
    return 0


def continue_args(key: str) -> str:
    """The options that name a model by its key again: a served model by its name and a server."""
    from .core.policy import served_name

    name = served_name(key)
    return f"--model {key}" if name is None else f"--model {name} --server URL"

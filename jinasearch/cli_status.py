"""`jinasearch status`: folders, counts, failed and skipped files, how the vectors are made, a model or
recipe switch, where embeddings are computed."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from .cli_args import where_embedded
from .cli_output import path_json, print_skipped, shown_path
from .core.errors import JinaSearchError
from .core.run_records import FolderStats

if TYPE_CHECKING:
    from .core.config import Recipe
    from .core.library import LibraryStatus, SwitchStatus


def cmd_status(args: argparse.Namespace) -> int:
    from .cli import settings_from
    from .core.library import read_status

    settings = settings_from(args)
    if not settings.db_path.exists():
        raise JinaSearchError(f"no index in {settings.data_dir} yet; run 'jinasearch index FOLDER' first")
    st = read_status(settings, switch_counts=True)
    if args.json:
        print(json.dumps(status_json(str(settings.data_dir), st), ensure_ascii=False, indent=2))
    else:
        print_status(str(settings.data_dir), st)
    return 0


def status_json(data_dir: str, st: LibraryStatus) -> dict[str, object]:
    """`status --json`: every key is listed in the README (a test holds them to it)."""
    switch = st.switch
    return {
        "data_dir": data_dir,
        "model": st.model,
        "dim": st.dim,
        "recipe": recipe_json(st.recipe),
        "server": st.server,
        "server_api": st.server_api,
        "embedded_on": where_embedded(st.server),
        "indexed": st.indexed,
        "failed": len(st.failed),
        "passages": st.passages,
        "embedded": st.embedded,
        "pending": st.pending,
        "keyword_only": st.keyword_only,
        "keyword_only_files": st.keyword_only_files,
        "switching_to": (
            {
                "model": switch.model,
                "recipe": recipe_json(switch.recipe),
                "staged": switch.staged,
                "remaining": switch.remaining,
            }
            if switch
            else None
        ),
        "folders": [
            {
                **path_json(f.path),
                "files": f.files,
                "failed": f.failed,
                "passages": f.passages,
                "pending": f.pending,
                "keyword_only": f.keyword_only,
                "keyword_only_files": f.keyword_only_files,
                "data_files": f.data_files,
                "embed_data": f.embed_data,
                "ocr": f.ocr,
                "ocr_waiting": f.ocr_waiting,
            }  # fmt: skip
            for f in st.folders
        ],
        "failed_files": [{**path_json(f.path), "reason": f.reason} for f in st.failed],
        "skipped": [{**path_json(s.path), "rule": s.rule} for s in st.skipped],
        "damaged_copies": [str(p) for p in st.damaged_copies],
    }


def print_status(data_dir: str, st: LibraryStatus) -> None:
    vectors = f"{st.dim} dimensions" if st.dim else "no vectors yet"
    print(f"index: {data_dir}\nmodel: {st.model or 'none yet'} ({vectors})")
    if st.recipe is not None:
        print(f"vectors: {st.recipe.describe()}")
    print(f"embedded on: {where_embedded(st.server)}")
    print(f"{st.indexed} files indexed, {len(st.failed)} failed, {st.passages} passages ({st.embedded} embedded)")
    if st.switch:
        print(switch_line(st, st.switch))
    for f in st.folders:
        print(f"  {shown_path(f.path)}: {f.files} files, {f.passages} passages, {f.failed} failed")
        for note in folder_notes(f):
            print(f"    {note}")
    if st.failed:
        print("failed files:")
        for f in st.failed:
            print(f"  {shown_path(f.path)}: {f.reason}")
    print_skipped(st.skipped)
    if st.damaged_copies:
        print("damaged copies set aside by a repair (removed after the next complete run):")
        for p in st.damaged_copies:
            print(f"  {p}")


def folder_notes(f: FolderStats) -> list[str]:
    """What of a folder is found by keyword only: waiting for vectors, or by choice (core/indexing/budget.py)."""
    notes = [f"{f.pending} passages waiting for vectors (found by keyword meanwhile)"] if f.pending else []
    if f.keyword_only:
        files = f"{f.keyword_only_files} file" + ("s" if f.keyword_only_files != 1 else "")
        if f.data_files and not f.embed_data:
            why = "data files (logs, tables, dumps); 'jinasearch index --embed-data FOLDER' embeds them too"
        else:
            why = "past the cap of one file's passages; 'jinasearch index --embed-cap none FOLDER' lifts it"
        notes.append(f"{f.keyword_only} passages in {files} found by keyword only, by choice: {why}")
    if f.ocr_waiting:
        notes.append(f"{f.ocr_waiting} scanned pages not read yet: {ocr_why(f.ocr)}")
    return notes


def ocr_why(on: bool) -> str:
    """Why a folder's scanned pages wait, and what reads them."""
    if not on:
        return "OCR is off for this folder; 'jinasearch index --ocr FOLDER' reads them"
    from .core.extract import ocr

    fix = ocr.what_to_install()
    return f"no OCR on this computer: {fix}" if fix else "the next 'jinasearch index' reads them by OCR"


def recipe_json(recipe: Recipe | None) -> dict[str, object] | None:
    """How vectors are made: `late` (late chunking, else each passage alone), its `window` in tokens and
    whether passages keep their `place_lines` in it (both null when not late); None while the index
    records no model."""
    if recipe is None:
        return None
    if not recipe.late:
        return {"late": False, "window": None, "place_lines": None}
    return {"late": True, "window": recipe.window, "place_lines": recipe.place_lines}


def switch_line(st: LibraryStatus, switch: SwitchStatus) -> str:
    """A re-embed under way, in words: to another model, another recipe (late chunking or not), or both.
    Continuing needs no recipe option: a run of the staged model goes on with the staged recipe."""
    new_model = switch.model != st.model
    how = f"with {switch.recipe.describe()}" if switch.recipe.late else "each passage alone"
    if not new_model:
        what = f"re-embedding {how}"
    elif st.recipe is None or switch.recipe.key != st.recipe.key:
        what = f"switching to model {switch.model}, {how}"
    else:
        what = f"switching to model {switch.model}"
    return (
        f"{what}: {switch.staged} passage texts re-embedded, {switch.remaining} to go; searches use the current "
        f"{'model' if new_model else 'vectors'} until then "
        f"(continue with: jinasearch index FOLDER {continue_args(switch.model)})"
    )


def continue_args(key: str) -> str:
    """The options that name a model by its key again: a served model by its name and a server."""
    from .core.policy import served_name

    name = served_name(key)
    return f"--model {key}" if name is None else f"--model {name} --server URL"

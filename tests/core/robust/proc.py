"""Helpers for tests that run the indexer in a child process and kill it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from jinasearch.core.config import Settings
from jinasearch.core.extract.runner import InlineRunner
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.run_records import RunOutcome
from jinasearch.core.search import Searcher
from tests.fakes import FakeEmbedder

from .files import QUERIES

ROOT = Path(__file__).resolve().parents[3]
MARKER = "JINASEARCH_ROBUST_TEST"


def child_cmd(data: Path, corpus: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "tests.core.robust.index_child", str(data), str(corpus), *extra]


def child_env(tag: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    env[MARKER] = tag
    return env


def start(data: Path, corpus: Path, *extra: str, tag: str = "1") -> subprocess.Popen[str]:
    return subprocess.Popen(
        child_cmd(data, corpus, *extra),
        cwd=ROOT,
        env=child_env(tag),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def run(data: Path, corpus: Path, *extra: str, tag: str = "1", timeout: float = 180) -> dict[str, int]:
    """Run the child to completion and return its summary (fails loudly with its stderr)."""
    p = subprocess.run(
        child_cmd(data, corpus, *extra), cwd=ROOT, env=child_env(tag), text=True, capture_output=True, timeout=timeout
    )
    assert p.returncode == 0, p.stderr[-3000:]
    summary: dict[str, int] = json.loads(p.stdout.strip().splitlines()[-1])
    return summary


def processes_tagged(tag: str) -> list[int]:
    """PIDs still alive whose environment carries our marker (orphaned workers would show up here)."""
    needle = f"{MARKER}={tag}".encode()
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            env = (d / "environ").read_bytes()
            state = (d / "stat").read_text().split(") ", 1)[1][0]
        except OSError:
            continue
        if needle in env.split(b"\0") and state != "Z":
            found.append(int(d.name))
    return found


def settings(data: Path) -> Settings:
    return Settings(data_dir=data, model="fake-embedder", chunk_tokens=40, overlap_tokens=8)


def top_results(data: Path, k: int = 5) -> list[list[tuple[str, int]]]:
    s = Searcher(settings(data), embedder=FakeEmbedder())
    try:
        return [[(h.path, h.char_start) for h in s.search(q, k=k)] for q in QUERIES]
    finally:
        s.close()


def schema_version(data: Path) -> int:
    """The database's schema version (0: not created, or killed before its first commit)."""
    from tests.core.store.check import read_count

    return read_count(settings(data).db_path, "PRAGMA user_version")


def wait_for_schema(data: Path, child: subprocess.Popen[str], timeout: float) -> bool:
    """Wait until the child's database has its schema (or the child ended)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and child.poll() is None:
        if schema_version(data) > 0:
            return True
        time.sleep(0.05)
    return schema_version(data) > 0


def committed_files(data: Path, corpus: Path) -> int:
    """Files whose committed row matches the file on disk: a resumed run must not redo them."""
    from jinasearch.core.extract import supported
    from jinasearch.core.scan import scan
    from jinasearch.core.store import Store

    if not settings(data).db_path.exists():
        return 0
    store = Store(settings(data).db_path, readonly=True)
    try:
        n = 0
        for info in scan([corpus], accept=supported):
            row = store.document(info.path)
            n += row is not None and row.size == info.size and row.mtime == info.mtime
        return n
    finally:
        store.close()


def run_killed(data: Path, corpus: Path, *extra: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        child_cmd(data, corpus, *extra), cwd=ROOT, env=child_env("k"), text=True, capture_output=True, timeout=timeout
    )


def index(data: Path, *paths: Path, runner: object = None) -> RunOutcome:
    """Index in this process (InlineRunner unless given) and return the run's outcome."""
    ix = Indexer(settings(data), embedder=FakeEmbedder(), runner=runner or InlineRunner())  # type: ignore[arg-type]
    return run_to_end(ix.index(list(paths)))


def index_gen(data: Path, *paths: Path):  # type: ignore[no-untyped-def]
    """The indexing generator itself (to see what its first step raises)."""
    ix = Indexer(settings(data), embedder=FakeEmbedder(), runner=InlineRunner())
    return ix.index(list(paths))

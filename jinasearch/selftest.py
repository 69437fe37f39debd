"""Headless self-test of an installed build: index the bundled sample, search it, check the right file wins.

Run as `jinasearch-gui --self-test` (no screen needed). It uses whatever model the app would use
($JINASEARCH_MODEL, else the default, downloading it if it is not cached yet), works in a temporary data
directory that it deletes afterwards, prints a short report and returns 0 when every check passes, else 1.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__

if TYPE_CHECKING:
    from .core.embed import Embedder

# (query, mode, file expected first). The semantic queries share almost no words with their answer, so
# they pass only if the embedding model really works; the keyword one checks the full-text index.
CHECKS: tuple[tuple[str, str, str], ...] = (
    ("how do I mend a flat on my bike", "semantic", "bicycle-repair.md"),
    ("making bread rise with wild yeast", "semantic", "sourdough.txt"),
    ("how do plants turn sunshine into sugar", "semantic", "greenhouse.html"),
    ("ERR-4471", "keyword", "invoice-policy.txt"),
    ("what happens to a bill that has no order reference", "hybrid", "invoice-policy.txt"),
)


# The libraries the format readers import only when a file of theirs comes (core/extract/): a build's
# analysis cannot see such imports, so the self-test imports each one.
FORMAT_LIBRARIES = (
    "pypdfium2",
    "pypdf",
    "docx",
    "lxml.html",
    "odfdo",
    "pptx",
    "openpyxl",
    "striprtf.striprtf",
    "PIL.Image",
)


def missing_libraries() -> list[str]:
    """The format readers' libraries this install or bundle lacks."""
    import importlib

    missing = []
    for name in FORMAT_LIBRARIES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


@dataclass(frozen=True)
class CheckResult:
    query: str
    mode: str
    expected: str
    got: str | None

    @property
    def ok(self) -> bool:
        return self.got == self.expected


def run_self_test(model: str | None = None, out: TextIO | None = None, *, embedder: Embedder | None = None) -> int:
    """Index the bundled sample with `model` (default: the app's model) and check the searches; 0 = pass.

    `embedder` lets a caller that already holds the loaded model (the test suite) skip loading it again."""
    out = out or sys.stdout
    say: Callable[[str], None] = lambda line: print(line, file=out, flush=True)  # noqa: E731
    from .core.config import default_model

    model = model or default_model()
    frozen = bool(getattr(sys, "frozen", False))
    say(
        f"jinasearch {__version__} self-test ({'bundle' if frozen else 'python'} {platform.python_version()}, "
        f"{platform.system()} {platform.machine()})"
    )
    say(f"model: {model}")
    tmp = Path(tempfile.mkdtemp(prefix="jinasearch-selftest-"))
    try:
        results = _run(model, tmp, say, embedder)
    except Exception as exc:  # noqa: BLE001 - a self-test reports every failure instead of crashing
        say(f"FAIL: {type(exc).__name__}: {exc}")
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for r in results:
        say(
            f"  {'ok  ' if r.ok else 'FAIL'} [{r.mode}] {r.query!r} -> {r.got or 'no result'}"
            + ("" if r.ok else f" (expected {r.expected})")
        )
    passed = sum(r.ok for r in results)
    say(f"self-test {'passed' if passed == len(results) else 'FAILED'}: {passed}/{len(results)} checks")
    return 0 if passed == len(results) else 1


def _run(model: str, tmp: Path, say: Callable[[str], None], embedder: Embedder | None) -> list[CheckResult]:
    from .core.config import Settings
    from .core.embed import load_embedder
    from .core.extract import default_runner
    from .core.indexer import Indexer, run_to_end
    from .core.search import Searcher
    from .resources import sample_dir

    if missing := missing_libraries():
        raise RuntimeError(f"format readers missing from this build: {', '.join(missing)}")
    say(f"format readers: {len(FORMAT_LIBRARIES)} libraries present")
    # Index a copy: the installed sample may sit under an excluded folder name (site-packages) or be read-only.
    docs = tmp / "sample"
    shutil.copytree(sample_dir(), docs)
    settings = Settings(data_dir=tmp / "data", model=model, device=os.environ.get("JINASEARCH_DEVICE", "auto"))
    t0 = time.monotonic()
    # The same sandboxed extraction the app uses, so an installed build proves its worker processes start.
    emb = embedder or load_embedder(model, device=settings.device)
    say(f"model loaded in {time.monotonic() - t0:.1f} s ({emb.dim} dimensions)")
    t1 = time.monotonic()
    s = run_to_end(Indexer(settings, embedder=emb, runner=default_runner()).index([docs])).summary
    say(f"indexed {s.indexed}/{s.scanned} files, {s.passages_embedded} passages in {time.monotonic() - t1:.1f} s")
    if s.failed or s.indexed != len(list(docs.iterdir())):
        raise RuntimeError(f"sample files failed to index: {list(s.errors)}")
    searcher = Searcher(settings, embedder=emb)
    try:
        results = []
        for query, mode, expected in CHECKS:
            hits = searcher.search(query, k=3, mode=mode)  # type: ignore[arg-type]
            results.append(CheckResult(query, mode, expected, Path(hits[0].path).name if hits else None))
    finally:
        searcher.close()
    return results

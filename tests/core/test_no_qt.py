"""The core must never import Qt: it runs headless in the CLI, benchmarks and worker processes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "jinasearch" / "core"


def test_no_qt_import_in_core_sources() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+(PySide6|PyQt\d|shiboken\d)", re.M)
    offenders = [str(p) for p in CORE.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_importing_core_loads_no_qt_and_no_torch() -> None:
    code = (
        "import sys, jinasearch.core.indexer, jinasearch.core.search, jinasearch.cli;"
        "bad=[m for m in sys.modules if m.split('.')[0] in ('PySide6','torch','faiss','sentence_transformers')];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""

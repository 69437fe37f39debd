"""What every benchmark script shares: offline model hub, this checkout on the path, logging, percentiles.

Import it before anything from `jinasearch`: it puts the repository root first on `sys.path`, so a
script run as `python benchmarks/X.py` measures this checkout, not an installed copy.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT / "benchmarks", ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pct(values: list[float], p: float) -> float:
    """The p-th percentile; NaN for no values."""
    return float(np.percentile(np.array(values), p)) if values else float("nan")


def load_avg() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def index_counts(db: Path) -> tuple[Any, int]:
    """An index's counts (`Store.counts()`) and how many distinct passage texts it holds."""
    from jinasearch.core.store import Store

    store = Store(db, readonly=True)
    try:
        distinct = store.conn.execute("SELECT COUNT(DISTINCT text_hash) FROM passages").fetchone()[0]
        return store.counts(), int(distinct)
    finally:
        store.close()
